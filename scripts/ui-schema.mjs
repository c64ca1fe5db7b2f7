/**
 * Layout hints for forms (npm run gen): a react-jsonschema-form uiSchema for each action's input and each
 * connection type, made from the self-contained schema, with an action's own `uiSchema` (in its
 * action.json) laid over it. schemas/manifest.schema.json describes what the hints say; a host that
 * ignores them still gets a correct form from the schema alone.
 *
 *   ui:order        required fields first, then the common ones, the advanced ones last ("*": any other)
 *   advanced        "ui:classNames": "okta-actions-advanced" and "ui:options": { "advanced": true } on
 *                   rarely changed options (paging, expansions, safety switches), which come last
 *   ui:placeholder  the field's first example
 *   ui:widget       password for secrets; textarea for long text and JSON bodies
 *   ui:emptyValue   null where null is a value (emptying the field clears the value it sets)
 *   ui:readonly     fixed values (const)
 */

/**
 * Options a builder rarely changes: paging, what a list expands into _embedded, switches that guard, and
 * a connection's custom domain and event hook name.
 */
export const ADVANCED_FIELDS = new Set([
  'limit',
  'maxItems',
  'cursor',
  'expand',
  'includeUser',
  'includeGroup',
  'includeGroupNames',
  'includeScopeDetails',
  'missingOk',
  'deactivateFirst',
  'strict',
  'allowOwnAdminToken',
  'customDomain',
  'eventHookName',
]);

/** Strings written as long text: Okta expressions and filters, descriptions. */
const LONG_TEXT_FIELDS = new Set(['description', 'search', 'filter', 'expression']);

export const ADVANCED_CLASS = 'okta-actions-advanced';

/**
 * The uiSchema of a form for `schema` (self-contained, its `$ref`s into its own definitions), with
 * `overrides` (an RJSF uiSchema) laid over it field by field. Throws when an override names a field the
 * schema does not have.
 */
export function uiSchemaFor(schema, overrides = {}, where = 'uiSchema') {
  const properties = schema.properties ?? {};
  const required = schema.required ?? [];
  const ui = {};
  for (const [name, property] of Object.entries(properties)) {
    const hints = {
      ...fieldHints(resolve(property, schema), schema, name),
      ...(ADVANCED_FIELDS.has(name) && !required.includes(name) ? advancedHints() : {}),
    };
    if (Object.keys(hints).length > 0) ui[name] = hints;
  }
  const names = Object.keys(properties);
  const laid = overlay(ui, overrides, names, where);
  const advanced = names.filter((name) => laid[name]?.['ui:options']?.advanced === true);
  const order = laid['ui:order'] ?? [
    ...names.filter((name) => required.includes(name)),
    ...names.filter((name) => !required.includes(name) && !advanced.includes(name)),
    ...advanced,
    '*',
  ];
  const unknown = order.filter((name) => name !== '*' && !names.includes(name));
  if (unknown.length > 0) throw new Error(`${where}: ui:order names no field ${unknown.join(', ')}`);
  const { 'ui:order': _, ...rest } = laid;
  return { 'ui:order': order, ...rest };
}

function advancedHints() {
  return { 'ui:classNames': ADVANCED_CLASS, 'ui:options': { advanced: true } };
}

/** The hints of one field (and of its parts: an object's properties, a list's items). */
function fieldHints(field, root, name) {
  const types = typesOf(field);
  const hints = {};
  if (field.const !== undefined || field.readOnly === true) hints['ui:readonly'] = true;
  const example = field.examples?.[0];
  if (typeof example === 'string' || typeof example === 'number') hints['ui:placeholder'] = String(example);
  if (field['x-secret'] === true || field.format === 'password') hints['ui:widget'] = 'password';
  else if (types.includes('string') && isLongText(field, name)) hints['ui:widget'] = 'textarea';
  if (types.includes('null') && !isChoice(field)) hints['ui:emptyValue'] = null;
  if (field.properties) {
    for (const [child, property] of Object.entries(field.properties)) {
      const nested = fieldHints(resolve(property, root), root, child);
      if (Object.keys(nested).length > 0) hints[child] = nested;
    }
  }
  const extra = field.additionalProperties;
  if (extra && typeof extra === 'object') {
    const nested = fieldHints(resolve(extra, root), root, '');
    if (Object.keys(nested).length > 0) hints.additionalProperties = nested;
  }
  if (types.includes('array') && field.items && typeof field.items === 'object') {
    const items = fieldHints(resolve(field.items, root), root, '');
    const listExample = Array.isArray(example) ? example[0] : undefined;
    if (items['ui:placeholder'] === undefined && typeof listExample === 'string')
      items['ui:placeholder'] = listExample;
    if (Object.keys(items).length > 0) hints.items = items;
  }
  return hints;
}

function isLongText(field, name) {
  return field.contentMediaType === 'application/json' || (LONG_TEXT_FIELDS.has(name) && !isChoice(field));
}

const isChoice = (field) =>
  Array.isArray(field.enum) || Array.isArray(field.oneOf) || Array.isArray(field.anyOf);

function typesOf(field) {
  return Array.isArray(field.type) ? field.type : typeof field.type === 'string' ? [field.type] : [];
}

/** A property with its `$ref` resolved in the root's definitions, its own keywords on top. */
function resolve(property, root) {
  if (!property || typeof property.$ref !== 'string') return property ?? {};
  const { $ref, ...own } = property;
  const target = root.definitions?.[$ref.replace(/^#\/definitions\//, '')];
  if (!target) throw new Error(`unresolved $ref ${$ref}`);
  return { ...resolve(target, root), ...own };
}

/** The generated hints with an action's own laid over them: a field's hints merge, ui:order replaces. */
function overlay(generated, overrides, names, where) {
  const result = structuredClone(generated);
  for (const [key, value] of Object.entries(overrides)) {
    if (key.startsWith('ui:')) {
      result[key] = value;
      continue;
    }
    if (!names.includes(key)) throw new Error(`${where}: "${key}" is not a field of the input`);
    result[key] = { ...(result[key] ?? {}), ...value };
  }
  return result;
}

/**
 * What would make a poor form in react-jsonschema-form with its default settings, anywhere in an input
 * or connection schema (npm run gen refuses it; test/browser/ checks the forms themselves):
 * a choice of values without a type beside it (drawn as "Unsupported field"), a choice written with
 * `const` (RJSF fills the field with the first one), a list with minItems (RJSF starts it with blank
 * items; `contains: {}` says "at least one").
 */
export function formProblems(schema, at = '') {
  if (schema === null || typeof schema !== 'object') return [];
  if (Array.isArray(schema)) return schema.flatMap((item, i) => formProblems(item, `${at}/${i}`));
  const problems = [];
  const choices = schema.oneOf ?? schema.anyOf;
  const values =
    Array.isArray(choices) && choices.every((c) => c?.const !== undefined || c?.enum?.length === 1);
  if (values && schema.type === undefined)
    problems.push(`${at || '/'}: a choice of values needs a type beside it`);
  if (values && choices.some((c) => c.const !== undefined))
    problems.push(`${at || '/'}: write each choice as { "enum": [value], "title": ... }, not with const`);
  if (typeof schema.minItems === 'number' && schema.minItems > 0)
    problems.push(`${at || '/'}: say "at least one item" as "contains": {}, not minItems`);
  for (const [keyword, value] of Object.entries(schema)) {
    if (['enum', 'const', 'default', 'examples'].includes(keyword)) continue;
    problems.push(...formProblems(value, `${at}/${keyword}`));
  }
  return problems;
}
