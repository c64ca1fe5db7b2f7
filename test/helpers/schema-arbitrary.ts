/**
 * fast-check arbitraries from the manifest's JSON Schemas: values that satisfy an input schema, and
 * values that break it in exactly one named place. Covers the draft-07 subset the manifest uses: $ref into
 * definitions, const, enum, oneOf of constants, types (one or several), string pattern/format/length,
 * number ranges, arrays, and objects with required, optional and additional properties.
 */
import fc from 'fast-check';

type Schema = Record<string, unknown> & {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
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
  minProperties?: number;
};

export interface Breakage {
  input: Record<string, unknown>;
  /** The dotted path of the field that was broken (what the error must name). */
  path: string;
}

function resolve(schema: Schema, root: Schema): Schema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/definitions/', '');
  return resolve((root.definitions as Record<string, Schema>)[name]!, root);
}

const EMAIL = fc
  .tuple(fc.stringMatching(/^[a-z][a-z0-9.]{0,10}[a-z0-9]$/), fc.constantFrom('example.com', 'acme.io'))
  .map(([local, domain]) => `${local}@${domain}`);

/** Values that satisfy the schema. */
export function validValue(input: Schema, root: Schema): fc.Arbitrary<unknown> {
  const schema = resolve(input, root);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.oneOf) return fc.oneof(...schema.oneOf.map((option) => validValue(option, root)));
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : ['string'];
  return fc.oneof(...types.filter((t) => t !== 'null').map((type) => validOfType(type, schema, root)));
}

function validOfType(type: string, schema: Schema, root: Schema): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
      if (schema.format === 'email') return EMAIL;
      if (schema.format === 'date-time')
        return fc
          .date({ min: new Date(2020, 0, 1), max: new Date(2030, 0, 1), noInvalidDate: true })
          .map((d) => d.toISOString());
      if (schema.format === 'uri') return fc.webUrl({ validSchemes: ['https'] });
      return fc
        .string({
          minLength: Math.max(1, schema.minLength ?? 1),
          maxLength: Math.min(schema.maxLength ?? 40, 40),
        })
        .filter((s) => s.trim().length > 0);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: Math.min(schema.maximum ?? 100_000, 100_000) });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.uniqueArray(validValue(schema.items ?? {}, root), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 3, 3),
        selector: (v) => JSON.stringify(v),
      });
    case 'object':
      return validObject(schema, root);
    default:
      return fc.constant(null);
  }
}

function validObject(schema: Schema, root: Schema): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const model = Object.fromEntries(
    Object.entries(properties).map(([name, property]) => [name, validValue(property, root)]),
  );
  return fc
    .record(model, { requiredKeys: [...required].filter((name) => name in properties) })
    .filter((value) => Object.keys(value).length >= (schema.minProperties ?? 0)) as fc.Arbitrary<
    Record<string, unknown>
  >;
}

/** Inputs broken in one place: an unknown field, a missing required field, a wrong type, a bad value. */
export function brokenInput(input: Schema): fc.Arbitrary<Breakage> {
  const root = input;
  const properties = input.properties ?? {};
  const base = validObject(input, root);
  const breakages: Array<fc.Arbitrary<Breakage>> = [
    base.map((value) => ({ input: { ...value, unknownFieldFromFuzz: 1 }, path: 'unknownFieldFromFuzz' })),
  ];
  for (const name of input.required ?? []) {
    breakages.push(
      base.map((value) => {
        const { [name]: _removed, ...rest } = value;
        return { input: rest, path: name };
      }),
    );
  }
  for (const [name, raw] of Object.entries(properties)) {
    const property = resolve(raw, root);
    const wrong = wrongValue(property);
    if (wrong)
      breakages.push(
        fc.tuple(base, wrong).map(([value, bad]) => ({ input: { ...value, [name]: bad }, path: name })),
      );
  }
  return fc.oneof(...breakages);
}

/** A value of the wrong kind, or out of the schema's bounds; undefined when the schema accepts anything. */
function wrongValue(schema: Schema): fc.Arbitrary<unknown> | undefined {
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (schema.const !== undefined || schema.enum || schema.oneOf) return fc.constant('not-one-of-the-choices');
  if (types.length === 0) return undefined;
  const options: Array<fc.Arbitrary<unknown>> = [];
  if (!types.includes('string')) options.push(fc.constant('some text'));
  else {
    if (!types.includes('number') && !types.includes('integer')) options.push(fc.integer());
    if (schema.pattern) options.push(fc.constant('!! not the expected form !!'));
    if (schema.maxLength !== undefined) options.push(fc.constant('x'.repeat(schema.maxLength + 1)));
    if (schema.format === 'email') options.push(fc.constant('not-an-email'));
  }
  if ((types.includes('integer') || types.includes('number')) && schema.minimum !== undefined)
    options.push(fc.constant(schema.minimum - 1));
  if ((types.includes('integer') || types.includes('number')) && schema.maximum !== undefined)
    options.push(fc.constant(schema.maximum + 1));
  if (types.includes('integer')) options.push(fc.constant(1.5));
  if (!types.includes('boolean') && !types.includes('string')) options.push(fc.boolean());
  return options.length > 0 ? fc.oneof(...options) : undefined;
}
