import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import type { ActionTypes } from '../../src/index.js';
import { execute, testConnection } from '../../src/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { forgetGovernors } from '../../src/transport/governor.js';
import { useSandbox } from '../helpers/sandbox.js';
import { SANDBOX_HOST, sandboxActions, sandboxConnection } from '../helpers/sandbox-actions.js';

// Every action through execute(), the real SDK and real HTTP, against the sandbox. The sandbox refuses any
// request that breaks Okta's API description, so these are contract tests of the plugin's requests too.
const ctx = useSandbox();
const { connection, run, failure } = sandboxActions(ctx);

const groupId = async (name: string) => (await run('list-groups', { name, maxItems: 1 })).groups[0]!.id;

describe('end to end against the sandbox', () => {
  it('test-connection names the admin; a wrong token is UNAUTHORIZED; a demoted admin is FORBIDDEN on actions', async () => {
    expect(await testConnection(connection(), SANDBOX_HOST)).toMatchObject({
      ok: true,
      details: { subject: { login: 'sandbox.admin@example.com' } },
    });
    expect(
      await testConnection(
        { ...connection(), apiToken: '00WrongToken0000000000000000000000000000' },
        SANDBOX_HOST,
      ),
    ).toMatchObject({
      ok: false,
      details: { code: 'UNAUTHORIZED', okta: { errorCode: 'E0000011' } },
    });
    ctx.sandbox.addToken('00DemotedAdmin00000000000000000000000000', { admin: false });
    const demoted = await execute(
      'list-users',
      { connection: { ...connection(), apiToken: '00DemotedAdmin00000000000000000000000000' }, input: {} },
      SANDBOX_HOST,
    );
    expect(demoted).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('get-user, list-users with search, filter, sort, query and cursors', async () => {
    expect(await run('get-user', { user: 'jane.doe' })).toMatchObject({
      login: 'jane.doe@example.com',
      status: 'ACTIVE',
    });
    const engineers = await run('list-users', {
      search: 'profile.department eq "Engineering"',
      sortBy: 'profile.firstName',
    });
    expect(engineers.users.map((u) => u.profile.firstName)).toEqual(['Jane', 'Omar']);
    expect((await run('list-users', { query: 'mei' })).users.map((u) => u.profile.login)).toEqual([
      'mei.chen@example.com',
    ]);
    expect(
      (await run('list-users', { filter: 'status eq "SUSPENDED"' })).users.map((u) => u.profile.login),
    ).toEqual(['diego.garcia@example.com']);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await run('list-users', { maxItems: 3, limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.users.map((u) => u.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);
  });

  it('deactivated users are left out unless included, with search and without', async () => {
    const user = await run('create-user', {
      profile: { email: 'temp.worker@example.com', firstName: 'Temp', lastName: 'Worker' },
    });
    await run('deactivate-user', { user: user.id });
    const ids = async (input: ActionTypes['list-users']['input']) =>
      (await run('list-users', input)).users.map((u) => u.id);
    expect(await ids({})).not.toContain(user.id);
    expect(await ids({ includeDeprovisioned: true })).toContain(user.id);
    expect(await ids({ query: 'temp' })).not.toContain(user.id);
    expect(await ids({ query: 'temp', includeDeprovisioned: true })).toContain(user.id);
    expect(await ids({ filter: 'profile.login eq "temp.worker@example.com"' })).toEqual([]);
    expect(
      await ids({ filter: 'profile.login eq "temp.worker@example.com"', includeDeprovisioned: true }),
    ).toEqual([user.id]);
  });

  it('create-user stages by default with groups; a duplicate login is CONFLICT', async () => {
    const engineering = await groupId('Engineering');
    const created = await run('create-user', {
      profile: {
        email: 'sam.lee@example.com',
        firstName: 'Sam',
        lastName: 'Lee',
        costCenter: 'CC-1',
        contractEndDate: '2027-03-31',
      },
      groupIds: [engineering],
    });
    expect(created).toMatchObject({
      status: 'STAGED',
      login: 'sam.lee@example.com',
      changed: true,
      user: { profile: { contractEndDate: '2027-03-31' } },
    });
    expect((await run('list-group-members', { groupId: engineering })).users.map((u) => u.id)).toContain(
      created.id,
    );
    expect(
      await failure('create-user', {
        profile: { email: 'sam.lee@example.com', firstName: 'S', lastName: 'L' },
      }),
    ).toMatchObject({ code: 'CONFLICT' });
    expect(
      await failure('create-user', {
        profile: { email: 'weak@example.com', firstName: 'W', lastName: 'P' },
        password: 'weakpass',
        activate: true,
      }),
    ).toMatchObject({
      code: 'INVALID_INPUT',
      okta: { errorCauses: [{ errorSummary: expect.stringContaining('Password requirements') }] },
    });
  });

  it('update-user changes only what is given, and reports no change on a repeat', async () => {
    const first = await run('update-user', {
      user: 'jane.doe@example.com',
      profile: { title: 'Staff Engineer', mobilePhone: '+1 555 0100' },
    });
    expect(first).toMatchObject({
      changed: true,
      changedFields: ['title', 'mobilePhone'],
      user: { profile: { department: 'Engineering', title: 'Staff Engineer' } },
    });
    expect(
      await run('update-user', { user: 'jane.doe@example.com', profile: { title: 'Staff Engineer' } }),
    ).toMatchObject({ changed: false });
  });

  it('deactivate-user and delete-user: the second run reports no change, delete does both phases', async () => {
    expect(await run('deactivate-user', { user: 'mei.chen@example.com' })).toMatchObject({
      changed: true,
      previousStatus: 'ACTIVE',
    });
    expect(await run('deactivate-user', { user: 'mei.chen@example.com' })).toMatchObject({
      changed: false,
      previousStatus: 'DEPROVISIONED',
    });
    expect(await run('delete-user', { user: 'lukas.weber@example.com' })).toMatchObject({
      deactivatedFirst: true,
      deleted: true,
    });
    expect(await failure('get-user', { user: 'lukas.weber@example.com' })).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await failure('delete-user', { user: 'lukas.weber@example.com' })).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('get-group keeps custom attributes; membership actions report changed honestly; app groups are refused', async () => {
    const finance = await groupId('Finance');
    expect(await run('get-group', { groupId: finance })).toMatchObject({
      name: 'Finance',
      group: { profile: { costCenter: 'CC-3100' } },
    });
    expect(await run('add-user-to-group', { groupId: finance, user: 'jane.doe@example.com' })).toMatchObject({
      changed: true,
    });
    expect(await run('add-user-to-group', { groupId: finance, user: 'jane.doe@example.com' })).toMatchObject({
      changed: false,
    });
    expect(
      await run('remove-user-from-group', { groupId: finance, user: 'jane.doe@example.com' }),
    ).toMatchObject({ changed: true });
    expect(
      await run('remove-user-from-group', { groupId: finance, user: 'jane.doe@example.com' }),
    ).toMatchObject({ changed: false });
    const adGroup = (await run('list-groups', { type: 'APP_GROUP' })).groups[0]!.id;
    expect(
      await failure('add-user-to-group', { groupId: adGroup, user: 'jane.doe@example.com' }),
    ).toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('user reads carry no credentials object: the sandbox honours okta-response=omitCredentials', async () => {
    const jane = await run('get-user', { user: 'jane.doe' });
    expect(jane.user).not.toHaveProperty('credentials');
    const listed = await run('list-users', { search: 'profile.login eq "jane.doe@example.com"' });
    expect(listed.users[0]).not.toHaveProperty('credentials');
    expect(listed.users[0]).toHaveProperty('profile.login', 'jane.doe@example.com');
    // Without the parameter the sandbox answers as Okta does, credentials included.
    const raw = await fetch(`${ctx.sandbox.url}/api/v1/users/${jane.id}`, {
      headers: { authorization: `SSWS ${ctx.sandbox.token}` },
    });
    expect(await raw.json()).toHaveProperty('credentials.provider.type', 'OKTA');
  });

  it('list-groups and list-group-members page through cursors', async () => {
    const all = await run('list-groups', { maxItems: 4, limit: 3 });
    expect(all.groups).toHaveLength(4);
    const rest = await run('list-groups', { cursor: all.nextCursor! });
    expect(all.groups.length + rest.groups.length).toBe(9);
    expect(rest.nextCursor).toBeNull();
  });

  it('list-devices and deactivate-device: search, expansion, and no change on a repeat', async () => {
    const found = await run('list-devices', { search: 'profile.platform eq "MACOS"', expand: 'userSummary' });
    expect(found.devices).toHaveLength(2);
    const deviceId = found.devices[0]!.id;
    expect(await run('deactivate-device', { deviceId })).toMatchObject({
      changed: true,
      previousStatus: 'ACTIVE',
      status: 'DEACTIVATED',
    });
    expect(await run('deactivate-device', { deviceId })).toMatchObject({ changed: false });
    expect(await failure('deactivate-device', { deviceId: 'guo00000000000000000' })).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it("reports the sandbox's faults as the envelope says: 5xx retryable, a list failing on page 2 is not partial", async () => {
    ctx.sandbox.faults.add({ operationId: 'listUsers', page: 2, fault: { kind: 'status', status: 503 } });
    expect(await failure('list-users', { limit: 2, maxItems: 10 })).toMatchObject({
      code: 'UPSTREAM',
      retryable: true,
    });
    ctx.sandbox.faults.clear();
    ctx.sandbox.faults.add({ operationId: 'getUser', times: 1, fault: { kind: 'malformed-json' } });
    expect(await failure('get-user', { user: 'jane.doe' })).toMatchObject({
      code: 'UPSTREAM',
      retryable: false,
    });
    // One reset: a read is retried and succeeds. Resets past the retry budget (1 + 3 tries): NETWORK.
    ctx.sandbox.faults.add({ operationId: 'getUser', times: 1, fault: { kind: 'reset' } });
    expect(await run('get-user', { user: 'jane.doe' })).toMatchObject({ login: 'jane.doe@example.com' });
    ctx.sandbox.faults.add({ operationId: 'getUser', times: 4, fault: { kind: 'reset' } });
    expect(await failure('get-user', { user: 'jane.doe' })).toMatchObject({
      code: 'NETWORK',
      retryable: true,
    });
    // A hung read is abandoned at the request timeout and retried; hung on every try: TIMEOUT, naming it.
    const hurried = { ...SANDBOX_HOST, requestTimeoutMs: 200 };
    ctx.sandbox.faults.add({ operationId: 'getUser', times: 1, fault: { kind: 'hang' } });
    expect(
      await execute('get-user', { connection: connection(), input: { user: 'jane.doe' } }, hurried),
    ).toMatchObject({ ok: true, meta: { requests: 2 } });
    ctx.sandbox.faults.add({ operationId: 'getUser', times: 4, fault: { kind: 'hang' } });
    const slow = await execute(
      'get-user',
      { connection: connection(), input: { user: 'jane.doe' } },
      hurried,
    );
    expect(slow).toMatchObject({ ok: false, error: { code: 'TIMEOUT', retryable: true } });
    expect(!slow.ok && slow.error.message).toMatch(/request timeout/);
  });

  it('waits out a sandbox rate limit and retries; returns RATE_LIMITED when the wait is too long', async () => {
    // A minute compressed into one second, and one getUser per window.
    const sandbox = await startSandbox({
      rateLimit: { perMinute: 600, perOperation: { getUser: 1 }, timeScale: 60 },
    });
    try {
      const fast = sandboxConnection(sandbox);
      const once = () => execute('get-user', { connection: fast, input: { user: 'jane.doe' } }, SANDBOX_HOST);
      expect(await once()).toMatchObject({ ok: true, meta: { requests: 1 } });
      // Spent, and the governor knows it: it waits for the announced reset before sending.
      expect(await once()).toMatchObject({ ok: true, meta: { requests: 1 } });
      expect(sandbox.served.filter((s) => s.status === 429)).toEqual([]);
      // A process that has not seen the budget (another integration of the org) gets the 429,
      // waits for the reset computed from Date and retries.
      forgetGovernors();
      expect(await once()).toMatchObject({ ok: true, meta: { requests: 2 } });
      expect(sandbox.served.filter((s) => s.status === 429)).toHaveLength(1);
      sandbox.rateLimits.setLimit('getUser', 0);
      const refused = await execute(
        'get-user',
        { connection: fast, input: { user: 'jane.doe' } },
        { ...SANDBOX_HOST, maxWaitMs: 100 },
      );
      expect(refused).toMatchObject({
        ok: false,
        error: { code: 'RATE_LIMITED', retryable: true, retryAfterMs: expect.any(Number) },
      });
      expect(sandbox.requestViolations).toEqual([]);
    } finally {
      await sandbox.close();
    }
  });
});

describe('the sandbox command', () => {
  it('prints exactly the one line and serves until stopped', async () => {
    let output = '';
    let servedUrl = '';
    const code = await runCli(['sandbox', '--port', '0', '--token', '00CliSandboxToken', '--seed', '25'], {
      stdout: (text) => {
        output += text;
      },
      stderr: (text) => {
        output += text;
      },
      env: {},
      readFile: async () => '',
      writeFile: async () => {},
      untilStopped: async () => {
        servedUrl = /listening on (\S+) /.exec(output)?.[1] ?? '';
        const me = await fetch(`${servedUrl}/api/v1/users?limit=200`, {
          headers: { authorization: 'SSWS 00CliSandboxToken' },
        });
        expect(((await me.json()) as unknown[]).length).toBe(8 + 25);
      },
    });
    expect(code).toBe(0);
    expect(output).toMatch(
      /^Okta sandbox listening on http:\/\/127\.0\.0\.1:\d+ \(API token: 00CliSandboxToken\)\n$/,
    );
  });
});
