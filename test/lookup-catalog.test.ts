/**
 * The catalog's pickers: every id field of every action has an x-lookup or says why it cannot have one,
 * the manifest's format refuses a malformed x-lookup wherever it sits, and npm run gen refuses one that
 * names what the manifest does not have, naming the file to fix.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkLookups } from '../scripts/lookups.mjs';
import { manifest } from '../src/index.js';
import { newAjv } from '../src/schema/validation.js';

type Schema = Record<string, unknown> & {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  definitions?: Record<string, Schema>;
  'x-lookup'?: { none?: string; action?: string };
};

const readJson = (path: string) => JSON.parse(readFileSync(new URL(`../${path}`, import.meta.url), 'utf8'));
const definitionOf = (root: Schema, ref: string) => root.definitions?.[ref.replace('#/definitions/', '')];
const isArray = (node: Schema) => [node.type].flat().includes('array');

/** The lookup that applies to a field: its own, else its definition's; an array's, else its items'. */
function lookupOf(root: Schema, node: Schema | undefined): Schema['x-lookup'] {
  if (!node) return undefined;
  if (node['x-lookup']) return node['x-lookup'];
  if (node.$ref) return lookupOf(root, definitionOf(root, node.$ref));
  return isArray(node) ? lookupOf(root, node.items) : undefined;
}

function resolved(root: Schema, node: Schema | undefined): Schema | undefined {
  let current = node;
  while (current?.$ref) current = definitionOf(root, current.$ref);
  return current && isArray(current) ? resolved(root, current.items) : current;
}

/** Every input field of every action, nested ones by dotted path. */
function everyField() {
  const fields: Array<{ action: string; path: string; name: string; lookup: Schema['x-lookup'] }> = [];
  const visit = (action: string, root: Schema, node: Schema | undefined, path: string) => {
    for (const [name, property] of Object.entries(resolved(root, node)?.properties ?? {})) {
      const fieldPath = path ? `${path}.${name}` : name;
      fields.push({ action, path: fieldPath, name, lookup: lookupOf(root, property) });
      visit(action, root, property, fieldPath);
    }
  };
  for (const action of manifest.actions)
    visit(action.key, action.input as Schema, action.input as Schema, '');
  return fields;
}

/** An id field: named like one (…Id, …Ids, user), or one the catalog gives a lookup (arrays of ids too). */
const idFields = () =>
  everyField().filter(
    ({ name, lookup }) => /(Id|Ids)$/.test(name) || name === 'user' || lookup !== undefined,
  );

describe('every id field has a picker, or the catalog says why not', () => {
  it('finds the id fields of the catalog', () => {
    const fields = idFields();
    expect(fields.length).toBeGreaterThan(90);
    expect(fields.map((f) => `${f.action} ${f.path}`)).toEqual(
      expect.arrayContaining([
        'add-user-to-group user',
        'create-user groupIds',
        'create-group-rule excludedUsers',
        'update-user profile.managerId',
        'reset-factor factorId',
      ]),
    );
  });

  it('each has an x-lookup', () => {
    const without = idFields()
      .filter((field) => !field.lookup)
      .map((field) => `${field.action} ${field.path}`);
    expect(without, 'id fields with neither a lookup nor a reason').toEqual([]);
  });

  it('the ones without a picker say why, and they are few', () => {
    const reasons = idFields().filter((field) => field.lookup?.none !== undefined);
    for (const field of reasons) expect(field.lookup!.none!.length).toBeGreaterThanOrEqual(40);
    expect(reasons.map((field) => `${field.action} ${field.path}`).sort()).toEqual([
      'assign-role-to-user resourceSetId',
      'create-user profile.managerId',
      'list-user-grants scopeId',
      'replace-user profile.managerId',
      'unassign-role-from-user resourceSetId',
      'update-user profile.managerId',
    ]);
  });

  it("a picker's field stays a string that takes a pasted id or login (no enum)", () => {
    for (const action of manifest.actions) {
      const root = action.input as Schema;
      for (const field of everyField().filter((f) => f.action === action.key && f.lookup?.action)) {
        const schema = resolved(root, lookupTarget(root, field.path))!;
        expect([schema.type].flat(), `${action.key} ${field.path}`).toContain('string');
        expect(schema.enum, `${action.key} ${field.path}`).toBeUndefined();
      }
    }
  });
});

/** The schema of a field at a dotted path (an array's items for an array of ids). */
function lookupTarget(root: Schema, path: string): Schema {
  let node: Schema | undefined = root;
  for (const name of path.split('.')) node = resolved(root, node)?.properties?.[name];
  return node!;
}

