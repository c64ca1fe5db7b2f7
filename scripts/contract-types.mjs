/**
 * TypeScript types for the action and trigger contracts, compiled with json-schema-to-typescript (for npm
 * run gen).
 *
 * The shared definitions (schemas/definitions.json) are compiled once, into one module with a type per
 * definition named after its key (`oktaUser` becomes `OktaUser`). Each action's types.gen.ts imports the
 * shared types it uses from that module and declares only its own: Contract, Input and Output. The types
 * are built from the contract as written (its `$ref`s and `$extends`), not from the manifest's
 * self-contained copy, where every referenced definition is inlined and a default is hoisted beside its
 * `$ref`: compiled from that copy, each action would declare every shared type over again.
 *
 * A reference becomes json-schema-to-typescript's `tsType` (the name of a type declared elsewhere), so the
 * compiler never sees a shared schema twice.
 */
import { compile } from 'json-schema-to-typescript';

const REF_PREFIX = '#/definitions/';

/** The names an action's types.gen.ts declares itself; a shared type by one of these names would clash. */
const LOCAL_NAMES = ['Contract', 'Input', 'Output'];

/** The same options for the shared module and the actions' files, so a type compiles alike in either. */
const COMPILE_OPTIONS = {
  additionalProperties: false,
  unreachableDefinitions: false,
  style: { singleQuote: true, printWidth: 110, bracketSpacing: true },
};

/** Keywords whose value is data (not a schema): copied as they are, never searched for `$ref` or titles. */
const DATA_KEYWORDS = new Set(['enum', 'const', 'default', 'examples']);

/** Keywords whose value maps names (of properties, of definitions) to schemas. */
const SCHEMA_MAP_KEYWORDS = new Set(['properties', 'patternProperties', 'definitions']);

/** The TypeScript name of a shared definition: its key with the first letter in upper case. */
export function sharedTypeName(key) {
  return key.charAt(0).toUpperCase() + key.slice(1);
}

/**
 * Throws unless every definition gets a name of its own that no action's own type has. Keys are unique and
 * checked to start in lower case, so no two of them give the same name.
 */
function checkSharedTypeNames(definitions) {
  for (const key of Object.keys(definitions)) {
    if (!/^[a-z][A-Za-z0-9]*$/.test(key))
      throw new Error(
        `schemas/definitions.json: definition "${key}" must be a camelCase name (letters and digits)`,
      );
    if (LOCAL_NAMES.includes(sharedTypeName(key)))
      throw new Error(
        `schemas/definitions.json: definition "${key}" would be the type ${sharedTypeName(key)}, which every action declares itself`,
      );
  }
}

/**
 * A copy of the schema ready to compile: each `$ref` to a shared definition becomes a reference to its
 * shared type (noted in `used`), and titles go, so that no nested schema becomes a named type of its own
 * (json-schema-to-typescript names a type after its title).
 */
function referencingSharedTypes(node, definitions, used, where) {
  if (Array.isArray(node)) return node.map((item) => referencingSharedTypes(item, definitions, used, where));
  if (node === null || typeof node !== 'object') return node;
  const copy = {};
  const choice = isChoiceOfValues(node);
  for (const [keyword, value] of Object.entries(node)) {
    if (keyword === 'title') continue;
    // The type beside a choice of values (there for form renderers) says nothing the values do not.
    if (keyword === 'type' && choice) continue;
    // `contains: {}` is at least one item (said so for form renderers): typed as minItems 1, a non-empty tuple.
    if (keyword === 'contains' && isEmptySchema(value)) {
      copy.minItems = Math.max(node.minItems ?? 0, 1);
      continue;
    }
    if (keyword === '$ref') {
      const key = String(value).startsWith(REF_PREFIX) ? String(value).slice(REF_PREFIX.length) : '';
      if (!Object.hasOwn(definitions, key)) throw new Error(`${where}: unknown $ref ${value}`);
      used.add(sharedTypeName(key));
      copy.tsType = sharedTypeName(key);
    } else if (DATA_KEYWORDS.has(keyword)) {
      copy[keyword] = value;
    } else if (SCHEMA_MAP_KEYWORDS.has(keyword) && value !== null && typeof value === 'object') {
      copy[keyword] = Object.fromEntries(
        Object.entries(value).map(([name, schema]) => [
          name,
          referencingSharedTypes(schema, definitions, used, where),
        ]),
      );
    } else copy[keyword] = referencingSharedTypes(value, definitions, used, where);
  }
  return copy;
}

