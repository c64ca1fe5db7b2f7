/**
 * The generated TypeScript types (scripts/contract-types.mjs, written by npm run gen): the shared
 * definitions are declared once, in src/schema/definitions.gen.ts, each action's types.gen.ts declares only
 * its own types, and the types a host sees (ActionTypes) are still exactly what the manifest's
 * self-contained schemas describe.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { actionTypesFile, sharedTypeName, sharedTypesModule } from '../scripts/contract-types.mjs';
import { manifest } from '../src/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const readText = (path: string) => readFileSync(join(root, path), 'utf8');
const definitions: Record<string, Record<string, unknown>> = JSON.parse(
  readText('schemas/definitions.json'),
).definitions;
const exportedNames = (source: string) =>
  [...source.matchAll(/^export (?:declare )?(?:const )?(?:interface|type|enum) (\w+)/gm)].map((m) =>
    String(m[1]),
  );
const options = { banner: '/* test */', sharedModule: '../shared.js' };

describe('the generated types in the tree', () => {
  it('declare every shared definition once, in src/schema/definitions.gen.ts, named after its key', () => {
    expect(exportedNames(readText('src/schema/definitions.gen.ts'))).toEqual(
      Object.keys(definitions).map(sharedTypeName),
    );
  });

  it("declare in each action's types.gen.ts only its Contract, Input and Output", () => {
    const keys = readdirSync(join(root, 'actions'));
    expect(keys).toHaveLength(manifest.actions.length);
    const extra = keys
      .map((key) => ({ key, names: exportedNames(readText(`actions/${key}/types.gen.ts`)) }))
      .filter(({ names }) => names.some((name) => !['Contract', 'Input', 'Output'].includes(name)));
    expect(extra).toEqual([]);
  });

  it('import the shared types by name (delete-user: a definition whose default the manifest hoists)', () => {
    const source = readText('actions/delete-user/types.gen.ts');
    expect(source.replace(/\s+/g, ' ')).toContain(
      "import type { Changed, DeactivateFirst, MissingOk, SendEmail, UserIdOrLogin } from '../../src/schema/definitions.gen.js';",
    );
    expect(source).toContain('  deactivateFirst?: DeactivateFirst;\n');
  });
});

const isEmptyObject = (value: unknown) =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;

/**
 * The types as they were before the shared module: each action's schema compiled from the manifest, with
 * every shared definition inlined. A host must see the same types now, field by field.
 */
async function typesFromManifest(action: {
  input: Record<string, unknown>;
  output: Record<string, unknown>;
}): Promise<string> {
  // Titles would make named types; `contains: {}` is the manifest's "at least one item", which
  // json-schema-to-typescript reads only as minItems (a non-empty tuple), as contract-types.mjs does.
  const withoutTitles = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(withoutTitles);
    if (node === null || typeof node !== 'object') return node;
    const atLeastOne = isEmptyObject((node as { contains?: unknown }).contains);
    return Object.fromEntries(
      Object.entries(node)
        .filter(([keyword]) => keyword !== 'title' && !(keyword === 'contains' && atLeastOne))
        .concat(atLeastOne ? [['minItems', 1]] : [])
        .map(([keyword, value]) =>
          keyword === 'properties' || keyword === 'definitions'
            ? [keyword, Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutTitles(v)]))]
            : [keyword, withoutTitles(value)],
        ),
    );
  };
  type Schema = { definitions?: Record<string, unknown>; [keyword: string]: unknown };
  const { definitions: inputDefinitions = {}, $schema: _i, title: _it, ...input } = action.input as Schema;
  const { definitions: outputDefinitions = {}, $schema: _o, title: _ot, ...output } = action.output as Schema;
  const wrapper = withoutTitles({
    type: 'object',
    definitions: { ...inputDefinitions, ...outputDefinitions, Input: input, Output: output },
    properties: { input: { $ref: '#/definitions/Input' }, output: { $ref: '#/definitions/Output' } },
    required: ['input', 'output'],
    additionalProperties: false,
  });
  return compile(wrapper as Parameters<typeof compile>[0], 'Contract', {
    bannerComment: '',
    additionalProperties: false,
    unreachableDefinitions: false,
  });
}

