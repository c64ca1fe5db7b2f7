/**
 * The live suite: test-connection, every read action of the manifest, and a create / update / add /
 * suspend / unsuspend / deactivate / delete cycle on a user and a group of its own, through execute() as a
 * host runs them.
 *
 * With OKTA_LIVE_ADDRESS and OKTA_LIVE_TOKEN set it runs against that Okta org (a Super Administrator's API
 * token of a test org, never production; see "Run the live suite" in README.md). Without them it runs the
 * very same code against the built-in sandbox, so every `npm test` executes it; there, every read must
 * succeed, and the sandbox must see no request and send no answer that breaks Okta's API description.
 *
 * Against a real org it is sequential and asks for few items, and only ever deletes users and groups whose
 * login or name carries its marker (see marker.ts and cleanup.ts).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { type ActionKey, manifest, type TestConnectionResult, testConnection } from '../../src/index.js';
import { type CleanupReport, CreatedObjects, sweepLeftovers } from './cleanup.js';
import { markedLogin, newMarker } from './marker.js';
import { OrgDiscovery, READ_PLANS, READS_NOT_RUN, runRead } from './reads.js';
import { chooseTarget, openTarget, type SuiteTarget } from './target.js';

const choice = chooseTarget(process.env);
const readKeys = manifest.actions.filter((a) => a.annotations.readOnly).map((a) => a.key as ActionKey);

/**
 * What a maintainer should know about a test (an accepted error code, a read not run, what the clean-up
 * deleted): an annotation, and against a real org also a line in the test output.
 */
async function note(context: TestContext, message: string): Promise<void> {
  say(`${context.task.name}: ${message}`);
  await context.annotate(message);
}

function say(message: string): void {
  if (choice.kind === 'okta') console.info(`[live: ${choice.label}] ${message}`);
}

