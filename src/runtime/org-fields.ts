/**
 * The org's own profile attributes in an action's input schema: which actions take them and where, which of
 * Okta's profile schemas defines them, and how an attribute of Okta's schema (UserSchemaAttribute,
 * GroupSchemaAttribute) becomes a JSON Schema property. Pure: the reads are input-schema.ts's.
 *
 * The result only narrows what the manifest's schema accepts, never widens it: execute() checks inputs
 * against the manifest, whose profile objects take any further attribute of a plain JSON type, so every
 * value the extended schema accepts, execute() accepts and sends on to Okta as it is.
 */

/** Which of Okta's profile schemas an action's attributes come from. */
export type ProfileSource = 'user' | 'group' | 'app';

export interface OrgFields {
  /** The input property (an object) that takes the attributes. */
  property: string;
  source: ProfileSource;
  /**
   * `create`: a new object (the attributes Okta requires are required); `replace`: a whole profile, also
   * with its required attributes; `change`: only what changes, where null clears a value.
   */
  writes: 'create' | 'replace' | 'change';
}

/**
 * The actions whose input takes profile attributes of the org: a user's profile (the userProfileInput and
 * userProfilePatch definitions, and replace-user's complete profile), a group's custom attributes
 * (groupProfileAttributes), an app user's profile (appUserProfile).
 */
export const ORG_FIELDS: Readonly<Record<string, OrgFields>> = {
  'create-user': { property: 'profile', source: 'user', writes: 'create' },
  'update-user': { property: 'profile', source: 'user', writes: 'change' },
  'replace-user': { property: 'profile', source: 'user', writes: 'replace' },
  'create-group': { property: 'attributes', source: 'group', writes: 'create' },
  'update-group': { property: 'attributes', source: 'group', writes: 'change' },
  'assign-user-to-app': { property: 'profile', source: 'app', writes: 'change' },
  'update-app-user': { property: 'profile', source: 'app', writes: 'change' },
};

/**
 * One attribute of Okta's profile schema, as Okta's JSON has it (title, description, type, enum, oneOf,
 * items, minLength, maxLength, format, required, default, mutability, permissions): read loosely, as
 * nothing in it is checked before it is used.
 */
export type OktaAttribute = Readonly<Record<string, unknown>>;

type JsonSchema = Record<string, unknown>;

/**
 * Not for writing: what the admin made read-only, for the API (`mutability: READ_ONLY`, an attribute its
 * source writes) or for the user (`permissions` giving the principal SELF `READ_ONLY`).
 */
export function isReadOnly(attribute: OktaAttribute): boolean {
  if (attribute.mutability === 'READ_ONLY') return true;
  const permissions = Array.isArray(attribute.permissions) ? attribute.permissions : [];
  return permissions.some(
    (permission) =>
      isObject(permission) && permission.principal === 'SELF' && permission.action === 'READ_ONLY',
  );
}

/** An attribute as a JSON Schema property, or undefined for one whose type JSON Schema cannot say here. */
export function propertyOf(
  name: string,
  attribute: OktaAttribute,
  nullable: boolean,
): JsonSchema | undefined {
  const value = valueSchema(attribute);
  if (!value) return undefined;
  const title = typeof attribute.title === 'string' && attribute.title.trim() ? attribute.title : name;
  const description = typeof attribute.description === 'string' ? attribute.description : undefined;
  return {
    title,
    ...(description ? { description } : {}),
    ...(nullable ? orNull(value) : value),
  };
}

function valueSchema(attribute: OktaAttribute): JsonSchema | undefined {
  switch (attribute.type) {
    case 'string':
      return {
        type: 'string',
        ...choicesOf(attribute, 'string'),
        ...lengthsOf(attribute),
        ...formatOf(attribute),
      };
    case 'integer':
    case 'number':
      return { type: attribute.type, ...choicesOf(attribute, attribute.type) };
    case 'boolean':
      return { type: 'boolean' };
    case 'array': {
      const items = isObject(attribute.items) ? itemSchema(attribute.items) : undefined;
      return { type: 'array', ...(items ? { items } : {}) };
    }
    default:
      return undefined;
  }
}

/** The items of an array attribute: strings, numbers or integers, with their choices. */
function itemSchema(items: Record<string, unknown>): JsonSchema | undefined {
  const type = items.type;
  if (type !== 'string' && type !== 'number' && type !== 'integer') return undefined;
  return { type, ...choicesOf(items, type) };
}

type Scalar = 'string' | 'integer' | 'number';

const fits = (value: unknown, type: Scalar): boolean =>
  type === 'string'
    ? typeof value === 'string'
    : typeof value === 'number' && (type === 'number' || Number.isInteger(value));

/**
 * Okta's choices: `oneOf` entries (a value and the name people see, as the Profile Editor writes them) when
 * there are some, else `enum`. The project's schemas say named values as `oneOf` of `const` and `title`.
 */
