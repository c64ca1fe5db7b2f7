#!/usr/bin/env node
/**
 * Fault drill: every action of the manifest, with one realistic input on the seeded sandbox, run under
 * every fault kind of bench/fault-kinds.mjs (429 storm, 5xx burst, connection reset, timeout, malformed
 * JSON, truncated body, failure on page 2, slow responses, and answers lost after Okta acted), each case on
 * a fresh sandbox. Each outcome is judged against a clean run of the same input:
 *
 *   correct         ok, and the same result as the clean run: for a read the same output (a list the
 *                   complete list), for a change the org in the same state as after the clean run;
 *   right envelope  ok: false with the code and `retryable` the fault calls for;
 *   WRONG           anything else: a SILENT PARTIAL RESULT (a list ok with fewer items, a change ok while
 *                   the org is not as a clean run leaves it), a DUPLICATE (more objects than a clean run
 *                   leaves, e.g. two users with one login), an exception out of execute(), a hang, a
 *                   wrong code or retryable, or a change reported as `changed: false`.
 *   not struck      the fault never reached the action (a list with one page, ...): no verdict.
 *
 * A drill, not a test: it prints a table and the WRONG cases and always exits 0. It runs the built plugin
 * (dist/); after changing src/, rebuild (npm run build, or --build) so it judges the current code.
 *
 *   node bench/fault-drill.mjs [--only key,key] [--faults name,name] [--concurrency 6] [--verbose] [--build]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAULT_KINDS, judgeEnvelope, startLossyProxy } from './fault-kinds.mjs';

// A drill reports; it never fails a build, even when it cannot run to the end.
process.on('uncaughtException', (error) => {
  console.error('The drill stopped:', error);
  process.exit(0);
});

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argument = (name) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : undefined;
};
const flag = (name) => process.argv.includes(`--${name}`);
const ONLY = argument('only')?.split(',');
const FAULT_FILTER = argument('faults')?.split(',');
const CONCURRENCY = Number(argument('concurrency') ?? 6);
const VERBOSE = flag('verbose');
/** A run that has not settled by then is reported as hung (the longest fault, a storm, takes ~3 s). */
const RUN_LIMIT_MS = 60_000;

// ---------------------------------------------------------------------------------------------------------
// The built plugin
// ---------------------------------------------------------------------------------------------------------

const newestIn = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    return Math.max(newest, entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs);
  }, 0);

if (!existsSync(join(root, 'dist/index.js')) || !existsSync(join(root, 'dist/sandbox.js')) || flag('build')) {
  console.log('Building dist/ (tsup) first');
  execFileSync(join(root, 'node_modules/.bin/tsup'), ['--silent'], { cwd: root, stdio: 'inherit' });
} else if (
  Math.max(newestIn(join(root, 'src')), newestIn(join(root, 'actions'))) >
  statSync(join(root, 'dist/index.js')).mtimeMs
) {
  // Not rebuilt silently: another build or test may be using dist/ right now.
  console.log(
    'NOTE: src/ or actions/ changed since dist/ was built; this drill judges the older build. Run with --build for the current code.\n',
  );
}
const { execute, manifest } = await import(join(root, 'dist/index.js'));
const { startSandbox } = await import(join(root, 'dist/sandbox.js'));

let unhandled = 0;
process.on('unhandledRejection', (reason) => {
  unhandled += 1;
  if (VERBOSE) console.error('unhandled rejection:', reason);
});

// ---------------------------------------------------------------------------------------------------------
// A fresh seeded sandbox per run, with lookups of its seeded objects and a plain client for setting up
// ---------------------------------------------------------------------------------------------------------

const JANE = 'jane.doe@example.com';
const OMAR = 'omar.haddad@example.com';
const MEI = 'mei.chen@example.com';
const LUKAS = 'lukas.weber@example.com';
const AMARA = 'amara.okafor@example.com';
const DIEGO = 'diego.garcia@example.com';
const PRIYA = 'priya.patel@example.com';
const ADMIN = 'sandbox.admin@example.com';

/** A local endpoint that answers Okta's event hook verification challenge (for verify-event-hook). */
const hookReceiver = createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ verification: req.headers['x-okta-verification-challenge'] }));
});
await new Promise((resolve) => hookReceiver.listen(0, '127.0.0.1', resolve));
const hookReceiverUrl = `http://127.0.0.1:${hookReceiver.address().port}/okta/events`;

