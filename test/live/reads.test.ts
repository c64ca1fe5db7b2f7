/**
 * The live suite's rules for reads, checked against the sandbox: what it accepts from a real org (a missing
 * feature answered UNSUPPORTED or FORBIDDEN, nothing to read it with), what it never accepts from the
 * sandbox, and that a read action without a plan fails the suite. Faults make the sandbox answer the way an
 * org without a feature does.
 */
import { describe, expect, it } from 'vitest';
import type { Fault } from '../../src/sandbox/index.js';
import { useSandbox } from '../helpers/sandbox.js';
import { OrgDiscovery, READ_PLANS, runRead } from './reads.js';
import { sandboxTarget } from './target.js';

const ctx = useSandbox();

/** Okta's answer where the org lacks a feature (E0000015, HTTP 401). */
const FEATURE_MISSING: Fault = {
  kind: 'status',
  status: 401,
  body: {
    errorCode: 'E0000015',
    errorSummary: 'You do not have permission to access the feature you are requesting',
    errorLink: 'E0000015',
    errorId: 'oaeLiveSuiteTest0001',
    errorCauses: [],
  },
};

const FORBIDDEN: Fault = {
  kind: 'status',
  status: 403,
  body: {
    errorCode: 'E0000006',
    errorSummary: 'You do not have permission to perform the requested action',
    errorLink: 'E0000006',
    errorId: 'oaeLiveSuiteTest0002',
    errorCauses: [],
  },
};

const NOT_FOUND: Fault = {
  kind: 'status',
  status: 404,
  body: {
    errorCode: 'E0000007',
    errorSummary: 'Not found: Resource not found: realms (Realm)',
    errorLink: 'E0000007',
    errorId: 'oaeLiveSuiteTest0003',
    errorCauses: [],
  },
};

/** The same sandbox seen with a real org's rules and with the sandbox's own. */
function bothRules() {
  const realOrg = sandboxTarget(ctx.sandbox, 'okta');
  const sandbox = sandboxTarget(ctx.sandbox);
  return {
    realOrg: { target: realOrg, org: new OrgDiscovery(realOrg) },
    sandbox: { target: sandbox, org: new OrgDiscovery(sandbox) },
  };
}

describe('runRead: a real org may lack a feature; the sandbox may not', () => {
  it('no Devices API (E0000015): the list is accepted as UNSUPPORTED and the gets have nothing to read', async () => {
    ctx.sandbox.faults.add({ operationId: 'listDevices', fault: FEATURE_MISSING });
    const { realOrg, sandbox } = bothRules();
    expect(await runRead(realOrg.target, realOrg.org, 'list-devices')).toMatchObject({
      kind: 'org-lacks-feature',
      code: 'UNSUPPORTED',
    });
    for (const key of ['get-device', 'list-device-users'] as const) {
      expect(await runRead(realOrg.target, realOrg.org, key)).toMatchObject({
        kind: 'nothing-to-read',
        reason: expect.stringContaining('list-devices answered UNSUPPORTED'),
      });
      expect(await runRead(sandbox.target, sandbox.org, key)).toMatchObject({ kind: 'failed' });
    }
    expect(await runRead(sandbox.target, sandbox.org, 'list-devices')).toMatchObject({
      kind: 'failed',
      reason: expect.stringContaining('UNSUPPORTED'),
    });
  });

  it('a role or subscription that does not reach realms (E0000006): FORBIDDEN is accepted from a real org', async () => {
    ctx.sandbox.faults.add({ operationId: 'listRealms', fault: FORBIDDEN });
    const { realOrg, sandbox } = bothRules();
    expect(await runRead(realOrg.target, realOrg.org, 'list-realms')).toMatchObject({
      kind: 'org-lacks-feature',
      code: 'FORBIDDEN',
    });
    expect(await runRead(sandbox.target, sandbox.org, 'list-realms')).toMatchObject({ kind: 'failed' });
  });

  it('any other code fails, on a real org too', async () => {
    ctx.sandbox.faults.add({ operationId: 'listRealms', fault: NOT_FOUND });
    const { realOrg } = bothRules();
    expect(await runRead(realOrg.target, realOrg.org, 'list-realms')).toMatchObject({
      kind: 'failed',
      reason: expect.stringContaining('NOT_FOUND'),
    });
    expect(await runRead(realOrg.target, realOrg.org, 'get-realm')).toMatchObject({
      kind: 'failed',
      reason: expect.stringContaining('list-realms answered NOT_FOUND'),
    });
  });

  it('an empty list: nothing to read on a real org, a failure on the sandbox', async () => {
    const rules = ctx.sandbox.faults.add({
      operationId: 'listGroupRules',
      fault: { kind: 'status', status: 200, body: [] },
    });
    const { realOrg, sandbox } = bothRules();
    expect(await runRead(realOrg.target, realOrg.org, 'list-group-rules')).toEqual({ kind: 'ran' });
    expect(await runRead(realOrg.target, realOrg.org, 'get-group-rule')).toEqual({
      kind: 'nothing-to-read',
      reason: 'the org has no group rules (list-group-rules returned none)',
    });
    expect(await runRead(sandbox.target, sandbox.org, 'get-group-rule')).toMatchObject({
      kind: 'failed',
      reason: expect.stringContaining('the org has no group rules'),
    });
    expect(rules.fired).toBeGreaterThan(0);
  });

  it('with every feature there, every planned read runs', async () => {
    const { sandbox } = bothRules();
    for (const key of [
      'list-devices',
      'get-device',
      'get-realm',
      'get-group-rule',
      'get-app-user',
    ] as const) {
      expect(await runRead(sandbox.target, sandbox.org, key), key).toEqual({ kind: 'ran' });
    }
  });
});

describe('runRead: a read action the suite does not cover fails it', () => {
  it('without a plan, naming where to add one', async () => {
    const { realOrg } = bothRules();
    const { 'list-roles': _left, ...plans } = READ_PLANS;
    expect(await runRead(realOrg.target, realOrg.org, 'list-roles', plans)).toEqual({
      kind: 'failed',
      reason: expect.stringContaining('list-roles is a read action without a plan: add one to READ_PLANS'),
    });
  });

  it('listed as not runnable with an API token while an API token runs it: the reason has gone stale', async () => {
    const { realOrg } = bothRules();
    const notRun = { 'list-roles': 'pretended to need an end user token' };
    expect(await runRead(realOrg.target, realOrg.org, 'list-roles', READ_PLANS, notRun)).toEqual({
      kind: 'failed',
      reason: expect.stringContaining('list-roles is in READS_NOT_RUN, but with an API token it succeeded'),
    });
  });

  it('get-user-info is refused for an API token before anything is sent', async () => {
    const { sandbox } = bothRules();
    expect(await runRead(sandbox.target, sandbox.org, 'get-user-info')).toEqual({
      kind: 'not-for-api-tokens',
      reason: expect.stringContaining("user's own access token"),
    });
  });
});
