/**
 * The checks npm run gen makes of every x-lookup (the format: schemas/manifest.schema.json, "lookup"):
 * where it sits (a shared definition, or an action's own input field) and what it names. A source must
 * name a read-only list action of the manifest, an array of its output, paths that exist in that array's
 * item schema, a search field and dependsOn/fixed inputs that the list action takes, and cover every input
 * the list action requires. Where it is used, each dependsOn value must be an input field of the action
 * using it, and no two fields may wait for each other. Every problem names the file to fix.
 */

const DEFINITIONS_FILE = 'schemas/definitions.json';

/**
 * Problems of every x-lookup: those of shared definitions once (naming schemas/definitions.json), those of
 * action.json files once each, and the dependencies of each action's fields (naming the action's file).
 */
export function checkLookups({ actions, contracts, shared, ajv }) {
  const byKey = new Map(actions.map((action) => [action.key, action]));
  const problems = [];
  for (const { path, lookup } of lookupsIn(shared, '')) {
    const where = `${DEFINITIONS_FILE}: definitions.${path}`;
    problems.push(...checkSource(lookup, byKey, ajv).map((p) => `${where}: x-lookup ${p}`));
  }
  for (const contract of contracts) {
    const file = `actions/${contract.key}/action.json`;
    for (const { path, lookup } of lookupsIn(contract.input, 'input')) {
      problems.push(...checkSource(lookup, byKey, ajv).map((p) => `${file}: ${path}: x-lookup ${p}`));
    }
  }
  for (const action of actions) {
    const file = `actions/${action.key}/action.json`;
    problems.push(...checkDependencies(action).map((p) => `${file}: ${p}`));
  }
  return problems;
}

/** Every x-lookup within a schema (or the shared definitions), with the dotted path of the schema holding it. */
function lookupsIn(node, path) {
  if (Array.isArray(node)) return node.flatMap((item, index) => lookupsIn(item, `${path}[${index}]`));
  if (node === null || typeof node !== 'object') return [];
  const found = node['x-lookup'] !== undefined ? [{ path, lookup: node['x-lookup'] }] : [];
  for (const [key, value] of Object.entries(node)) {
    // Values, not schemas: an example or a default may hold anything.
    if (['x-lookup', 'examples', 'default', 'const', 'enum'].includes(key)) continue;
    found.push(...lookupsIn(value, path ? `${path}.${key}` : key));
  }
  return found;
}

/** What a source names, checked against the manifest's actions (a `none` needs only its reason). */
function checkSource(lookup, actionsByKey, ajv) {
  if (lookup === null || typeof lookup !== 'object' || Array.isArray(lookup)) return ['must be an object'];
  if ('none' in lookup) {
    const extra = Object.keys(lookup).filter((key) => key !== 'none');
    if (typeof lookup.none !== 'string' || lookup.none.length < 20)
      return ['none must say why there is no lookup (20 characters or more)'];
    return extra.length > 0 ? [`with none takes nothing else (found ${extra.join(', ')})`] : [];
  }
  const list = actionsByKey.get(lookup.action);
  if (!list) return [`names action "${lookup.action}", which the manifest does not have`];
  if (!list.annotations.readOnly) return [`names ${list.key}, which changes Okta: a lookup must only read`];
  const items = resolve(list.output, list.output.properties?.[lookup.items]);
  if (!items || !isType(items, 'array') || !items.items)
    return [`items "${lookup.items}" is not an array in the output of ${list.key}`];
  const item = resolve(list.output, items.items);
  const problems = [];
  for (const [role, paths] of [
    ['value', [lookup.value]],
    ['label', [lookup.label].flat()],
    ['description', lookup.description === undefined ? [] : [lookup.description].flat()],
  ]) {
    for (const path of paths) {
      const target = typeof path === 'string' ? schemaAtPath(list.output, item, path) : undefined;
      if (!target) problems.push(`${role} "${path}" is not a field of a ${list.key} ${lookup.items} item`);
      else if (role === 'value' && !isType(target, 'string'))
        problems.push(`value "${path}" of ${list.key} is not a string`);
    }
  }
  return [...problems, ...checkListInputs(lookup, list, ajv)];
}

