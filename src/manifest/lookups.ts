/**
 * Field lookups as the manifest declares them: `x-lookup` on an input field whose value is an Okta
 * object's id or login (schemas/manifest.schema.json, "lookup", has the format; README, "Pickers", the
 * why). A field's own x-lookup wins over its definition's, and an array of ids takes its items' lookup,
 * so `groupIds` looks up each of its items. This module only reads schemas: runtime/lookup.ts runs them.
 */
import type { ActionContract } from './manifest.js';

/** Where a field's options come from: a read-only list action of the manifest and how to read its items. */
export interface LookupSource {
  /** The list action's key. */
  action: string;
  /** The field of its output holding the items. */
  items: string;
  /** Dotted path to the option's value in an item (usually `id`). */
  value: string;
  /** Dotted path(s) to what a person sees; several are joined with spaces. */
  label: string | string[];
  /** Dotted path(s) to a second line. */
  description?: string | string[];
  /** The list action's input field that takes the typed text; absent when it cannot be searched. */
  search?: string;
  /** The list action's input field -> the input field (dotted) of the action being filled in. */
  dependsOn?: Record<string, string>;
  /** Inputs of the list action that are always the same. */
  fixed?: Record<string, unknown>;
}

/** A field whose options no list action returns, and why. */
export interface NoLookup {
  none: string;
}

export type FieldLookup = LookupSource | NoLookup;

/** An input field of an action, found by its dotted path. */
export interface InputField {
  path: string;
  /** Its schema as written in the action's input (a `$ref` unresolved). */
  schema: SchemaNode;
  /** The x-lookup that applies to it, if any. */
  lookup: FieldLookup | undefined;
}

interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  definitions?: Record<string, SchemaNode>;
  title?: string;
  'x-lookup'?: FieldLookup;
}

/** Deeper than any input schema nests; it only guards against a schema that refers to itself. */
const MAX_DEPTH = 16;

export function isLookupSource(lookup: FieldLookup | undefined): lookup is LookupSource {
  return lookup !== undefined && 'action' in lookup;
}

/** The input field at a dotted path (`profile.managerId`; `groupIds` for each of its items), or undefined. */
export function inputFieldAt(contract: ActionContract, path: string): InputField | undefined {
  const root = contract.input as SchemaNode;
  let node: SchemaNode | undefined = root;
  for (const name of path.split('.')) {
    const object = objectOf(root, node);
    node = object?.properties && Object.hasOwn(object.properties, name) ? object.properties[name] : undefined;
    if (!node) return undefined;
  }
  return { path, schema: node!, lookup: lookupOf(root, node!) };
}

/** Every input field of an action, nested ones included by dotted path, in schema order. */
export function inputFields(contract: ActionContract): InputField[] {
  const root = contract.input as SchemaNode;
  const fields: InputField[] = [];
  const visit = (node: SchemaNode, path: string, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    for (const [name, property] of Object.entries(objectOf(root, node)?.properties ?? {})) {
      const fieldPath = path ? `${path}.${name}` : name;
      fields.push({ path: fieldPath, schema: property, lookup: lookupOf(root, property) });
      visit(property, fieldPath, depth + 1);
    }
  };
  visit(root, '', 0);
  return fields;
}

/** The input fields of an action that have a picker (a lookup source, not a `none`). */
export function lookupFields(contract: ActionContract): string[] {
  return inputFields(contract)
    .filter((field) => isLookupSource(field.lookup))
    .map((field) => field.path);
}

/** The value at a dotted path of a JSON value, or undefined. */
export function valueAt(value: unknown, path: string): unknown {
  let current = value;
  for (const name of path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, name)) return undefined;
    current = (current as Record<string, unknown>)[name];
  }
  return current;
}

/** The field's own x-lookup, else its definition's; for an array, its items' when it has none itself. */
function lookupOf(root: SchemaNode, node: SchemaNode, depth = 0): FieldLookup | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (node['x-lookup']) return node['x-lookup'];
  if (node.$ref) {
    const target = definitionOf(root, node.$ref);
    return target ? lookupOf(root, target, depth + 1) : undefined;
  }
  return isArray(node) && node.items ? lookupOf(root, node.items, depth + 1) : undefined;
}

/** The object schema whose properties a path goes on into: through `$ref`s, and an array's items. */
function objectOf(root: SchemaNode, node: SchemaNode | undefined): SchemaNode | undefined {
  let current = resolve(root, node);
  if (current && isArray(current)) current = resolve(root, current.items);
  return current;
}

function resolve(root: SchemaNode, node: SchemaNode | undefined): SchemaNode | undefined {
  let current = node;
  for (let depth = 0; current?.$ref && depth < MAX_DEPTH; depth++) current = definitionOf(root, current.$ref);
  return current;
}

function definitionOf(root: SchemaNode, ref: string): SchemaNode | undefined {
  const name = /^#\/definitions\/([^/]+)$/.exec(ref)?.[1];
  return name && root.definitions && Object.hasOwn(root.definitions, name)
    ? root.definitions[name]
    : undefined;
}

function isArray(node: SchemaNode): boolean {
  return [node.type].flat().includes('array');
}
