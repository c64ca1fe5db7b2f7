/**
 * The checks npm run gen compiles ahead of time (validators/, src/schema/precompiled.ts): there is one for
 * every schema of the manifest and the host options, it is used only for the schema it was compiled from,
 * and it decides as Ajv compiling the same schema at run time does: the same verdict, the same problems,
 * the same value (defaults filled in, x-trim applied), over generated valid and broken inputs of every
 * action and over outputs. `npm run gen -- --check` keeps the files fresh; this keeps them right.
 */
import type { AnySchema, ValidateFunction } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { manifest } from '../src/manifest/manifest.js';
import { HOST_OPTIONS_SCHEMA, HOST_OPTIONS_SCHEMA_KEY } from '../src/runtime/host-options.js';
import { precompiledCheck } from '../src/schema/precompiled.js';
import { describeProblems, newAjv } from '../src/schema/validation.js';
import { brokenInput, type Schema, validValue } from './helpers/schema-arbitrary.js';

const SEED = 17_017;

/** Every schema the runtime checks by key, as validation.ts keys them (`input:<key>`, `output:<key>`). */
const keyed: Array<[string, AnySchema]> = [
  ...manifest.actions.flatMap(
    (action): Array<[string, AnySchema]> => [
      [`input:${action.key}`, action.input],
      [`output:${action.key}`, action.output],
    ],
  ),
  ...Object.entries(manifest.connections).map(([type, { schema }]): [string, AnySchema] => [
    `input:connection:${type}`,
    schema,
  ]),
  [`input:${HOST_OPTIONS_SCHEMA_KEY}`, HOST_OPTIONS_SCHEMA],
];

/** A check's verdict on a copy of the value, and what the copy became. */
function verdict(validate: ValidateFunction, value: unknown) {
  const copy = structuredClone(value);
  const ok = validate(copy);
  return { ok, problems: ok ? [] : describeProblems(validate.errors), value: copy };
}

describe('precompiled checks', () => {
  it('exist for every schema of the manifest and the host options', () => {
    const missing = keyed.filter(([key, schema]) => !precompiledCheck(key, schema)).map(([key]) => key);
    expect(missing).toEqual([]);
  });

  it('are used only for the very schema they were compiled from', () => {
    const action = manifest.actions.find((a) => a.key === 'get-user')!;
    const changed = structuredClone(action.input) as { properties: Record<string, unknown> };
    changed.properties.extra = { type: 'string' };
    expect(precompiledCheck('input:get-user', changed)).toBeUndefined();
    expect(precompiledCheck('input:no-such-action', action.input)).toBeUndefined();
    expect(precompiledCheck('input:get-user', action.input)).toBeTypeOf('function');
  });

  it('decide every action input as Ajv compiling it at run time does', async () => {
    const ajv = await newAjv({ useDefaults: true });
    for (const action of manifest.actions) {
      const schema = action.input as Schema;
      const precompiled = precompiledCheck(`input:${action.key}`, schema)!;
      const compiled = ajv.compile(schema);
      const inputs = [
        ...action.examples.map((example) => example.input),
        ...fc.sample(validValue(schema, schema, {}), { seed: SEED, numRuns: 10 }),
        ...fc.sample(brokenInput(schema), { seed: SEED, numRuns: 10 }).map((broken) => broken.input),
        // Surrounding spaces on every string field: x-trim removes them where the schema says so.
        ...action.examples.map((example) => padStrings(example.input)),
        {},
      ];
      for (const input of inputs) {
        expect(verdict(precompiled, input), `${action.key}: ${JSON.stringify(input)}`).toEqual(
          verdict(compiled, input),
        );
      }
    }
  });

  it('decide outputs as Ajv compiling them at run time does', async () => {
    const ajv = await newAjv({ useDefaults: false, formats: 'fast' });
    for (const action of manifest.actions) {
      const schema = action.output as Schema;
      const precompiled = precompiledCheck(`output:${action.key}`, schema)!;
      const compiled = ajv.compile(schema);
      const outputs = [
        ...fc.sample(validValue(schema, schema, {}), { seed: SEED, numRuns: 5 }),
        ...fc.sample(brokenInput(schema), { seed: SEED, numRuns: 5 }).map((broken) => broken.input),
        {},
      ];
      for (const output of outputs) {
        expect(verdict(precompiled, output), `${action.key}: ${JSON.stringify(output)}`).toEqual(
          verdict(compiled, output),
        );
      }
    }
  });
});

function padStrings(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value).map(([name, field]) => [name, typeof field === 'string' ? ` ${field}\n` : field]),
  );
}
