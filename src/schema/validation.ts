/**
 * The one private, deliberately configured JSON Schema validator. Ajv is loaded on first use (importing
 * the plugin or reading its manifest must stay cheap) and every schema is compiled once, then reused.
 */
import type { AnySchema, ErrorObject, FuncKeywordDefinition, ValidateFunction } from 'ajv';
import type { InputProblem } from '../errors/action-error.js';
import { isInternationalizedEmail } from './idn-email.js';
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

let validatorsPromise: Promise<Validators> | undefined;

export function loadValidators(): Promise<Validators> {
  validatorsPromise ??= createValidators().catch((error: unknown) => {
    validatorsPromise = undefined;
    throw error;
  });
  return validatorsPromise;
}

async function createValidators(): Promise<Validators> {
  const [inputAjv, outputAjv] = await Promise.all([
    newAjv({ useDefaults: true }),
    // Outputs get the regex-only formats. Their values come from Okta, whose timestamps are well formed;
    // the full date-time check (calendar days, leap seconds) costs ~1.1 us a value against 0.06, ~8% of
    // listing 100,000 users (bench/large-lists.mjs), and could only turn an Okta quirk into a failed run.
    // Inputs keep the full check: people type them.
    newAjv({ useDefaults: false, formats: 'fast' }),
  ]);
  const compiled = new Map<string, ValidateFunction>();
  const compile = (ajv: AjvInstance, key: string, schema: AnySchema): ValidateFunction => {
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(schema);
      compiled.set(key, validate);
    }
    return validate;
  };
  return {
    checkInput(schemaKey, schema, value) {
      let copy: unknown;
      try {
        copy = value === undefined ? {} : structuredClone(value);
      } catch {
        return {
          value,
          problems: [{ path: '', message: 'must be plain JSON data (no functions or class instances)' }],
        };
      }
      const validate = compile(inputAjv, `input:${schemaKey}`, schema);
      return validate(copy)
        ? { value: copy, problems: [] }
        : { value: copy, problems: describeProblems(validate.errors) };
    },
    checkOutput(schemaKey, schema, value) {
      const validate = compile(outputAjv, `output:${schemaKey}`, schema);
      return validate(value) ? [] : describeProblems(validate.errors);
    },
  };
}

/** Ajv options shared by the runtime, the generator and the tests. */
export async function newAjv(options: {
  useDefaults: boolean;
  /** ajv-formats' mode: 'full' (the default) checks dates on the calendar, 'fast' by pattern only. */
  formats?: 'full' | 'fast';
}): Promise<AjvInstance> {
  const [ajvModule, formatsModule] = await Promise.all([import('ajv'), import('ajv-formats')]);
  // Both are CommonJS; how their exports surface differs between ESM, CJS and bundlers.
  const Ajv = (ajvModule.Ajv ??
    (ajvModule.default as unknown as { Ajv?: unknown }).Ajv ??
    ajvModule.default) as typeof import('ajv').Ajv;
  const formats = formatsModule as unknown as { default?: unknown };
  const addFormats = (
    typeof formats.default === 'function'
      ? formats.default
      : (formats.default as { default: unknown }).default
  ) as (ajv: AjvInstance, settings: { mode: 'full' | 'fast' }) => void;
  const ajv = new Ajv({
    allErrors: true,
    // parentSchema lets messages name the known fields and show an example; values are never quoted.
    verbose: true,
    useDefaults: options.useDefaults,
    strict: true,
    strictRequired: false,
    strictTypes: false,
    logger: false,
  });
  addFormats(ajv, { mode: options.formats ?? 'full' });
  // ajv-formats has no idn-email (draft-07's internationalized email): email fields take it, since Okta
  // takes Unicode in logins and email addresses (help.okta.com, "Supported Okta email address characters").
  ajv.addFormat('idn-email', isInternationalizedEmail);
  // Secret fields are marked for form renderers; the format carries no constraint of its own.
  ajv.addFormat('password', true);
  ajv.addKeyword({ keyword: 'x-secret', schemaType: 'boolean' });
  // Where a picker finds an id field's options (README, "Pickers"); it constrains nothing.
  ajv.addKeyword({ keyword: 'x-lookup', schemaType: 'object' });
  ajv.addKeyword(options.useDefaults ? TRIM : { keyword: 'x-trim', schemaType: 'boolean' });
  return ajv;
}

/**
 * `x-trim: true` on an identifier (an id, a login): the input's value loses surrounding whitespace before
 * it is checked and used, as a person pasting " jane.doe@example.com " means the user, whom Okta would
 * not find with the spaces. Only where the schema says so: a password or a description keeps its spaces.
 * It runs before the string's other keywords (its pattern, its length), which see the trimmed value.
 */
const TRIM: FuncKeywordDefinition = {
  keyword: 'x-trim',
  type: 'string',
  schemaType: 'boolean',
  modifying: true,
  before: 'maxLength',
  validate: (trim: boolean, data: string, _schema, context) => {
    if (trim && context && data !== data.trim())
      (context.parentData as Record<string | number, unknown>)[context.parentDataProperty] = data.trim();
    return true;
  },
};

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
