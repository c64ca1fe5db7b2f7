/**
 * Every picker against the sandbox: for each distinct x-lookup of the manifest, lookup() on a field that
 * uses it answers options with a value and a label, a search narrows them, pages follow one another with
 * no repeat, and a lookup that depends on other fields works with them and refuses, before any request,
 * without them.
 */
import { describe, expect, it } from 'vitest';
import { execute, type LookupOption, type LookupRequest, lookup, manifest } from '../../src/index.js';
import { inputFields, isLookupSource, type LookupSource, valueAt } from '../../src/manifest/lookups.js';
import { insertCustomRole } from '../../src/sandbox/resources/roles/model.js';
import { insertZone, registerApiToken } from '../../src/sandbox/resources/security/model.js';
import { useSandbox } from '../helpers/sandbox.js';
import { SANDBOX_HOST, sandboxActions, sandboxConnection } from '../helpers/sandbox-actions.js';
import { appIdOf, groupIdOf, userIdOf } from '../helpers/sandbox-data.js';

const ctx = useSandbox();
const okta = sandboxActions(ctx);

/** One field per distinct x-lookup source of the manifest: the first action and field that use it. */
const uses = new Map<string, { action: string; field: string; source: LookupSource }>();
for (const action of manifest.actions) {
  for (const field of inputFields(action)) {
    if (!isLookupSource(field.lookup)) continue;
    const key = JSON.stringify(field.lookup);
    if (!uses.has(key)) uses.set(key, { action: action.key, field: field.path, source: field.lookup });
  }
}

interface Fixture {
  /** Makes sure the list has at least three items, so two pages of two can be read. */
  prepare?: () => Promise<void>;
  /** The fields the lookup depends on, as the action's input gives them. */
  input?: () => Record<string, unknown>;
  /** Text that finds some of the list's options and not all. */
  search?: string;
}

/** What each list action needs in the sandbox, by the list action's key. */
const FIXTURES: Record<string, Fixture> = {
  'list-users': { search: 'jane' },
  'list-groups': { search: 'Eng' },
  'list-apps': { search: 'Sla' },
  'list-devices': {},
  'list-event-hooks': {
    prepare: async () => {
      for (const name of ['Audit feed', 'HR feed']) {
        await okta.run('create-event-hook', {
          name,
          uri: `https://hooks.example.com/${name.replace(' ', '-')}`,
          eventTypes: ['user.lifecycle.create'],
        });
      }
    },
  },
  'list-group-rules': {
    search: 'VPN',
    prepare: async () => {
      for (const name of ['Finance to Contractors', 'Support to Contractors']) {
        const department = name.split(' ')[0]!;
        await okta.run('create-group-rule', {
          name,
          expression: `user.department == "${department}"`,
          groupIds: [groupIdOf(ctx.sandbox, 'Contractors')],
        });
      }
    },
  },
  'list-realms': {
    search: 'partner',
    prepare: async () => {
      for (const name of ['Acme Logistics', 'Retail Stores']) await okta.run('create-realm', { name });
    },
  },
  'list-user-types': {
    prepare: async () => {
      await okta.run('create-user-type', { name: 'vendor', displayName: 'Vendor' });
    },
  },
  'list-network-zones': {
    prepare: async () => {
      insertZone(ctx.sandbox.org, { type: 'IP', name: 'Known bad', usage: 'BLOCKLIST', system: false });
    },
  },
  'list-roles': {
    prepare: async () => {
      for (const label of ['Help desk tier 2', 'App auditor', 'Device manager'])
        insertCustomRole(ctx.sandbox.org, label, `${label} (custom)`);
    },
  },
  'list-api-tokens': {
    prepare: async () => {
      const admin = userIdOf(ctx.sandbox, 'sandbox.admin@example.com');
      for (const name of ['SIEM export', 'HR sync'])
        registerApiToken(ctx.sandbox.org, `00${name.replace(' ', '')}Token0000000000000000000000`, {
          userId: admin,
          name,
        });
    },
  },
  'list-user-factors': { input: () => ({ user: 'jane.doe@example.com' }) },
  'list-user-roles': { input: () => ({ user: 'sandbox.admin@example.com' }) },
  'list-group-members': { input: () => ({ groupId: groupIdOf(ctx.sandbox, 'Everyone') }) },
  'list-app-users': { input: () => ({ appId: appIdOf(ctx.sandbox, 'Slack') }), search: 'jane' },
};

const request = (extra: Omit<LookupRequest, 'connection'> = {}): LookupRequest => ({
  connection: sandboxConnection(ctx.sandbox),
  ...extra,
});