/** search, dependsOn and fixed name inputs of the list action; together they give every required one. */
function checkListInputs(lookup, list, ajv) {
  const problems = [];
  const inputs = list.input.properties ?? {};
  if (lookup.search !== undefined) {
    const field = resolve(list.input, inputs[lookup.search]);
    if (!field || !isType(field, 'string'))
      problems.push(`search "${lookup.search}" is not a text input field of ${list.key}`);
  }
  const given = [...Object.keys(lookup.dependsOn ?? {}), ...Object.keys(lookup.fixed ?? {})];
  for (const name of given) {
    if (!inputs[name]) problems.push(`gives "${name}", which is not an input field of ${list.key}`);
    if (name === lookup.search) problems.push(`gives "${name}", the search field, a value of its own`);
  }
  if (lookup.fixed) {
    const validate = ajv.compile({ ...list.input, required: [] });
    if (!validate(structuredClone(lookup.fixed)))
      problems.push(`fixed does not fit the input of ${list.key}: ${ajv.errorsText(validate.errors)}`);
  }
  const missing = (list.input.required ?? []).filter((name) => !given.includes(name));
  if (missing.length > 0)
    problems.push(`leaves out ${missing.join(', ')}, which ${list.key} requires: add it to dependsOn`);
  return problems;
}

/**
 * Where an action uses a lookup (its own or a definition's), each dependsOn value is one of its input
 * fields, and no field waits, through others, for itself.
 */
function checkDependencies(action) {
  const problems = [];
  const waitsFor = new Map();
  for (const { path, lookup } of effectiveLookups(action.input)) {
    if (!lookup?.dependsOn) continue;
    const needs = Object.values(lookup.dependsOn);
    for (const field of needs) {
      if (!schemaAtPath(action.input, action.input, field))
        problems.push(`input field "${path}": x-lookup depends on "${field}", which is not an input field`);
    }
    waitsFor.set(path, needs);
  }
  for (const start of waitsFor.keys()) {
    const seen = new Set();
    const pending = [...(waitsFor.get(start) ?? [])];
    while (pending.length > 0) {
      const field = pending.pop();
      if (field === start) {
        problems.push(`input field "${start}": its x-lookup depends, through others, on itself`);
        break;
      }
      if (seen.has(field)) continue;
      seen.add(field);
      pending.push(...(waitsFor.get(field) ?? []));
    }
  }
  return problems;
}

/** Every input field (nested ones by dotted path) with the lookup that applies to it, if any. */
function effectiveLookups(schema) {
  const found = [];
  const visit = (node, path, depth) => {
    const resolved = resolve(schema, node);
    if (!resolved || depth > 8) return;
    const object = isType(resolved, 'array') ? resolve(schema, resolved.items) : resolved;
    for (const [name, property] of Object.entries(object?.properties ?? {})) {
      const fieldPath = path ? `${path}.${name}` : name;
      found.push({ path: fieldPath, lookup: lookupOf(schema, property) });
      visit(property, fieldPath, depth + 1);
    }
  };
  visit(schema, '', 0);
  return found;
}

/** The field's own x-lookup, else its definition's; for an array, its items' when it has none. */
function lookupOf(schema, node, depth = 0) {
  if (!node || typeof node !== 'object' || depth > 8) return undefined;
  if (node['x-lookup']) return node['x-lookup'];
  if (node.$ref) return lookupOf(schema, definitionOf(schema, node.$ref), depth + 1);
  return isType(node, 'array') ? lookupOf(schema, node.items, depth + 1) : undefined;
}

/** The schema at a dotted path of properties, from `node` (arrays are passed through to their items). */
function schemaAtPath(root, node, path) {
  let current = resolve(root, node);
  for (const name of path.split('.')) {
    if (current && isType(current, 'array')) current = resolve(root, current.items);
    current = resolve(root, current?.properties?.[name]);
    if (!current) return undefined;
  }
  return current;
}

function resolve(root, node) {
  let current = node;
  for (let depth = 0; current?.$ref && depth < 8; depth++) current = definitionOf(root, current.$ref);
  return current;
}

function definitionOf(root, ref) {
  return root.definitions?.[String(ref).replace(/^#\/definitions\//, '')];
}

function isType(schema, type) {
  return [schema.type].flat().includes(type);
}
