/**
 * The one private, deliberately configured JSON Schema validator. Every schema is compiled once, then
 * reused: the manifest's schemas were compiled ahead of time by npm run gen (src/schema/precompiled.ts),
 * and Ajv itself loads only for any other schema (a stream's page, a trigger's, a test's), synchronously
 * on first use. Importing the plugin or reading its manifest loads neither.
 */
import { createRequire } from 'node:module';
import { types } from 'node:util';
import type { AnySchema, ErrorObject, ValidateFunction } from 'ajv';
import type { InputProblem } from '../errors/action-error.js';
import { moduleUrl } from '../package/module-url.js';
import { type AjvModule, type AjvSettings, configureAjv } from './ajv.js';
import { precompiledCheck } from './precompiled.js';
import { closestName } from './suggest.js';

type AjvInstance = import('ajv').Ajv;

export interface Validators {
  /** Validates and fills in schema defaults, on a copy: the caller's object is never changed. */
  checkInput(
    schemaKey: string,
    schema: AnySchema,
    value: unknown,
  ): { value: unknown; problems: InputProblem[] };
  /** Validates without changing anything (outputs are ours; a mismatch is our bug). */
  checkOutput(schemaKey: string, schema: AnySchema, value: unknown): InputProblem[];
}

let validators: Validators | undefined;

/** The process's validators (a promise, as callers have always awaited them; nothing loads here). */
export function loadValidators(): Promise<Validators> {
  validators ??= createValidators();
  return Promise.resolve(validators);
}

function createValidators(): Validators {
  let ajvs: { input: AjvInstance; output: AjvInstance } | undefined;
  const compiled = new Map<string, ValidateFunction>();
  const compile = (use: 'input' | 'output', schemaKey: string, schema: AnySchema): ValidateFunction => {
    const key = `${use}:${schemaKey}`;
    let validate = compiled.get(key);
    if (!validate) {
      validate = precompiledCheck(key, schema);
      if (!validate) {
        ajvs ??= {
          input: ajvWith({ useDefaults: true }),
          // Outputs get the regex-only formats (src/schema/formats.ts says why); inputs, typed by people,
          // the full date-time check.
          output: ajvWith({ useDefaults: false, formats: 'fast' }),
        };
        validate = ajvs[use].compile(schema);
      }
      compiled.set(key, validate);
    }
    return validate;
  };
  return {
    checkInput(schemaKey, schema, value) {
      let copy: unknown;
      try {
        copy = value === undefined ? {} : copyPlainData(value);
        if (copy === NOT_PLAIN) copy = structuredClone(value);
      } catch {
        return {
          value,
          problems: [{ path: '', message: 'must be plain JSON data (no functions or class instances)' }],
        };
      }
      const validate = compile('input', schemaKey, schema);
      return validate(copy)
        ? { value: copy, problems: [] }
        : { value: copy, problems: describeProblems(validate.errors) };
    },
    checkOutput(schemaKey, schema, value) {
      const validate = compile('output', schemaKey, schema);
      return validate(value) ? [] : describeProblems(validate.errors);
    },
  };
}

const NOT_PLAIN = Symbol('not plain JSON data');

/**
 * A copy of plain JSON data (objects, lists, text, numbers, booleans, null; undefined as a value), the same
 * as structuredClone's of it, in a fraction of the time for the small objects inputs and host options are
 * (~1.3 us each, two per run, were ~2% of a warm execute's CPU: bench/warm-overhead.mjs, scenario 2b).
 * NOT_PLAIN for anything else (a class instance, a function, a Proxy, a list with holes or extra fields, a
 * cycle, "__proto__" as a field): structuredClone then copies it, or refuses it, as before.
 */
function copyPlainData(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') {
    const kind = typeof value;
    return kind === 'function' || kind === 'symbol' || kind === 'bigint' ? NOT_PLAIN : value;
  }
  if (depth > 64 || types.isProxy(value)) return NOT_PLAIN;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype || Object.keys(value).length !== value.length)
      return NOT_PLAIN;
    const copy: unknown[] = [];
    for (let index = 0; index < value.length; index++) {
      const itemCopy = copyPlainData(value[index], depth + 1);
      if (itemCopy === NOT_PLAIN) return NOT_PLAIN;
      copy.push(itemCopy);
    }
    return copy;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return NOT_PLAIN;
  const copy: Record<string, unknown> = {};
  for (const name of Object.keys(value)) {
    if (name === '__proto__') return NOT_PLAIN;
    const fieldCopy = copyPlainData((value as Record<string, unknown>)[name], depth + 1);
    if (fieldCopy === NOT_PLAIN) return NOT_PLAIN;
    copy[name] = fieldCopy;
  }
  return copy;
}

/** Ajv required from this package's own location (src/package/module-url.ts), whichever build runs. */
function ajvWith(settings: AjvSettings): AjvInstance {
  return configureAjv(createRequire(moduleUrl)('ajv') as AjvModule, settings);
}

/** Ajv configured as the runtime's, for the tests (and anything else that compiles schemas of its own). */
export async function newAjv(options: {
  useDefaults: boolean;
  /** ajv-formats' mode: 'full' (the default) checks dates on the calendar, 'fast' by pattern only. */
  formats?: 'full' | 'fast';
}): Promise<AjvInstance> {
  return ajvWith(options);
}

