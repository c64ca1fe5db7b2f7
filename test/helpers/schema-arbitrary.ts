/**
 * fast-check arbitraries from the manifest's JSON Schemas: values that satisfy an input schema, and
 * inputs that break it in exactly one named place. Covers the draft-07 subset the manifest uses: $ref into
 * definitions, const, enum, oneOf of constants, types (one or several), string pattern/format/length,
 * number ranges, arrays (with uniqueItems; `contains: {}` as at least one item), and objects with required, optional and additional
 * properties (additionalProperties as a schema, propertyNames with a pattern and a `not: { enum }`).
 *
 * test/fuzz.test.ts checks every value made here against the schema with Ajv before using it, so a mistake
 * here shows up as a generator failure, not as a false bug report about the plugin.
 */
import fc from 'fast-check';

export type Schema = Record<string, unknown> & {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  propertyNames?: Schema;
  not?: Schema;
  items?: Schema;
  oneOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  contains?: Schema;
  if?: Schema;
  then?: Schema;
  uniqueItems?: boolean;
  minProperties?: number;
};

export interface Breakage {
  input: Record<string, unknown>;
  /** The dotted path of the field that was broken (what the error must name, or start with). */
  path: string;
}

/**
 * Extra values to mix into what the schema alone would give, by definition name (`userIdOrLogin`,
 * `groupId`...) or by property name (`path`): real ids of a sandbox, so that valid inputs reach past the
 * first 404 and exercise the requests an action sends once it has found its object.
 */
export type Hints = Readonly<
  Record<string, fc.Arbitrary<unknown> | ((schema: Schema) => fc.Arbitrary<unknown>)>
>;

function refName(schema: Schema): string | undefined {
  return schema.$ref?.replace('#/definitions/', '');
}

function resolve(schema: Schema, root: Schema): Schema {
  const name = refName(schema);
  if (!name) return schema;
  const target = (root.definitions as Record<string, Schema> | undefined)?.[name];
  if (!target) throw new Error(`schema-arbitrary: no definition ${name}`);
  return resolve(target, root);
}

/** Strings that make paths, queries and JSON bodies interesting: separators, dots, escapes, non-ASCII. */
const AWKWARD_STRINGS = [
  '..',
  '../users',
  'a/b',
  'x?y=1',
  'x#y',
  '%2e%2e',
  '%2F',
  'a b',
  'é',
  'Zoë Ångström',
  '日本語',
  '"quoted"',
  "o'brien",
  'back\\slash',
  'semi;colon',
  'amp&ersand',
  'plus+sign',
  'x'.repeat(40),
];

const EMAIL = fc
  .tuple(fc.stringMatching(/^[a-z][a-z0-9.]{0,10}[a-z0-9]$/), fc.constantFrom('example.com', 'acme.io'))
  .map(([local, domain]) => `${local}@${domain}`)
  .filter((email) => !email.includes('..'));

/** Values that satisfy the schema; `hints` mixes real values in (see Hints). */
export function validValue(
  input: Schema,
  root: Schema,
  hints: Hints = {},
  name?: string,
): fc.Arbitrary<unknown> {
  const found = (refName(input) && hints[refName(input)!]) || (name && hints[name]);
  const schema = resolve(input, root);
  const generated = validOfSchema(schema, root, hints);
  if (!found) return generated;
  // A hint may depend on the schema it fills (a page size within that action's own bounds).
  const hint = typeof found === 'function' ? found(schema) : found;
  // Weighted towards the hint: a random id only ever answers 404, a real one exercises the action.
  return fc.oneof({ arbitrary: hint, weight: 3 }, { arbitrary: generated, weight: 1 });
}

function validOfSchema(schema: Schema, root: Schema, hints: Hints): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.oneOf) return fc.oneof(...schema.oneOf.map((option) => validValue(option, root, hints)));
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : ['string'];
  const options = types.map((type) => validOfType(type, schema, root, hints));
  return options.length === 1 ? options[0]! : fc.oneof(...options);
}

function validOfType(type: string, schema: Schema, root: Schema, hints: Hints): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return validString(schema);
    case 'integer':
      return fc.integer({
        min: schema.minimum ?? -1000,
        max: Math.min(schema.maximum ?? 100_000, 100_000),
      });
    case 'number':
      return fc.double({
        min: schema.minimum ?? -1000,
        max: schema.maximum ?? 1000,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = leastItems(schema);
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? 3, 3));
      const item = validValue(schema.items ?? {}, root, hints);
      return schema.uniqueItems
        ? fc.uniqueArray(item, { minLength, maxLength, selector: (v) => JSON.stringify(v) })
        : fc.array(item, { minLength, maxLength });
    }
    case 'object':
      return validObject(schema, root, hints);
    default:
      throw new Error(`schema-arbitrary: type ${type} is not covered`);
  }
}