function choicesOf(attribute: Record<string, unknown>, type: Scalar): JsonSchema {
  const named = Array.isArray(attribute.oneOf)
    ? attribute.oneOf.filter((entry) => isObject(entry) && fits(entry.const, type))
    : [];
  if (named.length > 0) {
    return {
      oneOf: named.map((entry) => {
        const { const: value, title } = entry as { const: unknown; title?: unknown };
        return { const: value, title: typeof title === 'string' && title ? title : String(value) };
      }),
    };
  }
  const values = Array.isArray(attribute.enum) ? attribute.enum.filter((value) => fits(value, type)) : [];
  return values.length > 0 ? { enum: [...new Set(values)] } : {};
}

function lengthsOf(attribute: OktaAttribute): JsonSchema {
  const length = (value: unknown) =>
    typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
  const minLength = length(attribute.minLength);
  const maxLength = length(attribute.maxLength);
  const consistent = maxLength !== undefined && (minLength === undefined || maxLength >= minLength);
  return {
    ...(minLength !== undefined ? { minLength } : {}),
    ...(consistent ? { maxLength } : {}),
  };
}

/** Okta's `email` is the project's `idn-email` (Okta takes Unicode addresses); other formats say nothing here. */
function formatOf(attribute: OktaAttribute): JsonSchema {
  return attribute.format === 'email' ? { format: 'idn-email' } : {};
}

/** A value that may also be null (clearing it): its type, and its choices, take null too. */
function orNull(schema: JsonSchema): JsonSchema {
  const nullable: JsonSchema = { ...schema, type: [schema.type, 'null'] };
  if (Array.isArray(schema.enum)) nullable.enum = [...schema.enum, null];
  if (Array.isArray(schema.oneOf))
    nullable.oneOf = [...schema.oneOf, { const: null, title: 'None (clears it)' }];
  return nullable;
}

export interface Extended {
  schema: JsonSchema;
  /** The attributes added, by name, in the order of Okta's schema. */
  custom: string[];
}

/**
 * The action's input schema with the org's attributes added to its profile object: a copy, the manifest's
 * own left as it is. Attributes the static schema already has (base attributes keep their meaning), that
 * its property names refuse, that are read-only, or that cannot change once set (IMMUTABLE) where the
 * action changes an existing object, are left out.
 */
export function withOrgAttributes(
  input: JsonSchema,
  fields: OrgFields,
  attributes: Readonly<Record<string, OktaAttribute>>,
): Extended {
  const schema = structuredClone(input);
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  const target = properties && resolve(schema, properties[fields.property]);
  if (!properties || !target) return { schema, custom: [] };
  const known = new Set(Object.keys((target.properties as object | undefined) ?? {}).map(lowerCase));
  const accepts = nameFilter(target);
  const added: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [name, attribute] of Object.entries(attributes)) {
    if (known.has(lowerCase(name)) || !accepts(name) || isReadOnly(attribute)) continue;
    if (fields.writes === 'change' && attribute.mutability === 'IMMUTABLE') continue;
    const property = propertyOf(name, attribute, fields.writes === 'change');
    if (!property) continue;
    added[name] = property;
    if (fields.writes !== 'change' && attribute.required === true && attribute.default === undefined)
      required.push(name);
  }
  const custom = Object.keys(added);
  if (custom.length === 0) return { schema, custom };
  properties[fields.property] = {
    ...target,
    properties: { ...(target.properties as object | undefined), ...added },
    ...(required.length > 0 ? { required: [...new Set([...asStrings(target.required), ...required])] } : {}),
  };
  if (required.length > 0 && !asStrings(schema.required).includes(fields.property))
    schema.required = [...asStrings(schema.required), fields.property];
  return { schema, custom };
}

/** A property's own schema, through local `$ref`s (`#/definitions/...`); undefined unless an object's. */
function resolve(root: JsonSchema, schema: unknown, depth = 0): JsonSchema | undefined {
  if (!isObject(schema) || depth > 8) return undefined;
  const ref = schema.$ref;
  if (typeof ref === 'string') {
    const name = /^#\/definitions\/([^/]+)$/.exec(ref)?.[1];
    const definitions = root.definitions as Record<string, unknown> | undefined;
    return name && definitions ? resolve(root, definitions[decodeURIComponent(name)], depth + 1) : undefined;
  }
  return schema.type === 'object' ? schema : undefined;
}

/** What the object's `propertyNames` allows (a pattern, names it excludes); anything when it says nothing. */
function nameFilter(target: JsonSchema): (name: string) => boolean {
  const rule = isObject(target.propertyNames) ? target.propertyNames : {};
  const pattern = typeof rule.pattern === 'string' ? new RegExp(rule.pattern, 'u') : undefined;
  const excluded = isObject(rule.not) && Array.isArray(rule.not.enum) ? rule.not.enum : [];
  return (name) => (!pattern || pattern.test(name)) && !excluded.includes(name);
}

const lowerCase = (name: string) => name.toLowerCase();
const asStrings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