const isEmptySchema = (value) =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0;

/** A oneOf whose every branch is one value (`{ const }` or `{ enum: [value] }`), like an enum with titles. */
function isChoiceOfValues(node) {
  return (
    Array.isArray(node.oneOf) &&
    node.oneOf.every(
      (branch) =>
        branch !== null &&
        typeof branch === 'object' &&
        (branch.const !== undefined || (Array.isArray(branch.enum) && branch.enum.length === 1)),
    )
  );
}

/**
 * An input or output ready to compile. A root `$extends` becomes the shared type intersected with the
 * added properties (`UserResult & { changed: Changed }`): the same type as the flat object the manifest
 * spells out, without spelling the shared object out again. That holds only while the contract adds
 * properties, as schemas/action.schema.json describes `$extends`; one that redefines the shared object's
 * own properties is refused, since the intersection would then differ from the manifest's flat schema.
 */
function contractSchema(schema, definitions, used, where) {
  if (!schema.$extends) return referencingSharedTypes(schema, definitions, used, where);
  const { $extends, ...own } = schema;
  const key = String($extends).startsWith(REF_PREFIX) ? String($extends).slice(REF_PREFIX.length) : '';
  const base = Object.hasOwn(definitions, key) ? definitions[key] : undefined;
  if (!base) throw new Error(`${where}: unknown $extends ${$extends}`);
  const baseProperties = base.properties ?? {};
  const baseRequired = base.required ?? [];
  const ownProperties = own.properties ?? {};
  const problems = [
    ...Object.keys(own)
      .filter((keyword) => !['title', 'description', 'properties', 'required'].includes(keyword))
      .map((keyword) => `"${keyword}"`),
    ...Object.keys(ownProperties)
      .filter((name) => Object.hasOwn(baseProperties, name))
      .map((name) => `property "${name}"`),
    ...(own.required ?? [])
      .filter((name) => !Object.hasOwn(ownProperties, name) && !baseRequired.includes(name))
      .map((name) => `required "${name}"`),
  ];
  if (problems.length > 0)
    throw new Error(
      `${where}: $extends ${$extends} may only add properties; it redefines ${problems.join(', ')} of the shared object`,
    );
  used.add(sharedTypeName(key));
  const added = {
    type: 'object',
    properties: ownProperties,
    // A name the shared object already requires stays required through the shared type.
    required: (own.required ?? []).filter((name) => Object.hasOwn(ownProperties, name)),
    additionalProperties: false,
  };
  return {
    ...(own.description ? { description: own.description } : {}),
    allOf: [{ tsType: sharedTypeName(key) }, referencingSharedTypes(added, definitions, used, where)],
  };
}

/** Every name json-schema-to-typescript exported from a compiled piece, in order. */
function exportedNames(source) {
  return [...source.matchAll(/^export (?:declare )?(?:const )?(?:interface|type|enum) (\w+)/gm)].map(
    (match) => match[1],
  );
}

/**
 * The shared module: one exported type per definition, in the order of schemas/definitions.json. Each
 * definition compiles on its own and must come out as exactly one type by its own name, so a definition
 * can neither be renamed by the compiler (say to OktaUser1) nor bring a second type along unnoticed.
 */
export async function sharedTypesModule(definitions, { banner }) {
  checkSharedTypeNames(definitions);
  const pieces = [];
  for (const [key, definition] of Object.entries(definitions)) {
    const name = sharedTypeName(key);
    const where = `schemas/definitions.json#/definitions/${key}`;
    const schema = { ...referencingSharedTypes(definition, definitions, new Set(), where), title: name };
    const piece = await compile(schema, name, { ...COMPILE_OPTIONS, bannerComment: '' });
    const names = exportedNames(piece);
    if (names.length !== 1 || names[0] !== name)
      throw new Error(
        `${where} compiled to the types ${names.join(', ') || '(none)'} instead of the one type ${name} (a nested $id names a type of its own)`,
      );
    pieces.push(piece.trim());
  }
  return `${banner}\n\n${pieces.join('\n')}\n`;
}