/**
 * Same<A, B> when each is assignable to the other; Deep also at every level below, and with the same
 * named keys (an index signature would otherwise hide an optional field that went missing).
 */
const DEEP_SAME = `
type Known<T> = { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] };
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Deep<A, B, D extends unknown[] = []> = D['length'] extends 8
  ? true
  : Same<A, B> extends false
    ? false
    : [NonNullable<A>] extends [readonly (infer EA)[]]
      ? [NonNullable<B>] extends [readonly (infer EB)[]]
        ? Deep<EA, EB, [...D, 1]>
        : false
      : [NonNullable<A>] extends [object]
        ? Same<keyof Known<NonNullable<A>>, keyof Known<NonNullable<B>>> extends false
          ? false
          : false extends {
                [K in keyof NonNullable<A>]-?: Deep<
                  NonNullable<A>[K],
                  K extends keyof NonNullable<B> ? NonNullable<B>[K] : never,
                  [...D, 1]
                >;
              }[keyof NonNullable<A>]
            ? false
            : true
        : true;
`;

/**
 * Compiles, beside the tree, a check that each table entry (`ActionTypes['<key>']`, `TriggerTypes['<key>']`)
 * has the same input and output types as its schemas in the manifest; answers TypeScript's problems, each
 * with the line it is on (which names the key), and the number of comparisons.
 */
async function problemsComparing(
  table: 'ActionTypes' | 'TriggerTypes',
  module: string,
  entries: { key: string; input: Record<string, unknown>; output: Record<string, unknown> }[],
  extraLines: string[] = [],
): Promise<{ problems: string[]; compared: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'okta-actions-types-'));
  try {
    const lines = [DEEP_SAME, `import type { ${table} } from '${relative(dir, join(root, module))}';`];
    for (const [index, entry] of entries.entries()) {
      writeFileSync(join(dir, `a${index}.ts`), await typesFromManifest(entry));
      lines.push(`import type * as A${index} from './a${index}.js';`);
      for (const side of ['input', 'output'] as const) {
        const now = `${table}['${entry.key}']['${side}']`;
        const before = `A${index}.${side === 'input' ? 'Input' : 'Output'}`;
        lines.push(`export const a${index}${side}: Deep<${now}, ${before}> = true;`);
        lines.push(`export const a${index}${side}Back: Deep<${before}, ${now}> = true;`);
      }
    }
    lines.push(...extraLines);
    writeFileSync(join(dir, 'check.ts'), lines.join('\n'));
    const program = ts.createProgram([join(dir, 'check.ts')], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      skipLibCheck: true,
      types: [],
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
      if (!d.file || d.start === undefined) return message;
      const { line } = d.file.getLineAndCharacterOfPosition(d.start);
      const text = d.file.text.split('\n')[line];
      return `${relative(dir, d.file.fileName)}:${line + 1} ${text}: ${message}`;
    });
    return { problems, compared: lines.filter((line) => line.startsWith('export const a')).length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the types a host sees', () => {
  it('are, for every action, the types of its self-contained schemas in the manifest', async () => {
    // The comparison can fail: a different output, and an optional field missing behind an index signature.
    const { problems, compared } = await problemsComparing(
      'ActionTypes',
      'src/generated/action-types.js',
      manifest.actions,
      [
        "// @ts-expect-error\nexport const differs: Deep<ActionTypes['create-user']['output'], ActionTypes['get-user']['output']> = true;",
        '// @ts-expect-error\nexport const fieldGone: Deep<{ a: { b?: string; [k: string]: unknown } }, { a: { [k: string]: unknown } }> = true;',
      ],
    );
    expect(problems).toEqual([]);
    expect(compared).toBe(manifest.actions.length * 4);
  }, 180_000);

  it('are, for every trigger, the types of its self-contained schemas in the manifest', async () => {
    const { problems, compared } = await problemsComparing(
      'TriggerTypes',
      'src/generated/trigger-types.js',
      manifest.triggers,
      [
        "// @ts-expect-error\nexport const differs: Deep<TriggerTypes['user-added-to-group']['output'], TriggerTypes['user-created']['output']> = true;",
      ],
    );
    expect(problems).toEqual([]);
    expect(compared).toBe(manifest.triggers.length * 4);
  }, 60_000);
});