/** A string within the schema's length, pattern and format (each generator is filtered by all three). */
function validString(schema: Schema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = schema.maxLength ?? Number.POSITIVE_INFINITY;
  const pattern = schema.pattern ? new RegExp(schema.pattern, 'u') : undefined;
  let base: fc.Arbitrary<string>;
  if (schema.format === 'email' || schema.format === 'idn-email') base = EMAIL;
  else if (schema.format === 'date-time')
    base = fc
      .date({ min: new Date(2020, 0, 1), max: new Date(2030, 0, 1), noInvalidDate: true })
      .map((d) => d.toISOString());
  else if (schema.format === 'uri') base = fc.webUrl({ validSchemes: ['https'] });
  else if (pattern) base = fc.stringMatching(withLength(schema.pattern!, minLength, maxLength));
  else {
    const length = { minLength: Math.max(1, minLength), maxLength: Math.min(maxLength, 40) };
    base = fc.oneof(
      fc.string(length),
      fc.string({ ...length, unit: 'grapheme' }),
      fc.constantFrom(...AWKWARD_STRINGS),
    );
  }
  return base.filter(
    (s) =>
      [...s].length >= minLength &&
      [...s].length <= maxLength &&
      (!pattern || pattern.test(s)) &&
      // The input check trims an x-trim field (an id, a login) before its pattern: valid means valid trimmed.
      (schema['x-trim'] !== true || s === s.trim()) &&
      // Okta trims text fields: a value of spaces only is a different kind of input (an empty one).
      (schema.format !== undefined || pattern !== undefined || s.trim().length > 0),
  );
}

/**
 * `^[class]+$` with a minLength of 15 would almost never give 15 characters by itself, and filtering for
 * it would spin for ever: such a pattern becomes `^[class]{min,max}$`. Other patterns stay as they are.
 */
function withLength(pattern: string, minLength: number, maxLength: number): RegExp {
  const single = /^\^(\[(?:\\.|[^\]])+\])[+*]\$$/.exec(pattern);
  if (!single) return new RegExp(pattern, 'u');
  const min = Math.max(minLength, pattern.endsWith('+$') ? 1 : 0);
  const max = Math.max(min, Math.min(maxLength, min + 40));
  return new RegExp(`^${single[1]}{${min},${max}}$`, 'u');
}

/** Property names allowed by `propertyNames` (pattern, `not: { enum }`) and not already declared. */
function extraKeys(schema: Schema): fc.Arbitrary<string> {
  const names = schema.propertyNames ?? {};
  const pattern = names.pattern ? new RegExp(names.pattern) : /^[A-Za-z_][A-Za-z0-9_]*$/;
  const refused = new Set([
    ...((names.not?.enum as string[] | undefined) ?? []),
    ...Object.keys(schema.properties ?? {}),
  ]);
  return fc
    .stringMatching(pattern)
    .filter((key) => key.length > 0 && key.length <= 30 && !refused.has(key) && key !== '__proto__');
}

const ABSENT = Symbol('absent');

function validObject(schema: Schema, root: Schema, hints: Hints): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const required = (schema.required ?? []).filter((name) => name in properties);
  // An optional field is given in about a third of the values: with every field at even odds, most list
  // inputs would combine options a handler rightly refuses together (filter with search, a made-up
  // cursor) and never reach Okta.
  const model = Object.fromEntries(
    Object.entries(properties).map(([name, property]) => {
      const value = validValue(property, root, hints, name);
      return [
        name,
        required.includes(name)
          ? value
          : fc.oneof({ arbitrary: fc.constant(ABSENT), weight: 2 }, { arbitrary: value, weight: 1 }),
      ];
    }),
  );
  const declared = fc
    .record(model)
    .map((value) => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== ABSENT)));
  const extraSchema = schema.additionalProperties;
  const minProperties = schema.minProperties ?? 0;
  if (extraSchema === undefined || extraSchema === false) {
    return withConditionalFields(schema, root, hints, declared).filter(
      (value) => Object.keys(value).length >= minProperties,
    );
  }
  // additionalProperties: true or a schema (custom attributes): add a few keys of our own.
  const extraValue =
    extraSchema === true ? fc.jsonValue({ maxDepth: 1 }) : validValue(extraSchema, root, hints);
  const extras = fc.dictionary(extraKeys(schema), extraValue, {
    minKeys: Object.keys(properties).length === 0 ? minProperties : 0,
    maxKeys: 3,
    noNullPrototype: true,
  });
  return fc
    .tuple(declared, extras)
    .map(([own, extra]) => ({ ...extra, ...own }))
    .filter((value) => Object.keys(value).length >= minProperties);
}