async function openEnv({ proxy = false } = {}) {
  // A one-second minute, so a 429 storm's reset is a second or two away.
  const sandbox = await startSandbox({ rateLimit: { perMinute: 600, timeScale: 60 } });
  const front = proxy ? await startLossyProxy(sandbox.url) : undefined;
  // Links (next pages) must lead back through the proxy, as they lead to the org a client called.
  if (front) sandbox.org.baseUrl = front.url;
  const slice = (name) =>
    sandbox.org.slice(name, () => {
      throw new Error(`the sandbox has no ${name}`);
    });
  const find = (values, test, what) => {
    const found = [...values].find(test);
    if (!found) throw new Error(`no sandbox ${what}`);
    return found;
  };
  const env = {
    sandbox,
    proxy: front,
    url: front?.url ?? sandbox.url,
    userId: (login) => slice('users').byLogin.get(login) ?? find([], () => false, `user ${login}`),
    groupId: (name) =>
      find(slice('groups').byId.values(), (g) => g.profile.name === name, `group ${name}`).id,
    appId: (label) => find(slice('apps').byId.values(), (a) => a.label === label, `app ${label}`).id,
    deviceOf: (login) =>
      find(
        slice('devices').users.entries(),
        ([, links]) => links.some((link) => link.userId === env.userId(login)),
        `device of ${login}`,
      )[0],
    ruleId: (name) => find(slice('groupRules').byId.values(), (r) => r.name === name, `rule ${name}`).id,
    realmId: (name) =>
      find(slice('realms').byId.values(), (r) => r.profile.name === name, `realm ${name}`).id,
    userTypeId: (name) => find(slice('userTypes').values(), (t) => t.name === name, `user type ${name}`).id,
    zoneId: (name) => find(slice('security').zones.values(), (z) => z.name === name, `zone ${name}`).id,
    hookId: (name) => find(slice('eventHooks').byId.values(), (h) => h.name === name, `hook ${name}`).id,
    factorId: (login, type) =>
      find(slice('credentials').factors.get(env.userId(login)) ?? [], (f) => f.factorType === type, 'factor')
        .id,
    count: (name, test) =>
      [...(name === 'userTypes' ? slice(name).values() : slice(name).byId.values())].filter(test).length,
    slice,
    /** Okta's API, straight to the sandbox (never through the proxy): for setting a case up. */
    async api(method, path, body) {
      const response = await fetch(`${sandbox.url}${path}`, {
        method,
        headers: {
          authorization: `SSWS ${sandbox.token}`,
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      if (response.status >= 300) throw new Error(`setup ${method} ${path}: ${response.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    },
    async close() {
      await front?.close();
      await sandbox.close();
    },
  };
  return env;
}

// ---------------------------------------------------------------------------------------------------------
// One realistic input per action (the ideas of the scenarios in test/sandbox/e2e-*.test.ts). Lists get a
// small page size where they take one, so that there is a page 2. `count` counts the objects a create
// makes, to catch duplicates by name or login.
// ---------------------------------------------------------------------------------------------------------

const SALESFORCE = 'Salesforce.com';
const SLACK = 'Slack';
const GITHUB = 'GitHub Enterprise Cloud';
const PAYROLL = 'Legacy Payroll';
const HELP_DESK = 'IT Help Desk';
const WIKI = 'Engineering Wiki (retired)';
const SIEM_HOOK = 'SIEM user lifecycle feed';
const SALES_RULE = 'Sales VPN access';

const CASES = [
  // Users: reads
  { key: 'get-user', input: () => ({ user: 'jane.doe' }) },
  { key: 'find-user', input: () => ({ email: JANE }) },
  { key: 'get-user-info', input: () => ({}) },
  { key: 'list-users', input: () => ({ limit: 2 }) },
  { key: 'list-user-apps', input: () => ({ user: JANE }) },
  { key: 'list-user-blocks', input: () => ({ user: AMARA }) },
  { key: 'list-user-groups', input: () => ({ user: JANE }) },
  { key: 'list-user-roles', input: () => ({ user: ADMIN }) },
  { key: 'list-user-factors', input: () => ({ user: LUKAS }) },
  { key: 'list-user-grants', input: () => ({ user: LUKAS, limit: 2, includeScopeDetails: true }) },
  // Users: changes
  {
    key: 'create-user',
    input: (e) => ({
      profile: { email: 'new.hire@example.com', firstName: 'New', lastName: 'Hire', department: 'Finance' },
      groupIds: [e.groupId('Finance'), e.groupId('VPN Users')],
    }),
    count: (e) => e.count('users', (u) => u.profile.login === 'new.hire@example.com'),
  },
  { key: 'update-user', input: () => ({ user: JANE, profile: { title: 'Staff Engineer', city: 'Lisbon' } }) },
  {
    key: 'replace-user',
    input: () => ({
      user: JANE,
      profile: { login: JANE, email: JANE, firstName: 'Jane', lastName: 'Doe', department: 'Finance' },
    }),
  },
  { key: 'delete-user', input: () => ({ user: OMAR, missingOk: true }) },
  { key: 'activate-user', input: () => ({ user: PRIYA }) },
  {
    key: 'reactivate-user',
    input: async (e) => {
      await e.api('POST', `/api/v1/users/${e.userId(PRIYA)}/lifecycle/activate?sendEmail=true`);
      return { user: PRIYA, sendEmail: false, revealSecret: true };
    },
  },
  { key: 'deactivate-user', input: () => ({ user: JANE }) },
  { key: 'suspend-user', input: () => ({ user: JANE }) },
  { key: 'unsuspend-user', input: () => ({ user: DIEGO }) },
  { key: 'unlock-user', input: () => ({ user: AMARA }) },
  {
    key: 'reset-password',
    input: () => ({ user: JANE, sendEmail: false, revealSecret: true, revokeSessions: true }),
  },
  { key: 'expire-password', input: () => ({ user: JANE }) },
  { key: 'set-password', input: () => ({ user: JANE, password: 'Blue-Harbor-Lamp-42' }) },
  { key: 'reset-factors', input: () => ({ user: JANE }) },
  {
    key: 'reset-factor',
    input: (e) => ({
      user: MEI,
      factorId: e.factorId(MEI, 'sms'),
      removeRecoveryPhone: true,
      missingOk: true,
    }),
  },
  { key: 'clear-user-sessions', input: () => ({ user: LUKAS }) },
  { key: 'revoke-user-grants', input: () => ({ user: LUKAS }) },
  // Groups
  { key: 'list-groups', input: () => ({ limit: 2 }) },
  { key: 'get-group', input: (e) => ({ groupId: e.groupId('Finance') }) },
  {
    key: 'create-group',
    input: () => ({
      name: 'Platform Engineering',
      description: 'Engineers of the platform team',
      attributes: { costCenter: 'CC-4420' },
    }),
    count: (e) => e.count('groups', (g) => g.profile.name === 'Platform Engineering'),
  },
  {
    key: 'update-group',
    input: (e) => ({
      groupId: e.groupId('Engineering'),
      description: 'Engineers and SREs',
      attributes: { owner: 'platform-team' },
    }),
  },
  { key: 'delete-group', input: (e) => ({ groupId: e.groupId('Contractors'), missingOk: true }) },
  { key: 'list-group-members', input: (e) => ({ groupId: e.groupId('Engineering'), limit: 1 }) },
  { key: 'add-user-to-group', input: (e) => ({ groupId: e.groupId('Finance'), user: JANE }) },
  { key: 'remove-user-from-group', input: (e) => ({ groupId: e.groupId('Engineering'), user: JANE }) },
  { key: 'list-group-apps', input: (e) => ({ groupId: e.groupId('Engineering'), limit: 1 }) },
  // Group rules
  {
    key: 'list-group-rules',
    input: async (e) => {
      // A second rule, so that a page of one rule has a page 2.
      await e.api('POST', '/api/v1/groups/rules', {
        type: 'group_rule',
        name: 'Support to Contractors',
        conditions: { expression: { type: 'urn:okta:expression:1.0', value: 'user.department=="Support"' } },
        actions: { assignUserToGroups: { groupIds: [e.groupId('Contractors')] } },
      });
      return { includeGroupNames: true, limit: 1 };
    },
  },
  { key: 'get-group-rule', input: (e) => ({ ruleId: e.ruleId(SALES_RULE), includeGroupNames: true }) },
  {
    key: 'create-group-rule',
    input: (e) => ({
      name: 'Engineering to Contractors',
      expression: 'user.department == "Engineering"',
      groupIds: [e.groupId('Contractors')],
      excludedUsers: [OMAR],
      activate: true,
    }),
    count: (e) => e.count('groupRules', (r) => r.name === 'Engineering to Contractors'),
  },
  { key: 'activate-group-rule', input: (e) => ({ ruleId: e.ruleId(SALES_RULE) }) },
  {
    key: 'deactivate-group-rule',
    input: async (e) => {
      await e.api('POST', `/api/v1/groups/rules/${e.ruleId(SALES_RULE)}/lifecycle/activate`);
      return { ruleId: e.ruleId(SALES_RULE) };
    },
  },
  {
    key: 'delete-group-rule',
    input: async (e) => {
      await e.api('POST', `/api/v1/groups/rules/${e.ruleId(SALES_RULE)}/lifecycle/activate`);
      return { ruleId: e.ruleId(SALES_RULE), removeUsers: true, missingOk: true };
    },
  },
  // Applications
  { key: 'list-apps', input: () => ({ limit: 2 }) },
  { key: 'get-app', input: (e) => ({ appId: e.appId(SALESFORCE) }) },
  { key: 'activate-app', input: (e) => ({ appId: e.appId(WIKI) }) },
  { key: 'deactivate-app', input: (e) => ({ appId: e.appId(SLACK) }) },
  { key: 'list-app-users', input: (e) => ({ appId: e.appId(SALESFORCE), includeUser: true, limit: 1 }) },
  {
    key: 'assign-user-to-app',
    input: (e) => ({ appId: e.appId(PAYROLL), user: JANE, userName: 'jdoe', password: 'Payroll-Sandbox-2' }),
  },
  { key: 'get-app-user', input: (e) => ({ appId: e.appId(PAYROLL), user: LUKAS }) },
  {
    key: 'update-app-user',
    input: (e) => ({ appId: e.appId(SALESFORCE), user: LUKAS, profile: { role: 'Controller' } }),
  },
  { key: 'unassign-user-from-app', input: (e) => ({ appId: e.appId(PAYROLL), user: LUKAS }) },
  {
    key: 'list-app-groups',
    input: async (e) => {
      // Pages of this list hold 20 or more: 21 groups on the app, so that there is a page 2.
      for (let n = 1; n <= 20; n += 1) {
        const group = await e.api('POST', '/api/v1/groups', { profile: { name: `Team ${n}` } });
        await e.api('PUT', `/api/v1/apps/${e.appId(GITHUB)}/groups/${group.id}`, {});
      }
      return { appId: e.appId(GITHUB), includeGroup: true, limit: 20 };
    },
  },
  {
    key: 'assign-group-to-app',
    input: (e) => ({
      appId: e.appId(GITHUB),
      groupId: e.groupId('Contractors'),
      priority: 0,
      profile: { team: 'contractors' },
    }),
  },
  {
    key: 'unassign-group-from-app',
    input: (e) => ({ appId: e.appId(HELP_DESK), groupId: e.groupId('Support') }),
  },
  // Devices
  { key: 'list-devices', input: () => ({ limit: 2, expand: 'userSummary' }) },
  { key: 'get-device', input: (e) => ({ deviceId: e.deviceOf(JANE) }) },
  { key: 'list-device-users', input: (e) => ({ deviceId: e.deviceOf(JANE) }) },
  {
    key: 'activate-device',
    input: async (e) => {
      // Looked up first: deactivating a device unlinks its users.
      const deviceId = e.deviceOf(JANE);
      await e.api('POST', `/api/v1/devices/${deviceId}/lifecycle/deactivate`);
      return { deviceId };
    },
  },
  { key: 'deactivate-device', input: (e) => ({ deviceId: e.deviceOf(JANE) }) },
  { key: 'suspend-device', input: (e) => ({ deviceId: e.deviceOf(JANE) }) },
  {
    key: 'unsuspend-device',
    input: async (e) => {
      await e.api('POST', `/api/v1/devices/${e.deviceOf(JANE)}/lifecycle/suspend`);
      return { deviceId: e.deviceOf(JANE) };
    },
  },
  {
    key: 'delete-device',
    input: (e) => ({ deviceId: e.deviceOf(JANE), deactivateFirst: true, missingOk: true }),
  },
  // Roles
  { key: 'list-roles', input: () => ({}) },
  {
    key: 'assign-role-to-user',
    input: () => ({ user: AMARA, roleType: 'HELP_DESK_ADMIN' }),
    // A role assignment is created by a POST: two of the same role would be a duplicate.
    count: (e) => (e.slice('roles').assignments.get(e.userId(AMARA)) ?? []).length,
  },
  {
    key: 'unassign-role-from-user',
    input: async (e) => {
      await e.api('POST', `/api/v1/users/${e.userId(JANE)}/roles`, { type: 'USER_ADMIN' });
      return { user: JANE, roleType: 'USER_ADMIN' };
    },
  },
  // Realms
  { key: 'list-realms', input: () => ({ limit: 1 }) },
  { key: 'get-realm', input: (e) => ({ realmId: e.realmId('Partners') }) },
  {
    key: 'create-realm',
    input: () => ({ name: 'Acme Logistics', realmType: 'PARTNER', domains: ['acme-logistics.example.com'] }),
    count: (e) => e.count('realms', (r) => r.profile.name === 'Acme Logistics'),
  },
  {
    key: 'update-realm',
    input: (e) => ({ realmId: e.realmId('Partners'), name: 'Partners (EMEA)', domains: [] }),
  },
  { key: 'delete-realm', input: (e) => ({ realmId: e.realmId('Partners'), missingOk: true }) },
  // User types
  { key: 'list-user-types', input: () => ({}) },
  { key: 'get-user-type', input: (e) => ({ typeId: e.userTypeId('contractor') }) },
  {
    key: 'create-user-type',
    input: () => ({ name: 'vendor', displayName: 'Vendor', description: 'Staff of our vendors' }),
    count: (e) => e.count('userTypes', (t) => t.name === 'vendor'),
  },
  {
    key: 'update-user-type',
    input: (e) => ({ typeId: e.userTypeId('contractor'), displayName: 'External contractor' }),
  },
  {
    key: 'replace-user-type',
    input: (e) => ({ typeId: e.userTypeId('contractor'), displayName: 'Contractor' }),
  },
  { key: 'delete-user-type', input: (e) => ({ typeId: e.userTypeId('contractor'), missingOk: true }) },
  // Security
  {
    key: 'block-ip-addresses',
    input: () => ({ addresses: ['203.0.113.45', '198.51.100.0/24', '192.0.2.66'] }),
  },
  { key: 'unblock-ip-addresses', input: () => ({ addresses: ['192.0.2.66', '2001:db8:bad::5'] }) },
  { key: 'get-network-zone', input: (e) => ({ zoneId: e.zoneId('LegacyIpZone') }) },
  { key: 'list-network-zones', input: () => ({}) },
  { key: 'list-api-tokens', input: () => ({}) },
  {
    key: 'revoke-api-token',
    input: (e) => {
      // Another token of the same admin: revoking it leaves the connection's own token working.
      e.sandbox.addToken('00DrillSecondAutomationToken00000000000');
      const token = [...e.slice('security').apiTokens.values()].find(
        (t) => t.secret === '00DrillSecondAutomationToken00000000000',
      );
      return { apiTokenId: token.id, allowOwnAdminToken: true, missingOk: true };
    },
  },
  { key: 'list-identity-providers', input: () => ({ limit: 1 }) },
  {
    key: 'list-log-events',
    input: async (e) => {
      // Something in the System Log: three realms created (seeding writes no events).
      const since = new Date(Date.now() - 60_000).toISOString();
      for (const name of ['Alpha', 'Bravo', 'Charlie'])
        await e.api('POST', '/api/v1/realms', { profile: { name } });
      return { since, eventType: 'realm.lifecycle.create', limit: 2 };
    },
  },
  // Event hooks
  { key: 'list-event-hooks', input: () => ({}) },
  {
    key: 'create-event-hook',
    input: () => ({
      name: 'Deprovisioning feed',
      uri: 'https://hr.example.com/okta/deprovisioned',
      eventTypes: ['user.lifecycle.deactivate'],
      authHeaderName: 'X-Api-Key',
      authHeaderValue: 'hook-secret-for-the-sandbox-0001',
    }),
    count: (e) => e.count('eventHooks', (h) => h.name === 'Deprovisioning feed'),
  },
  {
    key: 'verify-event-hook',
    input: async (e) => {
      const hook = await e.api('POST', '/api/v1/eventHooks', {
        name: 'Local receiver',
        events: { type: 'EVENT_TYPE', items: ['user.lifecycle.create'] },
        channel: { type: 'HTTP', version: '1.0.0', config: { uri: hookReceiverUrl } },
      });
      return { eventHookId: hook.id };
    },
  },
  {
    key: 'activate-event-hook',
    input: async (e) => {
      await e.api('POST', `/api/v1/eventHooks/${e.hookId(SIEM_HOOK)}/lifecycle/deactivate`);
      return { eventHookId: e.hookId(SIEM_HOOK) };
    },
  },
  { key: 'deactivate-event-hook', input: (e) => ({ eventHookId: e.hookId(SIEM_HOOK) }) },
  {
    key: 'delete-event-hook',
    input: (e) => ({ eventHookId: e.hookId(SIEM_HOOK), deactivateFirst: true, missingOk: true }),
  },
  // Advanced
  { key: 'offboard-user', input: () => ({ user: LUKAS }) },
  {
    key: 'call-okta-api',
    title: 'GET a list',
    input: () => ({ path: '/api/v1/users?limit=2', maxItems: 50 }),
  },
  {
    key: 'call-okta-api',
    title: 'PUT a membership',
    input: (e) => ({ method: 'PUT', path: `/api/v1/groups/${e.groupId('Finance')}/users/${e.userId(JANE)}` }),
  },
];

// ---------------------------------------------------------------------------------------------------------
// Observing a run: the org's state (every resource slice of the sandbox, flattened to path -> value),
// its System Log, and the action's output, with what differs between two clean runs (times, links to the
// sandbox's port, generated secrets) left out of comparisons.
// ---------------------------------------------------------------------------------------------------------

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function scalar(value) {
  if (typeof value !== 'string') return value;
  if (ISO_TIME.test(value)) return '<time>';
  return value.replace(/http:\/\/127\.0\.0\.1:\d+/g, '<org>');
}

function flatten(value, path, out) {
  if (typeof value === 'function') return out;
  if (value instanceof Map) {
    out.set(`${path}#size`, value.size);
    for (const [key, item] of value) flatten(item, `${path}/${key}`, out);
  } else if (value instanceof Set) {
    out.set(path, JSON.stringify([...value].map(scalar).sort()));
  } else if (Array.isArray(value)) {
    if (value.every((item) => item === null || typeof item !== 'object')) {
      // Order of plain lists (member ids, ...) is not state: a retry may append in another order.
      out.set(path, JSON.stringify(value.map(scalar).sort()));
    } else {
      out.set(`${path}#size`, value.length);
      value.forEach((item, index) => {
        flatten(item, `${path}[${index}]`, out);
      });
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) flatten(item, `${path}.${key}`, out);
  } else {
    out.set(path, scalar(value));
  }
  return out;
}

/** The org's state. `slices` is SandboxOrg's (TypeScript-private) map of resource state, read as is. */
function orgState(sandbox) {
  const out = new Map();
  const slices = sandbox.org.slices;
  if (!(slices instanceof Map)) return out.set('version', sandbox.org.version);
  for (const [name, slice] of slices) flatten(slice, name, out);
  return out;
}

function differences(expected, actual, ignored) {
  const found = [];
  for (const path of new Set([...expected.keys(), ...actual.keys()])) {
    if (ignored.has(path)) continue;
    const a = expected.get(path);
    const b = actual.get(path);
    if (a !== b) found.push({ path, expected: a, actual: b });
  }
  return found;
}

function describeDifferences(found, limit = 3) {
  const shown = found
    .slice(0, limit)
    .map(({ path, expected, actual }) => `${path}: ${short(expected)} -> ${short(actual)}`)
    .join('; ');
  return found.length > limit ? `${shown}; and ${found.length - limit} more` : shown;
}

const short = (value) => {
  const text = value === undefined ? 'absent' : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

/** Runs the action as a host would; never lets an exception or a hang stop the drill. */
async function runAction(env, key, input, host = {}) {
  const connection = { type: 'api_token', apiAddress: env.url, apiToken: env.sandbox.token };
  let timer;
  try {
    const hung = new Promise((resolve) => {
      timer = setTimeout(() => resolve({ hung: true }), RUN_LIMIT_MS);
    });
    const settled = execute(key, { connection, input }, { allowLoopback: true, ...host }).then((result) => ({
      result,
    }));
    return await Promise.race([settled, hung]);
  } catch (error) {
    return { thrown: error };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs a case's input once on a fresh sandbox (optionally under a fault) and records what happened. */
async function observe(spec, kind, reference) {
  const env = await openEnv({ proxy: Boolean(kind?.changes) });
  try {
    const input = await spec.input(env);
    const before = orgState(env.sandbox);
    const armed = kind?.arm({ sandbox: env.sandbox, proxy: env.proxy, ops: reference.targets });
    const servedFrom = env.sandbox.served.length;
    const eventsFrom = env.sandbox.org.log.events.length;
    const startedAt = performance.now();
    const run = await runAction(env, spec.key, input, kind?.host);
    const ms = Math.round(performance.now() - startedAt);
    const struck = armed?.struck() ?? 0;
    armed?.disarm();
    return {
      run,
      ms,
      struck,
      before,
      trace: env.sandbox.served.slice(servedFrom),
      events: env.sandbox.org.log.events.slice(eventsFrom).map((event) => event.eventType),
      state: orgState(env.sandbox),
      count: spec.count?.(env),
    };
  } finally {
    await env.close();
  }
}

const outputOf = (observed) =>
  flatten(observed.run.result?.ok ? observed.run.result.output : undefined, 'output', new Map());

/**
 * The clean run of a case, twice: what a correct run under a fault must match, what in it varies between
 * two clean runs anyway, and which operations the faults strike: the changes' operations (any method but
 * GET) for an action that changes Okta, every operation for a read.
 */
async function reference(spec) {
  const first = await observe(spec);
  const second = await observe(spec);
  const result = first.run.result;
  const writes = first.trace.filter((served) => served.method !== 'GET');
  const isChange = writes.length > 0;
  const contract = manifest.actions.find((action) => action.key === spec.key);
  const volatile = (a, b) => new Set(differences(a, b, new Set()).map(({ path }) => path));
  return {
    ...first,
    ok: Boolean(result?.ok),
    isChange,
    isList: Boolean(contract?.output?.properties?.nextCursor),
    targets: [
      ...new Set((isChange ? writes : first.trace).map((served) => served.operationId).filter(Boolean)),
    ],
    volatileState: volatile(first.state, second.state),
    volatileOutput: volatile(outputOf(first), outputOf(second)),
  };
}

const itemCount = (output) => (typeof output?.count === 'number' ? output.count : undefined);

/** The verdict on one run under a fault: { verdict: correct|envelope|wrong|not struck, kind?, detail? }. */
function judge(ref, kind, observed) {
  const { run } = observed;
  if (run.thrown)
    return wrong('exception', `execute() threw ${run.thrown?.stack?.split('\n')[0] ?? run.thrown}`);
  if (run.hung) return wrong('hung', `execute() had not settled after ${RUN_LIMIT_MS / 1000} s`);
  const result = run.result;
  if (!result || typeof result.ok !== 'boolean')
    return wrong('bad result', `execute() answered ${short(JSON.stringify(result))}`);

  // Duplicates, whatever the outcome: more objects than a clean run leaves.
  if (ref.count !== undefined && observed.count > ref.count) {
    return wrong(
      'duplicate',
      `${observed.count} objects with the name/login a clean run creates once (${ref.count})`,
    );
  }
  // A size above both the state before the run and the clean run's is an object made twice (a failed
  // delete leaves more objects than the clean run, but not more than before).
  const grown = differences(ref.state, observed.state, ref.volatileState).filter(
    ({ path, expected, actual }) =>
      path.endsWith('#size') && (actual ?? 0) > Math.max(expected ?? 0, observed.before.get(path) ?? 0),
  );
  if (grown.length > 0)
    return wrong('duplicate', `more objects than a clean run leaves: ${describeDifferences(grown)}`);

  const verdict = judgeOutcome(ref, kind, observed, result);
  // A run that is fine but that the fault never reached says nothing about the fault.
  if (observed.struck === 0 && verdict.verdict !== 'wrong') return { verdict: 'not struck' };
  return verdict;
}

function judgeOutcome(ref, kind, observed, result) {
  if (!ref.ok) {
    // An action whose clean run fails (get-user-info with an API token): the same answer is right.
    const expected = ref.run.result?.error?.code;
    return result.ok || result.error.code !== expected
      ? wrong('wrong outcome', `${describeResult(result)}; a clean run answers ${expected}`)
      : { verdict: 'correct' };
  }
  if (!result.ok) {
    const why = judgeEnvelope(kind, result.error);
    return why
      ? wrong('wrong envelope', `${why}: "${short(result.error.message)}"`)
      : { verdict: 'envelope' };
  }
  if (ref.isChange) {
    const found = differences(ref.state, observed.state, ref.volatileState);
    // Changes whose only trace is volatile (a new activation token) show in the System Log instead.
    const unlogged = multisetMinus(ref.events, observed.events);
    if (found.length === 0 && unlogged.length > 0) {
      return wrong(
        'silent partial',
        `ok, but Okta did not do all of it: no ${unlogged.join(', ')} in the System Log`,
      );
    }
    if (found.length > 0) {
      // Worth saying apart: nothing at all happened (an answer taken as done without being read), or a part.
      const nothing = differences(observed.before, observed.state, ref.volatileState).length === 0;
      return wrong(
        'silent partial',
        `ok, but ${nothing ? 'nothing changed in the org' : 'the org is not as a clean run leaves it'}: ${describeDifferences(found)}`,
      );
    }
    if (ref.run.result.output?.changed === true && result.output?.changed !== true) {
      return wrong('misreported', `ok with changed: ${result.output?.changed} although the run changed Okta`);
    }
    return { verdict: 'correct' };
  }
  const expectedCount = itemCount(ref.run.result.output);
  const count = itemCount(result.output);
  if (ref.isList && expectedCount !== undefined && count !== undefined && count < expectedCount) {
    return wrong(
      'silent partial',
      `ok with ${count} of ${expectedCount} items (nextCursor ${JSON.stringify(result.output.nextCursor ?? null)})`,
    );
  }
  const found = differences(outputOf(ref), outputOf(observed), ref.volatileOutput);
  if (found.length > 0)
    return wrong(
      'wrong output',
      `ok, but the output differs from a clean run: ${describeDifferences(found)}`,
    );
  return { verdict: 'correct' };
}

const wrong = (kind, detail) => ({ verdict: 'wrong', kind, detail });

/**
 * Not verdicts, but what the lead of an ambiguous-failure fix wants to see: a change that failed although
 * the org is exactly as a clean run leaves it (the run says "failed", Okta says "done": a re-run then
 * finds it done, or CONFLICT), and a change made more than once (System Log events beyond a clean run's).
 */
function sideNotes(ref, observed) {
  const result = observed.run.result;
  const notes = {};
  if (ref.isChange && result && !result.ok) {
    notes.doneButFailed =
      differences(ref.state, observed.state, ref.volatileState).length === 0 &&
      multisetMinus(ref.events, observed.events).length === 0;
  }
  const extra = multisetMinus(observed.events, ref.events);
  if (extra.length > 0) notes.extraEvents = extra;
  return notes;
}

/** The items of `a` not matched one for one in `b`. */
function multisetMinus(a, b) {
  const left = [...b];
  return a.filter((item) => {
    const index = left.indexOf(item);
    if (index < 0) return true;
    left.splice(index, 1);
    return false;
  });
}
const describeResult = (result) =>
  result.ok ? 'ok' : `${result.error.code} (retryable: ${result.error.retryable})`;

// ---------------------------------------------------------------------------------------------------------
// The drill
// ---------------------------------------------------------------------------------------------------------

async function pool(tasks, concurrency) {
  let next = 0;
  let done = 0;
  const workers = Array.from({ length: Math.min(concurrency, tasks.length) }, async () => {
    while (next < tasks.length) {
      const task = tasks[next++];
      await task();
      done += 1;
      if (done % 100 === 0) process.stderr.write(`  ${done}/${tasks.length} runs\n`);
    }
  });
  await Promise.all(workers);
}

const started = performance.now();
const label = (spec) => (spec.title ? `${spec.key} (${spec.title})` : spec.key);
const selected = CASES.filter((spec) => !ONLY || ONLY.includes(spec.key));
const kinds = FAULT_KINDS.filter(
  (kind) => !FAULT_FILTER || FAULT_FILTER.some((name) => kind.name.includes(name)),
);
const missing = manifest.actions
  .map((action) => action.key)
  .filter((key) => !CASES.some((spec) => spec.key === key));

console.log(
  `Fault drill: ${selected.length} inputs for ${new Set(selected.map((s) => s.key)).size} of ${manifest.actions.length} actions, ${kinds.length} fault kinds, a fresh sandbox per run`,
);

// Clean runs first: each case's expected result and the operations the faults strike.
const references = new Map();
const baselineProblems = [];
await pool(
  selected.map((spec) => async () => {
    try {
      const ref = await reference(spec);
      references.set(spec, ref);
      if (!ref.ok && spec.key !== 'get-user-info') {
        baselineProblems.push(
          `${label(spec)}: the clean run fails: ${describeResult(ref.run.result ?? { ok: false, error: { code: String(ref.run.thrown ?? 'hung') } })} ${ref.run.result?.error?.message ?? ''}`,
        );
      }
    } catch (error) {
      baselineProblems.push(`${label(spec)}: the input could not be set up: ${error.message}`);
    }
  }),
  CONCURRENCY,
);

const outcomes = [];
const tasks = [];
for (const spec of selected) {
  const ref = references.get(spec);
  if (!ref || (!ref.ok && spec.key !== 'get-user-info')) continue;
  for (const fault of kinds) {
    if (fault.lists && (!ref.isList || ref.isChange)) continue;
    if (fault.changes && !ref.isChange) continue;
    tasks.push({
      // Storms wait out a reset and timeouts a timeout: started first, so the pool does not end on them.
      slow: fault.name === '429 storm' || Boolean(fault.host),
      run: async () => {
        let outcome;
        try {
          const observed = await observe(spec, fault, ref);
          outcome = {
            ...judge(ref, fault, observed),
            ...sideNotes(ref, observed),
            requests: observed.trace.length,
            ms: observed.ms,
          };
        } catch (error) {
          outcome = wrong(
            'drill error',
            `the case could not run: ${error.stack?.split('\n').slice(0, 2).join(' ')}`,
          );
        }
        outcomes.push({ spec, fault, ...outcome });
      },
    });
  }
}
tasks.sort((a, b) => Number(b.slow) - Number(a.slow));
await pool(
  tasks.map((task) => task.run),
  CONCURRENCY,
);
await new Promise((resolve) => hookReceiver.close(resolve));

// ---------------------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------------------

const COLUMNS = ['runs', 'correct', 'right envelope', 'WRONG', 'silent partial', 'duplicates', 'not struck'];
const tally = (rows) => ({
  runs: rows.length,
  correct: rows.filter((o) => o.verdict === 'correct').length,
  'right envelope': rows.filter((o) => o.verdict === 'envelope').length,
  WRONG: rows.filter((o) => o.verdict === 'wrong').length,
  'silent partial': rows.filter((o) => o.kind === 'silent partial').length,
  duplicates: rows.filter((o) => o.kind === 'duplicate').length,
  'not struck': rows.filter((o) => o.verdict === 'not struck').length,
});

const rows = kinds.map((fault) => ({
  name: fault.name,
  ...tally(outcomes.filter((o) => o.fault === fault)),
}));
const total = { name: 'all', ...tally(outcomes) };
const width = Math.max(...rows.map((row) => row.name.length), 'fault'.length);
const line = (cells) => cells.join('  ');
const header = line(['fault'.padEnd(width), ...COLUMNS]);
const format = (row) =>
  line([row.name.padEnd(width), ...COLUMNS.map((c) => String(row[c]).padStart(c.length))]);
console.log();
console.log(header);
console.log('-'.repeat(header.length));
for (const row of rows) console.log(format(row));
console.log('-'.repeat(header.length));
console.log(format(total));

const wrongs = outcomes
  .filter((o) => o.verdict === 'wrong')
  .sort(
    (a, b) => kinds.indexOf(a.fault) - kinds.indexOf(b.fault) || label(a.spec).localeCompare(label(b.spec)),
  );
console.log(`\nWRONG cases (${wrongs.length}):`);
if (wrongs.length === 0) console.log('  none');
for (const o of wrongs)
  console.log(`  ${label(o.spec)} | ${o.fault.name} | ${o.kind.toUpperCase()}: ${o.detail}`);

const flagged = outcomes.filter((o) => o.fault.flagSlowerThan && o.ms >= o.fault.flagSlowerThan);
if (flagged.length > 0) {
  console.log(
    `\nRuns that got past the fault only when the request timeout (${flagged[0].fault.host?.requestTimeoutMs} ms here) expired (${flagged.length}):`,
  );
  for (const name of new Set(flagged.map((o) => o.fault.name))) {
    const list = flagged.filter((o) => o.fault.name === name);
    console.log(
      `  ${name}: ${list.length} of ${outcomes.filter((o) => o.fault.name === name).length} runs (${[...new Set(list.map((o) => o.verdict))].join(', ')})`,
    );
  }
}

const doneButFailed = outcomes.filter((o) => o.doneButFailed);
console.log(
  `\nFailed runs whose change had in fact been made in full (right envelope or not; the run says failed, the org says done): ${doneButFailed.length}`,
);
for (const name of new Set(doneButFailed.map((o) => o.fault.name))) {
  const list = doneButFailed.filter((o) => o.fault.name === name);
  console.log(`  ${name} (${list.length}): ${list.map((o) => label(o.spec)).join(', ')}`);
}
const repeated = outcomes.filter((o) => o.extraEvents);
console.log(
  `\nRuns that made a change more than once (System Log events beyond a clean run's): ${repeated.length}`,
);
for (const o of repeated)
  console.log(`  ${label(o.spec)} | ${o.fault.name} | extra: ${o.extraEvents.join(', ')}`);

if (baselineProblems.length > 0) {
  console.log('\nInputs whose clean run fails (not drilled; fix the input):');
  for (const problem of baselineProblems) console.log(`  ${problem}`);
}
if (missing.length > 0) console.log(`\nActions without an input in the drill: ${missing.join(', ')}`);

if (VERBOSE) {
  // One line per input: a letter per fault kind. c correct, e right envelope, W wrong, . not struck, blank n/a.
  console.log(
    `\nPer input (c correct, e right envelope, W wrong, . not struck; columns: ${kinds.map((k, i) => `${i + 1} ${k.name}`).join(', ')}):`,
  );
  const letter = { correct: 'c', envelope: 'e', wrong: 'W', 'not struck': '.' };
  for (const spec of selected) {
    const marks = kinds.map((fault) => {
      const o = outcomes.find((x) => x.spec === spec && x.fault === fault);
      return o ? letter[o.verdict] : ' ';
    });
    console.log(`  ${marks.join('')}  ${label(spec)}`);
  }
}

if (VERBOSE) {
  console.log('\nSlowest runs:');
  for (const o of [...outcomes].sort((a, b) => (b.ms ?? 0) - (a.ms ?? 0)).slice(0, 10)) {
    console.log(
      `  ${String(o.ms).padStart(6)} ms  ${label(o.spec)} | ${o.fault.name} | ${o.verdict} (${o.requests} requests)`,
    );
  }
}

const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `\n${outcomes.length} runs under faults (and ${references.size * 2} clean runs) in ${seconds} s; unhandled rejections: ${unhandled}`,
);
process.exit(0);