describe('actionTypesFile', () => {
  const shared = {
    changed: { type: 'boolean', description: 'Whether this run changed something.' },
    flag: { title: 'Flag', type: 'boolean', default: true },
    thing: {
      type: 'object',
      required: ['id'],
      properties: { id: { type: 'string' }, note: { type: 'string' } },
      additionalProperties: false,
    },
  };

  it('imports each shared type it uses and declares only Contract, Input and Output', async () => {
    const source = await actionTypesFile(
      {
        key: 'do-thing',
        input: {
          type: 'object',
          properties: {
            flag: { $ref: '#/definitions/flag' },
            flags: { type: 'array', items: { $ref: '#/definitions/flag' } },
          },
          additionalProperties: false,
        },
        output: {
          type: 'object',
          required: ['changed'],
          properties: { changed: { $ref: '#/definitions/changed' } },
        },
      },
      shared,
      options,
    );
    expect(source).toContain("import type { Changed, Flag } from '../shared.js';");
    expect(source).toContain('  flag?: Flag;\n  flags?: Flag[];\n');
    expect(source).toContain('  changed: Changed;\n');
    expect(exportedNames(source)).toEqual(['Contract', 'Input', 'Output']);
  });

  it('makes an output with $extends the shared type and what it adds', async () => {
    const source = await actionTypesFile(
      {
        key: 'get-thing',
        input: { type: 'object', properties: {}, additionalProperties: false },
        output: {
          $extends: '#/definitions/thing',
          required: ['id', 'changed'],
          properties: { changed: { $ref: '#/definitions/changed' } },
        },
      },
      shared,
      options,
    );
    expect(source).toContain("import type { Changed, Thing } from '../shared.js';");
    expect(source).toContain('export type Output = Thing & {\n  changed: Changed;\n};');
  });

  it('refuses an $extends that redefines a property of the shared object, naming it', async () => {
    const output = {
      $extends: '#/definitions/thing',
      required: ['note'],
      properties: { id: { type: 'number' } },
    };
    await expect(
      actionTypesFile(
        { key: 'get-thing', input: { type: 'object', properties: {} }, output },
        shared,
        options,
      ),
    ).rejects.toThrow(
      'actions/get-thing/action.json output: $extends #/definitions/thing may only add properties; it redefines property "id", required "note" of the shared object',
    );
  });

  it('refuses a reference to a definition that does not exist', async () => {
    const input = { type: 'object', properties: { x: { $ref: '#/definitions/nothing' } } };
    await expect(
      actionTypesFile(
        { key: 'do-thing', input, output: { type: 'object', properties: {} } },
        shared,
        options,
      ),
    ).rejects.toThrow('actions/do-thing/action.json input: unknown $ref #/definitions/nothing');
  });
});

describe('sharedTypesModule', () => {
  it('declares each definition by its key, referring to the others by name', async () => {
    const source = await sharedTypesModule(
      {
        oktaThing: {
          title: 'Okta thing',
          type: 'object',
          properties: {
            when: { $ref: '#/definitions/nullableDateTime' },
            nested: { title: 'Nested', type: 'object' },
          },
          additionalProperties: false,
        },
        nullableDateTime: { type: ['string', 'null'] },
      },
      { banner: '/* test */' },
    );
    expect(exportedNames(source)).toEqual(['OktaThing', 'NullableDateTime']);
    expect(source).toContain('  when?: NullableDateTime;\n');
  });

  it('refuses a definition whose type would clash with an action’s own', async () => {
    await expect(sharedTypesModule({ output: { type: 'string' } }, { banner: '' })).rejects.toThrow(
      'schemas/definitions.json: definition "output" would be the type Output, which every action declares itself',
    );
  });

  it('refuses a definition that would declare a second type', async () => {
    const thing = { type: 'object', properties: { inner: { $id: 'Inner', type: 'object' } } };
    await expect(sharedTypesModule({ thing }, { banner: '' })).rejects.toThrow(
      'schemas/definitions.json#/definitions/thing compiled to the types Thing, Inner instead of the one type Thing',
    );
  });
});