/**
 * An object's if/then of the kind the manifest uses (a choice, `roleType: CUSTOM`, makes other fields
 * required): a value that makes the choice gets those fields too.
 */
function withConditionalFields(
  schema: Schema,
  root: Schema,
  hints: Hints,
  arbitrary: fc.Arbitrary<Record<string, unknown>>,
): fc.Arbitrary<Record<string, unknown>> {
  const condition = schema.if;
  const properties = schema.properties ?? {};
  const needed = (schema.then?.required ?? []).filter((name) => name in properties);
  if (!condition || needed.length === 0) return arbitrary;
  const model = Object.fromEntries(
    needed.map((name) => [name, validValue(properties[name] as Schema, root, hints, name)]),
  );
  return fc
    .tuple(arbitrary, fc.record(model))
    .map(([value, fields]) => (meetsCondition(condition, value) ? { ...fields, ...value } : value));
}

/** Whether a value meets an `if` made of required names and `const` properties. */
function meetsCondition(condition: Schema, value: Record<string, unknown>): boolean {
  if (!(condition.required ?? []).every((name) => name in value)) return false;
  return Object.entries(condition.properties ?? {}).every(
    ([name, property]) =>
      !(name in value) ||
      property.const === undefined ||
      JSON.stringify(value[name]) === JSON.stringify(property.const),
  );
}

/**
 * Inputs broken in one place: an unknown field, a missing required field, a wrong type, a bad value (out
 * of range, too long, not matching the pattern or format, not one of the choices), a repeated list item, a
 * bad list item, or any of these one level down in a nested object (`profile.email`).
 */
export function brokenInput(input: Schema): fc.Arbitrary<Breakage> {
  return brokenObject(input, input, '').map(({ value, path }) => ({
    input: value as Record<string, unknown>,
    path,
  }));
}

const at = (prefix: string, name: string) => (prefix ? `${prefix}.${name}` : name);

interface Broken {
  value: unknown;
  path: string;
}

function brokenObject(schema: Schema, root: Schema, prefix: string, depth = 0): fc.Arbitrary<Broken> {
  const properties = schema.properties ?? {};
  const base = validObject(schema, root, {});
  const breakages: Array<fc.Arbitrary<Broken>> = [];
  if (schema.additionalProperties === false) {
    breakages.push(
      base.map((value) => ({
        value: { ...value, unknownFieldFromFuzz: 1 },
        path: at(prefix, 'unknownFieldFromFuzz'),
      })),
    );
  } else if (typeof schema.additionalProperties === 'object') {
    // A custom attribute of a type the schema does not allow (an object where only scalars and lists go).
    const extra = resolve(schema.additionalProperties, root);
    const wrong = wrongType(extra);
    if (wrong)
      breakages.push(
        fc.tuple(base, wrong).map(([value, bad]) => ({
          value: { ...value, customFromFuzz: bad },
          path: at(prefix, 'customFromFuzz'),
        })),
      );
  }
  if (schema.propertyNames?.pattern) {
    breakages.push(base.map((value) => ({ value: { ...value, 'not a valid name!': 'x' }, path: prefix })));
  }
  for (const name of schema.required ?? []) {
    breakages.push(
      base.map((value) => {
        const { [name]: _removed, ...rest } = value;
        return { value: rest, path: at(prefix, name) };
      }),
    );
  }
  for (const [name, raw] of Object.entries(properties)) {
    const property = resolve(raw, root);
    const path = at(prefix, name);
    const wrong = wrongValue(property);
    if (wrong) {
      breakages.push(
        fc.tuple(base, wrong).map(([value, bad]) => ({ value: { ...value, [name]: bad }, path })),
      );
    }
    const nested = brokenNested(property, root, path, depth);
    if (nested) {
      breakages.push(
        fc
          .tuple(base, nested)
          .map(([value, inner]) => ({ value: { ...value, [name]: inner.value }, path: inner.path })),
      );
    }
  }
  if (breakages.length === 0) throw new Error(`schema-arbitrary: nothing to break at "${prefix}"`);
  return fc.oneof(...breakages);
}