/**
 * An action's types.gen.ts: `Contract` with `Input` and `Output` (compiled as one schema, whose two
 * properties they are), importing the shared types they use from `sharedModule` (an import specifier,
 * relative to the file).
 */
export async function actionTypesFile(contract, definitions, { banner, sharedModule }) {
  const where = `actions/${contract.key}/action.json`;
  const used = new Set();
  const input = contractSchema(contract.input, definitions, used, `${where} input`);
  const output = contractSchema(contract.output, definitions, used, `${where} output`);
  const wrapper = {
    type: 'object',
    definitions: { Input: input, Output: output },
    properties: { input: { $ref: '#/definitions/Input' }, output: { $ref: '#/definitions/Output' } },
    required: ['input', 'output'],
    additionalProperties: false,
  };
  const names = [...used].sort();
  // In the banner, so that the compiler's formatter lays out a long import like the rest of the file.
  const header =
    names.length > 0 ? `${banner}\n\nimport type { ${names.join(', ')} } from '${sharedModule}';` : banner;
  const source = await compile(wrapper, 'Contract', { ...COMPILE_OPTIONS, bannerComment: header });
  const declared = exportedNames(source).filter((name) => !LOCAL_NAMES.includes(name));
  if (declared.length > 0)
    throw new Error(
      `${where}: the types declare ${declared.join(', ')} besides ${LOCAL_NAMES.join(', ')} (a nested $id names a type of its own)`,
    );
  return source;
}

/**
 * src/generated/trigger-types.ts: for each trigger its `<Name>Input`, `<Name>Output` and `<Name>Trigger`
 * (the two together), then `TriggerTypes`, from trigger key to its `<Name>Trigger`. Each trigger is given as
 * its contract's input and the output derived from it (scripts/triggers.mjs), references and `$extends`
 * unresolved, so the shared types are imported rather than declared again.
 */
export async function triggerTypesModule(triggers, definitions, { banner, sharedModule }) {
  const used = new Set();
  const pieces = [];
  const entries = [];
  for (const trigger of triggers) {
    const where = `triggers/${trigger.key}/trigger.json`;
    const name = trigger.key.replace(/(^|-)([a-z])/g, (_, __, c) => c.toUpperCase());
    const wrapper = {
      type: 'object',
      definitions: {
        [`${name}Input`]: contractSchema(trigger.input, definitions, used, `${where} input`),
        [`${name}Output`]: contractSchema(trigger.output, definitions, used, `${where} output`),
      },
      properties: {
        input: { $ref: `#/definitions/${name}Input` },
        output: { $ref: `#/definitions/${name}Output` },
      },
      required: ['input', 'output'],
      additionalProperties: false,
    };
    const piece = await compile(wrapper, `${name}Trigger`, { ...COMPILE_OPTIONS, bannerComment: '' });
    const names = exportedNames(piece).sort();
    const expected = [`${name}Input`, `${name}Output`, `${name}Trigger`];
    if (names.join() !== expected.join())
      throw new Error(`${where}: the types are ${names.join(', ')} instead of ${expected.join(', ')}`);
    pieces.push(piece.trim());
    entries.push(`  '${trigger.key}': ${name}Trigger;`);
  }
  const names = [...used].sort().map((type) => `  ${type},`);
  const imports = names.length > 0 ? `import type {\n${names.join('\n')}\n} from '${sharedModule}';\n\n` : '';
  return `${banner}

${imports}${pieces.join('\n\n')}

/** Every trigger's input (its filters) and output (the event and its subjects), by trigger key. */
export interface TriggerTypes {
${entries.join('\n')}
}

export type TriggerKey = keyof TriggerTypes;
`;
}