describe(`live suite against ${choice.label}`, { timeout: choice.timeouts.test }, () => {
  let target: SuiteTarget;
  let connected: TestConnectionResult;

  // One check before anything else: an org that cannot be reached, or a token it refuses, is one clear
  // error rather than a failure of every test.
  beforeAll(async () => {
    target = await openTarget(choice);
    connected = await testConnection(target.connection, target.host);
    if (!connected.ok) throw new Error(`Cannot run against ${choice.label}: ${connected.message}`);
  }, choice.timeouts.hook);

  afterEach(() => {
    expect(target.takeContractProblems(), "requests or answers that break Okta's API description").toEqual(
      [],
    );
  });

  afterAll(async () => {
    await target?.close();
  }, choice.timeouts.hook);

  it('test-connection: connected, as an active Super Administrator, with an expectation for every action', async (context) => {
    const { details, message } = connected;
    expect(details).toMatchObject({
      orgUrl: target.connection.apiAddress,
      connectionType: 'api_token',
      subject: { kind: 'user', id: expect.any(String), login: expect.any(String) },
    });
    if (details.subject?.kind !== 'user') throw new Error('an API token acts as a user');
    expect(message).toContain(details.subject.login);
    // The subject is a real, active user of the org: the token's own admin, read back by id.
    expect(await target.run('get-user', { user: details.subject.id })).toMatchObject({
      login: details.subject.login,
      status: 'ACTIVE',
    });
    // The suite needs a Super Administrator (README), which leaves nothing to guess: each action is
    // expected to work unless it runs only with other connection types or needs a feature the org lacks.
    expect(details.adminRoles).toContain('SUPER_ADMIN');
    if (target.kind === 'sandbox') expect(details.features).toEqual({ devices: true, realms: true });
    const lacking = new Set(
      Object.entries({ Devices: details.features?.devices, Realms: details.features?.realms })
        .filter(([, present]) => present === false)
        .map(([category]) => category),
    );
    const expected = manifest.actions.map((action) => ({
      key: action.key,
      expected:
        (action.connectionTypes && !action.connectionTypes.includes('api_token')) ||
        lacking.has(action.category)
          ? 'no'
          : 'yes',
    }));
    expect(details.actions?.map(({ key, expected }) => ({ key, expected }))).toEqual(expected);
    for (const action of details.actions ?? []) {
      if (action.expected !== 'yes') expect(action.reason, action.key).toEqual(expect.any(String));
    }
    await note(
      context,
      `${details.subject.login} (${details.adminRoles?.join(', ')}); features ${JSON.stringify(details.features)}; ${message}`,
    );
  });

  describe('every read action of the manifest, with inputs found in the org', () => {
    let org: OrgDiscovery;
    beforeAll(() => {
      org = new OrgDiscovery(target);
    });

    it('the plans and the reasons name read actions of the manifest, each once', () => {
      const planned = Object.keys(READ_PLANS);
      const notRun = Object.keys(READS_NOT_RUN);
      expect([...planned, ...notRun].sort()).toEqual([...readKeys].sort());
    });

    for (const key of readKeys) {
      it(key, async (context) => {
        const outcome = await runRead(target, org, key);
        switch (outcome.kind) {
          case 'ran':
            return;
          case 'not-for-api-tokens':
            return note(context, `not run with an API token: ${outcome.reason}`);
          case 'org-lacks-feature':
            return note(context, `accepted ${outcome.code} from this org: ${outcome.message}`);
          case 'nothing-to-read':
            await note(context, `not run: ${outcome.reason}`);
            return context.skip(outcome.reason);
          case 'failed':
            expect.fail(outcome.reason);
        }
      });
    }
  });

  describe('a user and a group of its own: create, update, add, suspend, unsuspend, deactivate, delete', () => {
    const marker = newMarker();
    const login = markedLogin(marker);
    const profile = {
      login,
      email: login,
      firstName: 'Live',
      lastName: 'Suite',
      title: 'Temporary user of the okta-actions live suite',
      department: 'okta-actions live suite',
      employeeNumber: marker.text.slice(-6),
    };
    const description = 'Temporary group of the okta-actions live suite; it deletes it when done.';
    const ids: { user?: string; group?: string } = {};
    let created: CreatedObjects;

    beforeAll(() => {
      created = new CreatedObjects(target, marker);
    });

    // Whatever failed above, what this run created goes, and only that.
    afterAll(async () => {
      if (!created) return; // the suite never started: nothing was created
      const report = await created.deleteAll();
      say(`clean-up: ${describeReport(report)}`);
      if (report.problems.length > 0) throw new Error(`clean-up incomplete: ${report.problems.join('; ')}`);
    }, choice.timeouts.hook);

    const need = (id: string | undefined, step: string): string => {
      if (!id) throw new Error(`${step} did not run or failed, so there is nothing to continue with`);
      return id;
    };

    it('sweep: deletes what earlier runs that were cut short left behind, and nothing else', async (context) => {
      const report = await sweepLeftovers(target);
      await note(context, describeReport(report));
      expect(report.problems).toEqual([]);
    });

    it('create-group', async () => {
      const group = await target.run('create-group', { name: marker.text, description });
      ids.group = group.id;
      created.addGroup(group.id);
      expect(group).toMatchObject({ name: marker.text, description, type: 'OKTA_GROUP', changed: true });
    });

    // With a password and activate, Okta makes the user ACTIVE at once and sends no activation email (the
    // user creation scenarios of https://developer.okta.com/docs/api/rest/users.html); the address is at a
    // reserved domain all the same.
    it('create-user: active, with a password', async () => {
      const user = await target.run('create-user', { profile, password: newPassword(), activate: true });
      ids.user = user.id;
      created.addUser(user.id);
      expect(user).toMatchObject({ login, email: login, status: 'ACTIVE', changed: true });
    });

    it('update-user changes the title and keeps every other attribute', async () => {
      const user = need(ids.user, 'create-user');
      const title = 'Updated by the okta-actions live suite';
      expect(await target.run('update-user', { user, profile: { title } })).toMatchObject({
        changed: true,
        changedFields: ['title'],
      });
      const read = await target.run('get-user', { user });
      expect(read.user.profile).toMatchObject({ ...profile, title });
    });

    it('update-group renames it and keeps the description', async () => {
      const groupId = need(ids.group, 'create-group');
      // Still marked, so the clean-up knows it as this run's.
      const name = `${marker.text}-renamed`;
      expect(await target.run('update-group', { groupId, name })).toMatchObject({ changed: true });
      expect(await target.run('get-group', { groupId })).toMatchObject({ name, description });
    });

    it('add-user-to-group, once (a repeat changes nothing)', async () => {
      const [user, groupId] = [need(ids.user, 'create-user'), need(ids.group, 'create-group')];
      expect(await target.run('add-user-to-group', { groupId, user })).toMatchObject({ changed: true });
      expect(await target.run('add-user-to-group', { groupId, user })).toMatchObject({ changed: false });
      const members = await target.run('list-group-members', { groupId });
      expect(members.users.map((u) => u.id)).toEqual([user]);
      const groups = await target.run('list-user-groups', { user });
      expect(groups.groups.map((g) => g.id)).toContain(groupId);
    });

    it('suspend-user keeps the group membership', async () => {
      const [user, groupId] = [need(ids.user, 'create-user'), need(ids.group, 'create-group')];
      expect(await target.run('suspend-user', { user })).toMatchObject({
        status: 'SUSPENDED',
        previousStatus: 'ACTIVE',
        changed: true,
      });
      expect(await target.run('get-user', { user })).toMatchObject({ status: 'SUSPENDED' });
      const members = await target.run('list-group-members', { groupId });
      expect(members.users.map((u) => u.id)).toEqual([user]);
    });

    it('unsuspend-user', async () => {
      const user = need(ids.user, 'create-user');
      expect(await target.run('unsuspend-user', { user })).toMatchObject({
        status: 'ACTIVE',
        previousStatus: 'SUSPENDED',
        changed: true,
      });
    });

    it('deactivate-user', async () => {
      const user = need(ids.user, 'create-user');
      expect(await target.run('deactivate-user', { user })).toMatchObject({
        status: 'DEPROVISIONED',
        previousStatus: 'ACTIVE',
        changed: true,
      });
      expect(await target.run('get-user', { user })).toMatchObject({ status: 'DEPROVISIONED' });
    });

    it('delete-user: gone afterwards', async () => {
      const user = need(ids.user, 'create-user');
      expect(await target.run('delete-user', { user })).toMatchObject({
        deleted: true,
        deactivatedFirst: false,
        changed: true,
      });
      expect(await target.execute('get-user', { user })).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND' },
      });
    });

    it('delete-group: gone afterwards', async () => {
      const groupId = need(ids.group, 'create-group');
      expect(await target.run('delete-group', { groupId })).toMatchObject({ deleted: true, changed: true });
      expect(await target.execute('get-group', { groupId })).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND' },
      });
    });
  });
});

/**
 * A password no org policy of the usual kind refuses: 24 random characters plus one of each class. Made
 * per run and never printed; the user is deleted at the end anyway.
 */
function newPassword(): string {
  return `${randomBytes(18).toString('base64url')}aZ7!`;
}

function describeReport(report: CleanupReport): string {
  const listed = (what: string, names: string[]) =>
    names.length === 0 ? `no ${what}` : `${names.length} ${what} (${names.join(', ')})`;
  return `deleted ${listed('users', report.deletedUsers)} and ${listed('groups', report.deletedGroups)}${
    report.problems.length > 0 ? `; problems: ${report.problems.join('; ')}` : ''
  }`;
}