/** Turns Ajv's errors into problems a flow builder can act on: which field, and what is wrong with it. */
export function describeProblems(errors: ErrorObject[] | null | undefined): InputProblem[] {
  if (!errors) return [];
  const problems: InputProblem[] = [];
  const seen = new Set<string>();
  // A oneOf of labelled constants reports one error per branch; report the oneOf once instead.
  const oneOfPaths = new Set(errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  for (const error of errors) {
    if (error.keyword !== 'oneOf' && isUnderOneOf(error, oneOfPaths)) continue;
    // An if/then reports its branch's own errors (a field required for one choice), then "must match then".
    if (error.keyword === 'if') continue;
    const problem = describe(error);
    const key = `${problem.path}\u0000${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  return problems;
}

function isUnderOneOf(error: ErrorObject, oneOfPaths: Set<string>): boolean {
  return oneOfPaths.has(error.instancePath) && /\/oneOf\/\d+\//.test(error.schemaPath);
}

function describe(error: ErrorObject): InputProblem {
  const params = error.params as Record<string, unknown>;
  const base = toDottedPath(error.instancePath);
  const at = (child: string) => (base ? `${base}.${child}` : child);
  switch (error.keyword) {
    case 'required':
      return { path: at(String(params.missingProperty)), message: 'is required' };
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      const known = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
      const suggestion = closestName(field, known);
      return {
        path: at(field),
        message: `is not a known field${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; known fields: ${known.join(', ')}`,
      };
    }
    case 'type':
      return { path: base, message: `must be ${typeName(String(params.type))}` };
    case 'format':
      return { path: base, message: `must be ${formatName(String(params.format))}` };
    case 'minLength':
      return {
        path: base,
        message: params.limit === 1 ? 'must not be empty' : `must be at least ${params.limit} characters`,
      };
    case 'maxLength':
      return { path: base, message: `must be at most ${params.limit} characters` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { path: base, message: `must be ${String(params.comparison)} ${params.limit}` };
    case 'minItems':
      return { path: base, message: `must have at least ${params.limit} item(s)` };
    case 'contains':
      // `contains: {}` is how the manifest says "at least one item" (README, forms): any item will do.
      return isEmptySchema(error.schema)
        ? { path: base, message: 'must have at least 1 item(s)' }
        : { path: base, message: error.message ?? 'is not valid' };
    case 'maxItems':
      return { path: base, message: `must have at most ${params.limit} items` };
    case 'uniqueItems':
      return { path: base, message: 'must not list the same value twice' };
    case 'pattern': {
      const example = (error.parentSchema?.examples as unknown[] | undefined)?.[0];
      return {
        path: base,
        message: `is not in the expected form${example ? ` (for example ${String(example)})` : ''}`,
      };
    }
    case 'enum':
      return { path: base, message: `must be one of: ${(params.allowedValues as unknown[]).join(', ')}` };
    case 'const':
      return { path: base, message: `must be ${JSON.stringify(params.allowedValue)}` };
    case 'oneOf': {
      const options = (error.parentSchema?.oneOf as LabelledValue[] | undefined) ?? [];
      const values = options.map(valueOfChoice);
      if (values.every((value) => value !== undefined)) {
        return { path: base, message: `must be one of: ${values.map(String).join(', ')}` };
      }
      return { path: base, message: 'does not match any of the allowed forms' };
    }
    default:
      return { path: base, message: error.message ?? 'is not valid' };
  }
}

/**
 * A choice of a oneOf of labelled values: `{ const, title }`, or `{ enum: [value], title }`, which the
 * manifest uses because form renderers take a branch's const as the field's default (README, forms).
 */
interface LabelledValue {
  const?: unknown;
  enum?: unknown[];
  title?: string;
}

function valueOfChoice(choice: LabelledValue): unknown {
  if (choice.const !== undefined) return choice.const;
  return Array.isArray(choice.enum) && choice.enum.length === 1 ? choice.enum[0] : undefined;
}

const isEmptySchema = (schema: unknown): boolean =>
  typeof schema === 'object' && schema !== null && Object.keys(schema).length === 0;

/** `/profile/email` -> `profile.email`, `/groupIds/0` -> `groupIds[0]`. */
export function toDottedPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

function typeName(type: string): string {
  const names: Record<string, string> = {
    string: 'text',
    integer: 'a whole number',
    number: 'a number',
    boolean: 'true or false',
    array: 'a list',
    object: 'an object',
    null: 'empty (null)',
  };
  return type
    .split(',')
    .map((t) => names[t] ?? t)
    .join(' or ');
}

function formatName(format: string): string {
  const names: Record<string, string> = {
    email: 'an email address, like jane.doe@example.com',
    'idn-email': 'an email address, like jane.doe@example.com',
    'date-time': 'a date and time, like 2026-01-31T09:00:00Z',
    date: 'a date, like 2026-01-31',
    uri: 'a full web address, like https://example.com/path',
  };
  return names[format] ?? `a valid ${format}`;
}