/** Every option, page after page; fails on an error. */
async function allOptions(action: string, field: string, extra: Omit<LookupRequest, 'connection'>) {
  const options: LookupOption[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const result = await lookup(
      action,
      field,
      request({ ...extra, ...(cursor ? { cursor } : {}) }),
      SANDBOX_HOST,
    );
    if (!result.ok) throw new Error(`${action} ${field}: ${result.error.code} ${result.error.message}`);
    options.push(...result.output.options);
    if (result.output.nextCursor === null) return { options, pages: page + 1 };
    cursor = result.output.nextCursor;
  }
  throw new Error(`${action} ${field}: more than 100 pages`);
}

/** The values the list action itself answers, given the fields the lookup depends on. */
async function listedValues(source: LookupSource, input: Record<string, unknown>): Promise<string[]> {
  const listInput: Record<string, unknown> = { ...source.fixed };
  for (const [listField, ownField] of Object.entries(source.dependsOn ?? {}))
    listInput[listField] = valueAt(input, ownField);
  const list = manifest.actions.find((a) => a.key === source.action)!;
  if ('maxItems' in (list.input.properties as object)) listInput.maxItems = 1000;
  const result = await execute(
    source.action,
    { connection: sandboxConnection(ctx.sandbox), input: listInput },
    SANDBOX_HOST,
  );
  if (!result.ok) throw new Error(`${source.action}: ${result.error.message}`);
  const items = valueAt(result.output, source.items) as unknown[];
  return items.map((item) => valueAt(item, source.value) as string).sort();
}

describe('lookup() against the sandbox, for every distinct x-lookup of the manifest', () => {
  it('has a sandbox fixture for every list action a lookup runs', () => {
    const lists = [...new Set([...uses.values()].map((use) => use.source.action))].sort();
    expect(lists).toEqual(Object.keys(FIXTURES).sort());
    expect(uses.size).toBeGreaterThanOrEqual(lists.length);
  });

  for (const { action, field, source } of uses.values()) {
    const fixture = () => FIXTURES[source.action] ?? {};
    const label = `${action} ${field} (from ${source.action}${source.fixed ? `, ${JSON.stringify(source.fixed)}` : ''})`;

    it(`${label}: options with a value and a label, pages of two with no repeat`, async () => {
      await fixture().prepare?.();
      const input = fixture().input?.() ?? {};
      const whole = await allOptions(action, field, { input, pageSize: 200 });
      expect(whole.options.length, 'options').toBeGreaterThan(0);
      for (const option of whole.options) {
        expect(option.value).toMatch(/^\S+$/);
        expect(option.label.trim()).not.toBe('');
      }
      // The options are the list action's own items, run with the lookup's fixed and dependent inputs.
      expect(whole.options.map((option) => option.value).sort()).toEqual(await listedValues(source, input));
      const pageable =
        'cursor' in (manifest.actions.find((a) => a.key === source.action)!.input.properties as object);
      const paged = await allOptions(action, field, { input, pageSize: 2 });
      const values = paged.options.map((option) => option.value);
      expect(new Set(values).size, 'no option repeats across pages').toBe(values.length);
      expect(values.sort()).toEqual(whole.options.map((option) => option.value).sort());
      if (!pageable) {
        // Okta answers the list whole (a user's factors, roles): one page, no cursor.
        expect(paged.pages).toBe(1);
        return;
      }
      // Two options a page; when the list ends exactly on a page, the next one comes back empty.
      expect(paged.pages).toBeGreaterThanOrEqual(Math.max(2, Math.ceil(values.length / 2)));
      expect(paged.pages).toBeLessThanOrEqual(Math.ceil(values.length / 2) + 1);
    });

    if (source.search) {
      it(`${label}: the typed text narrows the options`, async () => {
        await fixture().prepare?.();
        const input = fixture().input?.() ?? {};
        const search = fixture().search;
        expect(search, `a search term for ${source.action}`).toBeDefined();
        const whole = await allOptions(action, field, { input, pageSize: 200 });
        const found = await allOptions(action, field, { input, pageSize: 200, search: search! });
        expect(found.options.length).toBeGreaterThan(0);
        expect(found.options.length).toBeLessThan(whole.options.length);
        const everyValue = new Set(whole.options.map((option) => option.value));
        for (const option of found.options) expect(everyValue.has(option.value)).toBe(true);
        const term = search!.toLowerCase();
        for (const option of found.options)
          expect(`${option.label} ${option.description ?? ''}`.toLowerCase()).toContain(term);
      });
    }

    if (source.dependsOn) {
      it(`${label}: needs ${Object.values(source.dependsOn).join(', ')}, and says so before any request`, async () => {
        const before = ctx.sandbox.served.length;
        const result = await lookup(action, field, request({ input: {} }), SANDBOX_HOST);
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.error.code).toBe('INVALID_INPUT');
        for (const needed of Object.values(source.dependsOn!))
          expect(result.error.message).toContain(`"${needed}"`);
        expect(result.meta.requests).toBe(0);
        expect(ctx.sandbox.served.length).toBe(before);
      });
    }
  }
});
