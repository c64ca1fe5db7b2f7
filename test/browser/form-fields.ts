/**
 * The fields a form drawn from a JSON Schema must offer, read from the schema alone (not from the
 * renderer): each with the element id react-jsonschema-form gives it (`root_profile_email`), what it
 * takes, and what must be opened first to reach it (a list's "add item", an object's "add property").
 */

export type Schema = Record<string, unknown>;

/** A list to add an item to, or an object to add a property to, before the field exists. */
export interface Opener {
  kind: 'array' | 'object';
  id: string;
}

export interface FormField {
  /** Where its value goes in the form data. */
  path: Array<string | number>;
  id: string;
  title: string | undefined;
  required: boolean;
  /** null is among its values (`type: ["string", "null"]`). */
  nullable: boolean;
  /** A fixed value (const or readOnly): shown, not entered. */
  fixed: boolean;
  /** A closed list of values with their titles (enum, or oneOf/anyOf of constants). */
  choices?: Array<{ value: unknown; title: string | undefined }>;
  /** A string the schema itself suggests (its first example), for typing into a text field. */
  example?: string;
  opens: Opener[];
  schema: Schema;
}

/** A schema with its `$ref` (into the root's definitions) resolved and its own keywords kept on top. */
export function resolve(node: unknown, root: Schema): Schema {
  if (node === true || node === undefined) return {};
  if (!isObject(node)) return {};
  if (typeof node.$ref !== 'string') return node;
  const { $ref, ...own } = node;
  const name = $ref.replace(/^#\/definitions\//, '');
  const target = (root.definitions as Record<string, Schema> | undefined)?.[name];
  if (!target) throw new Error(`unresolved $ref ${$ref}`);
  return { ...resolve(target, root), ...own };
}

/** Every field of the form for `schema`, nested objects, list items and added properties included. */
export function formFields(schema: Schema): FormField[] {
  const fields: FormField[] = [];
  collectObject(schema, resolve(schema, schema), { path: [], id: 'root', opens: [] }, fields);
  return fields;
}

interface Place {
  path: Array<string | number>;
  id: string;
  opens: Opener[];
}

function collectObject(root: Schema, object: Schema, place: Place, out: FormField[]): void {
  const required = new Set((object.required as string[] | undefined) ?? []);
  for (const [key, raw] of Object.entries((object.properties as Record<string, unknown>) ?? {})) {
    const child: Place = { path: [...place.path, key], id: `${place.id}_${key}`, opens: place.opens };
    collect(root, resolve(raw, root), child, required.has(key), out);
  }
  const extra = object.additionalProperties;
  if (extra !== undefined && extra !== false) {
    // RJSF names a property added with "Add" newKey, and gives its value the id <object>_newKey.
    const child: Place = {
      path: [...place.path, 'newKey'],
      id: `${place.id}_newKey`,
      opens: [...place.opens, { kind: 'object', id: place.id }],
    };
    collect(root, resolve(extra, root), child, false, out);
  }
}

function collect(root: Schema, schema: Schema, place: Place, required: boolean, out: FormField[]): void {
  const type = mainType(schema);
  // An object that declares no properties and allows any is data entered as a whole (a JSON body):
  // it needs a control of its own, like a leaf.
  const opaque = type === 'object' && !schema.properties && schema.additionalProperties === undefined;
  if (type === 'object' && !opaque && !choicesOf(schema, root)) {
    collectObject(root, schema, place, out);
    return;
  }
  if (type === 'array' && !choicesOf(schema, root)) {
    const item: Place = {
      path: [...place.path, 0],
      id: `${place.id}_0`,
      opens: [...place.opens, { kind: 'array', id: place.id }],
    };
    collect(root, resolve(schema.items, root), item, false, out);
    return;
  }
  const examples = schema.examples as unknown[] | undefined;
  const choices = choicesOf(schema, root);
  out.push({
    ...place,
    title: schema.title as string | undefined,
    required,
    nullable: typesOf(schema).includes('null'),
    fixed: schema.const !== undefined || schema.readOnly === true,
    ...(choices ? { choices } : {}),
    ...(typeof examples?.[0] === 'string' ? { example: examples[0] } : {}),
    schema,
  });
}

function typesOf(schema: Schema): string[] {
  const type = schema.type;
  return Array.isArray(type) ? (type as string[]) : typeof type === 'string' ? [type] : [];
}

/** The type a renderer draws: the one that is not null, or the first of several. */
function mainType(schema: Schema): string | undefined {
  const types = typesOf(schema);
  return types.length === 2 && types.includes('null') ? types.find((t) => t !== 'null') : types[0];
}

/** The closed list of values of an enum-like schema, with their titles, or undefined. */
export function choicesOf(schema: Schema, root: Schema): FormField['choices'] {
  if (Array.isArray(schema.enum)) return schema.enum.map((value) => ({ value, title: undefined }));
  const options = (schema.oneOf ?? schema.anyOf) as unknown[] | undefined;
  if (!Array.isArray(options)) return undefined;
  const resolved = options.map((option) => resolve(option, root));
  const constants = resolved.map((option) =>
    option.const !== undefined
      ? { value: option.const, title: option.title as string | undefined }
      : Array.isArray(option.enum) && option.enum.length === 1
        ? { value: option.enum[0], title: option.title as string | undefined }
        : undefined,
  );
  return constants.every((c) => c !== undefined) ? constants : undefined;
}

/** The schema (resolved) of the value at `path` of the root's data, through properties and items. */
export function schemaAt(root: Schema, path: Array<string | number>): Schema | undefined {
  let node: Schema | undefined = resolve(root, root);
  for (const key of path) {
    if (!node) return undefined;
    const next: unknown =
      typeof key === 'number' ? node.items : (node.properties as Record<string, unknown> | undefined)?.[key];
    node = next === undefined ? undefined : resolve(next, root);
  }
  return node;
}

/** The value at `path` in `data`, or undefined. */
export function valueAt(data: unknown, path: Array<string | number>): unknown {
  let value = data;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