/** A break inside a nested object or list: an object's own fields, a bad item, a repeated item. */
function brokenNested(
  property: Schema,
  root: Schema,
  path: string,
  depth: number,
): fc.Arbitrary<Broken> | undefined {
  const types = typesOf(property);
  if (depth > 0) return undefined;
  if (types.length === 1 && types[0] === 'object' && property.properties) {
    return brokenObject(property, root, path, depth + 1);
  }
  if (types.length === 1 && types[0] === 'array' && property.items) {
    const itemSchema = resolve(property.items, root);
    const options: Array<fc.Arbitrary<Broken>> = [];
    const good = validValue(itemSchema, root);
    const maxLength = Math.min(property.maxItems ?? 3, 3);
    const wrongItem = wrongValue(itemSchema);
    if (wrongItem && maxLength >= 1) {
      // Valid items first, then one bad one: the error must name that item's index.
      options.push(
        fc
          .tuple(
            fc.uniqueArray(good, { maxLength: maxLength - 1, selector: (v) => JSON.stringify(v) }),
            wrongItem,
          )
          .map(([items, bad]) => ({ value: [...items, bad], path: `${path}[${items.length}]` })),
      );
    }
    if (property.uniqueItems && maxLength >= 2) {
      options.push(good.map((item) => ({ value: [item, item], path })));
    }
    if (leastItems(property) > 0) options.push(fc.constant({ value: [], path }));
    return options.length > 0 ? fc.oneof(...options) : undefined;
  }
  return undefined;
}

function typesOf(schema: Schema): string[] {
  return Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
}

/** Which of the schema's types a JSON value has (an integer is also a number). */
function hasAllowedType(value: unknown, types: string[]): boolean {
  if (value === null) return types.includes('null');
  if (Array.isArray(value)) return types.includes('array');
  if (typeof value === 'number')
    return types.includes('number') || (Number.isInteger(value) && types.includes('integer'));
  return types.includes(typeof value);
}

const ONE_OF_EACH_TYPE: unknown[] = ['some text', 7, 1.5, true, null, [], { nested: 1 }];

/** A value of a type the schema does not allow; undefined when it allows every type. */
function wrongType(schema: Schema): fc.Arbitrary<unknown> | undefined {
  const types = typesOf(schema);
  if (types.length === 0) return undefined;
  const wrong = ONE_OF_EACH_TYPE.filter((value) => !hasAllowedType(value, types));
  return wrong.length > 0 ? fc.constantFrom(...wrong) : undefined;
}

/** A value of the wrong kind, or out of the schema's bounds; undefined when the schema accepts anything. */
function wrongValue(schema: Schema): fc.Arbitrary<unknown> | undefined {
  if (schema.const !== undefined || schema.enum || schema.oneOf)
    return fc.constantFrom('not-one-of-the-choices', 42, null);
  const types = typesOf(schema);
  if (types.length === 0) return undefined;
  const options: Array<fc.Arbitrary<unknown>> = [];
  const byType = wrongType(schema);
  if (byType) options.push(byType);
  if (types.includes('string')) {
    const pattern = schema.pattern ? new RegExp(schema.pattern, 'u') : undefined;
    if (pattern) {
      // Candidates are checked against the pattern: '!!' would still match a pattern like \S.
      const misfits = ['!! not the expected form !!', ' ', '\t', 'a b/c?d', 'é'].filter(
        (s) => !pattern.test(s) && s.length >= (schema.minLength ?? 0),
      );
      if (misfits.length > 0) options.push(fc.constantFrom(...misfits));
    }
    if (schema.maxLength !== undefined) options.push(fc.constant('x'.repeat(schema.maxLength + 1)));
    if ((schema.minLength ?? 0) >= 1) options.push(fc.constant(''));
    if (schema.format === 'email' || schema.format === 'idn-email')
      options.push(fc.constantFrom('not-an-email', 'jane@', '@example.com'));
    if (schema.format === 'date-time') options.push(fc.constantFrom('yesterday', '2026-13-01T00:00:00Z'));
    if (schema.format === 'uri') options.push(fc.constantFrom('not a uri', '//no-scheme'));
  }
  if (types.includes('integer') || types.includes('number')) {
    if (schema.minimum !== undefined) options.push(fc.constant(schema.minimum - 1));
    if (schema.maximum !== undefined) options.push(fc.constant(schema.maximum + 1));
  }
  if (types.includes('array') && leastItems(schema) > 0) options.push(fc.constant([]));
  return options.length > 0 ? fc.oneof(...options) : undefined;
}

/** The fewest items an array schema takes: minItems, or one for `contains: {}` (any item will do). */
function leastItems(schema: Schema): number {
  const contains = schema.contains && Object.keys(schema.contains).length === 0 ? 1 : 0;
  return Math.max(schema.minItems ?? 0, contains);
}