describe("the manifest's format checks x-lookup wherever it sits", () => {
  const broken = (change: (input: Schema) => void) => {
    const copy = structuredClone(manifest);
    change(copy.actions.find((a) => a.key === 'create-group-rule')!.input as Schema);
    return copy;
  };

  it('accepts the manifest, and refuses a malformed x-lookup in a field, a definition or array items', async () => {
    const ajv = await newAjv({ useDefaults: false });
    const validate = ajv.compile(readJson('schemas/manifest.schema.json'));
    expect(validate(manifest), ajv.errorsText(validate.errors)).toBe(true);
    const cases: Array<(input: Schema) => void> = [
      (input) => {
        input.properties!.name!['x-lookup'] = {
          action: 'list-groups',
          items: 'groups',
          value: 'id',
        } as never;
      },
      (input) => {
        input.definitions!.groupId!['x-lookup'] = { none: 'short' };
      },
      (input) => {
        input.properties!.groupIds!.items = {
          $ref: '#/definitions/groupId',
          'x-lookup': { action: 'list-groups', items: 'groups', value: 'id', label: 'a..b' } as never,
        };
      },
      (input) => {
        input.properties!.name!['x-lookup'] = { none: 'No list returns this value anywhere.', action: 'x' };
      },
    ];
    for (const change of cases) expect(validate(broken(change))).toBe(false);
  });
});

describe('npm run gen checks what every x-lookup names (scripts/lookups.mjs)', () => {
  const shared = readJson('schemas/definitions.json').definitions;
  const contracts: Schema[] = readdirSync(new URL('../actions/', import.meta.url)).map((key) =>
    readJson(`actions/${key}/action.json`),
  );
  /** The problems found once `change` has broken copies of the definitions, the contracts or the manifest. */
  const check = async (
    change: (copies: { shared: Record<string, Schema>; contracts: Schema[]; actions: Schema[] }) => void,
  ) => {
    const copies = {
      shared: structuredClone(shared),
      contracts: structuredClone(contracts),
      actions: structuredClone(manifest.actions) as unknown as Schema[],
    };
    change(copies);
    return checkLookups({ ...copies, ajv: await newAjv({ useDefaults: false }) });
  };
  const field = (schemas: Schema[], key: string, name: string) => {
    const input = schemas.find((schema) => schema.key === key)!.input as Schema;
    return input.properties![name]!;
  };
  const lookupIn = (schema: Schema) => schema['x-lookup'] as Record<string, unknown>;

  it('finds nothing wrong with the catalog', async () => {
    expect(await check(() => {})).toEqual([]);
  });

  it('refuses a shared source that names what the manifest does not have, naming schemas/definitions.json', async () => {
    const problems = await check(({ shared: s }) => {
      lookupIn(s.groupId!).action = 'list-grups';
      lookupIn(s.deviceId!).action = 'delete-device';
      lookupIn(s.realmId!).items = 'count';
      Object.assign(lookupIn(s.appId!), { label: 'labl', search: 'q', dependsOn: { foo: 'appId' } });
      lookupIn(s.userTypeId!).value = 'default';
      s.eventHookId!['x-lookup'] = { none: 'too short' };
    });
    expect(problems.sort()).toEqual(
      [
        'definitions.groupId: x-lookup names action "list-grups", which the manifest does not have',
        'definitions.deviceId: x-lookup names delete-device, which changes Okta: a lookup must only read',
        'definitions.realmId: x-lookup items "count" is not an array in the output of list-realms',
        'definitions.appId: x-lookup label "labl" is not a field of a list-apps apps item',
        'definitions.appId: x-lookup search "q" is not a text input field of list-apps',
        'definitions.appId: x-lookup gives "foo", which is not an input field of list-apps',
        'definitions.userTypeId: x-lookup value "default" of list-user-types is not a string',
        'definitions.eventHookId: x-lookup none must say why there is no lookup (20 characters or more)',
      ]
        .map((problem) => `schemas/definitions.json: ${problem}`)
        .sort(),
    );
  });

  it('refuses a local source that leaves out what its list requires, or a fixed value the list does not take', async () => {
    const problems = await check(({ contracts: c }) => {
      delete lookupIn(field(c, 'reset-factor', 'factorId')).dependsOn;
      lookupIn(field(c, 'block-ip-addresses', 'zoneId')).fixed = { usage: 'NOPE' };
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^actions\/block-ip-addresses\/action\.json: input\.properties\.zoneId: x-lookup fixed does not fit the input of list-network-zones: /,
      ),
      'actions/reset-factor/action.json: input.properties.factorId: x-lookup leaves out user, which list-user-factors requires: add it to dependsOn',
    ]);
  });

  it('refuses a dependency on a field the action does not have, and fields that wait for each other', async () => {
    const problems = await check(({ actions }) => {
      lookupIn(field(actions, 'get-app-user', 'user')).dependsOn = { appId: 'app' };
      field(actions, 'unassign-user-from-app', 'appId')['x-lookup'] = {
        action: 'list-user-apps',
        items: 'apps',
        value: 'id',
        label: 'label',
        dependsOn: { user: 'user' },
      } as never;
    });
    expect(problems).toEqual([
      'actions/get-app-user/action.json: input field "user": x-lookup depends on "app", which is not an input field',
      'actions/unassign-user-from-app/action.json: input field "appId": its x-lookup depends, through others, on itself',
      'actions/unassign-user-from-app/action.json: input field "user": its x-lookup depends, through others, on itself',
    ]);
  });
});
