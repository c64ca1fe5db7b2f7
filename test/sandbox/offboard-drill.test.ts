/**
 * The offboard drill: offboard-user with every Okta operation it uses failing in turn (404, 403, 503, a
 * timeout before Okta acts, a timeout after Okta acted), in both modes, for a user in every status, each
 * case on a fresh sandbox. Every case is judged against the sandbox's state after the run, read over
 * plain HTTP with the fault removed:
 *
 * - access is cut whenever Okta allows it: the user ends SUSPENDED or DEPROVISIONED (DEPROVISIONED in
 *   deactivate mode), unless the fault struck the very call that would have cut it, and then the result
 *   says so; a user Okta cannot suspend, in suspend mode, gets a CONFLICT that advises deactivate mode;
 * - the result is true: every part is listed; a step reported done really happened; whatever is left
 *   undone (a group, an app, a device, a factor, the sessions) belongs to a part reported failed or never
 *   tried; `ok: true` only when nothing was left undone.
 *
 * It prints one table (mode x status: the end status under each fault, and the verdict).
 */
import { describe, expect, it } from 'vitest';
import { NOT_DEACTIVATED } from '../../src/domain/user-lifecycle.js';
import { execute, type StepRecord } from '../../src/index.js';
import { type Fault, type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { findUser, type UserStatus } from '../../src/sandbox/resources/users/model.js';
import { inPool } from '../helpers/pool.js';
import { sandboxClient } from '../helpers/sandbox.js';
import { sandboxConnection } from '../helpers/sandbox-actions.js';

const LUKAS = 'lukas.weber@example.com';
/** Every status a user can be in. */
const STATUSES = [...NOT_DEACTIVATED, 'DEPROVISIONED'];
const MODES = ['suspend', 'deactivate'] as const;

/** Every Okta operation offboard-user sends, and the part it belongs to. */
const OPERATIONS: Record<string, string> = {
  suspendUser: 'suspend',
  deactivateUser: 'deactivate',
  revokeUserSessions: 'end sessions and revoke tokens',
  listFactors: 'reset factors',
  resetFactors: 'reset factors',
  listUserDevices: 'deactivate devices',
  deactivateDevice: 'deactivate devices',
  listApplications: 'remove app assignments',
  getApplicationUser: 'remove app assignments',
  unassignUserFromApplication: 'remove app assignments',
  listUserGroups: 'remove from groups',
  unassignUserFromGroup: 'remove from groups',
};

const FAULTS: Record<string, { fault: Fault; lostAnswer?: boolean }> = {
  '404': {
    fault: { kind: 'status', status: 404, body: oktaError('E0000007', 'Not found: Resource not found') },
  },
  '403': {
    fault: {
      kind: 'status',
      status: 403,
      body: oktaError('E0000006', 'You do not have permission to perform the requested action'),
    },
  },
  '503': { fault: { kind: 'status', status: 503 } },
  timeout: { fault: { kind: 'hang' } },
  'timeout after acting': { fault: { kind: 'hang' }, lostAnswer: true },
};

/** Short for the table. */
const SHORT: Record<string, string> = {
  STAGED: 'STG',
  PROVISIONED: 'PRV',
  ACTIVE: 'ACT',
  RECOVERY: 'REC',
  PASSWORD_EXPIRED: 'PWX',
  LOCKED_OUT: 'LCK',
  SUSPENDED: 'SUS',
  DEPROVISIONED: 'DEP',
};

const HOST = { allowLoopback: true, requestTimeoutMs: 250, maxRetries: 1 };

function oktaError(errorCode: string, errorSummary: string) {
  return { errorCode, errorSummary, errorLink: errorCode, errorId: 'oaeDrill', errorCauses: [] };
}

interface Case {
  mode: (typeof MODES)[number];
  status: string;
  operation: string;
  faultName: string;
}

/** What the org holds for the user, read over plain HTTP (no plugin in between). */
async function stateOf(sandbox: Sandbox, userId: string) {
  const api = sandboxClient(sandbox);
  const user = (await api.get(`/api/v1/users/${userId}`)).body;
  const groups = (await api.get(`/api/v1/users/${userId}/groups`)).body as Array<{
    type: string;
    profile: { name: string };
  }>;
  const factors = (await api.get(`/api/v1/users/${userId}/factors`)).body as unknown[];
  const devices = (await api.get(`/api/v1/users/${userId}/devices`)).body as Array<{
    device: { status: string };
  }>;
  const apps = (await api.get(`/api/v1/apps?filter=${encodeURIComponent(`user.id eq "${userId}"`)}`))
    .body as Array<{ id: string; label: string }>;
  const direct: string[] = [];
  for (const app of apps) {
    const assignment = (await api.get(`/api/v1/apps/${app.id}/users/${userId}`)).body;
    if (assignment.scope !== 'GROUP') direct.push(app.label);
  }
  return {
    status: user.status as string,
    oktaGroups: groups.filter((g) => g.type === 'OKTA_GROUP').map((g) => g.profile.name),
    factors: factors.length,
    activeDevices: devices.filter((d) => d.device.status !== 'DEACTIVATED').length,
    directApps: direct,
  };
}

interface Verdict {
  endStatus: string;
  problems: string[];
  struck: boolean;
}

async function runCase(drillCase: Case): Promise<Verdict> {
  const sandbox = await startSandbox();
  try {
    const lukas = findUser(sandbox.org, LUKAS)!;
    lukas.status = drillCase.status as UserStatus;
    const before = await stateOf(sandbox, lukas.id);
    const { fault, lostAnswer } = FAULTS[drillCase.faultName]!;
    const handle = sandbox.faults.add({ operationId: drillCase.operation, fault, lostAnswer });
    const connection = sandboxConnection(sandbox);
    const result = await execute(
      'offboard-user',
      { connection, input: { user: LUKAS, mode: drillCase.mode } },
      HOST,
    );
    handle();
    const after = await stateOf(sandbox, lukas.id);
    const sessionsCleared = sandbox.org.log.eventTypes().includes('user.session.clear');
    const steps = ((result.ok ? result.output.steps : result.error.steps) ?? []) as StepRecord[];
    const problems = judge(drillCase, before, after, steps, result.ok, sessionsCleared, handle.fired > 0);
    if (!result.ok && result.error.steps === undefined)
      problems.push(`failed without listing its steps: ${result.error.code} ${result.error.message}`);
    // Every request the run sent is one Okta describes, and every answer the sandbox gave too.
    problems.push(...sandbox.requestViolations, ...sandbox.contractViolations);
    return { endStatus: after.status, problems, struck: handle.fired > 0 };
  } finally {
    await sandbox.close();
  }
}

function judge(
  { mode, status, operation, faultName }: Case,
  before: Awaited<ReturnType<typeof stateOf>>,
  after: Awaited<ReturnType<typeof stateOf>>,
  steps: StepRecord[],
  ok: boolean,
  sessionsCleared: boolean,
  struck: boolean,
): string[] {
  const problems: string[] = [];
  const partOf = (step: StepRecord) => step.part ?? step.step;
  const inPart = (part: string) => steps.filter((step) => partOf(step) === part);
  const reportedUndone = (part: string) =>
    inPart(part).some((step) => step.status === 'failed' || step.status === 'not-attempted');
  const done = (part: string) => inPart(part).some((step) => step.status === 'done');

  // Every part is listed.
  for (const part of [
    'end sessions and revoke tokens',
    'reset factors',
    'deactivate devices',
    'remove app assignments',
    'remove from groups',
  ])
    if (inPart(part).length === 0) problems.push(`part "${part}" is missing from the result`);

  // Access is cut whenever Okta allows it.
  const suspendable = status === 'ACTIVE';
  const alreadyCut = status === 'SUSPENDED' || status === 'DEPROVISIONED';
  const faultOn = (op: string) => operation === op;
  let expected: string[];
  if (mode === 'suspend') {
    if (alreadyCut) expected = [status];
    else if (suspendable) expected = faultOn('suspendUser') ? ['ACTIVE', 'SUSPENDED'] : ['SUSPENDED'];
    else expected = [status]; // Okta cannot suspend it: the result must say so (checked below)
  } else if (faultOn('deactivateUser')) {
    expected = suspendable ? ['SUSPENDED', 'DEPROVISIONED'] : [status, 'DEPROVISIONED'];
  } else expected = ['DEPROVISIONED'];
  if (!expected.includes(after.status))
    problems.push(`ended ${after.status}; expected ${expected.join(' or ')}`);
  if (mode === 'suspend' && ['PROVISIONED', 'RECOVERY', 'PASSWORD_EXPIRED', 'LOCKED_OUT'].includes(status)) {
    const refusal = steps.find((step) => step.step === 'suspend');
    if (refusal?.status !== 'failed' || !refusal.error?.message.includes('mode: deactivate'))
      problems.push('a user Okta cannot suspend got no advice to use mode: deactivate');
  }

  // What the result says happened, did.
  if (done('suspend') && !['SUSPENDED', 'DEPROVISIONED'].includes(after.status))
    problems.push('suspend reported done, the user is not suspended');
  if (done('deactivate') && after.status !== 'DEPROVISIONED')
    problems.push('deactivate reported done, the user is not deactivated');
  if (after.status !== before.status && !done('suspend') && !done('deactivate')) {
    const unknown = steps.some((step) => step.outcomeUnknown);
    if (!unknown) problems.push(`the user went ${before.status} -> ${after.status}, and no step says so`);
  }
  if (done('end sessions and revoke tokens') && !sessionsCleared)
    problems.push('sessions reported ended, none were');
  if (done('reset factors') && after.factors > 0) problems.push('factors reported reset, some remain');

  // What is left undone is reported as such.
  const leftUndone: Array<[string, boolean]> = [
    ['end sessions and revoke tokens', !sessionsCleared],
    ['deactivate devices', after.activeDevices > 0],
    ['remove app assignments', after.directApps.length > 0],
    ['remove from groups', after.oktaGroups.length > 0],
    // A deactivated user's factors cannot be reset (skipped with the reason): not an undone part.
    ['reset factors', after.factors > 0 && after.status !== 'DEPROVISIONED'],
  ];
  for (const [part, undone] of leftUndone) {
    if (undone && !reportedUndone(part)) problems.push(`"${part}" left undone, not reported failed`);
  }
  const anyUndone = steps.some((step) => step.status === 'failed' || step.status === 'not-attempted');
  if (ok === anyUndone) problems.push(`ok: ${ok} while failed steps: ${anyUndone}`);
  // A fault that struck and was not undone by a check (a lost answer) leaves its part failed.
  if (struck && !FAULTS[faultName]!.lostAnswer && !reportedUndone(OPERATIONS[operation]!))
    problems.push(`the fault struck ${operation}, its part is not reported failed`);
  return problems;
}

describe('the offboard drill', () => {
  it('cuts access whenever Okta allows it and reports truthfully, for every part, fault, mode and status', async () => {
    const cases: Case[] = MODES.flatMap((mode) =>
      STATUSES.flatMap((status) =>
        Object.keys(OPERATIONS).flatMap((operation) =>
          Object.keys(FAULTS).map((faultName) => ({ mode, status, operation, faultName })),
        ),
      ),
    );
    // A few at a time, each on its own sandbox: most of a case's time is waiting for its timeouts.
    const verdicts = await inPool(cases, 8, runCase);

    // The table: per mode and status, the end statuses seen under each fault, and the struck / wrong counts.
    const faultNames = Object.keys(FAULTS);
    const lines = [
      `| mode | status | ${faultNames.join(' | ')} | struck | wrong |`,
      `| --- | --- | ${faultNames.map(() => '---').join(' | ')} | --- | --- |`,
    ];
    for (const mode of MODES) {
      for (const status of STATUSES) {
        const rows = cases
          .map((c, i) => ({ c, v: verdicts[i]! }))
          .filter(({ c }) => c.mode === mode && c.status === status);
        const cells = faultNames.map((name) =>
          [
            ...new Set(
              rows.filter(({ c }) => c.faultName === name).map(({ v }) => SHORT[v.endStatus] ?? v.endStatus),
            ),
          ]
            .sort()
            .join('/'),
        );
        const struck = rows.filter(({ v }) => v.struck).length;
        const wrong = rows.filter(({ v }) => v.problems.length > 0).length;
        lines.push(`| ${mode} | ${status} | ${cells.join(' | ')} | ${struck}/${rows.length} | ${wrong} |`);
      }
    }
    console.log(`offboard drill: ${cases.length} cases, end status under each fault\n${lines.join('\n')}`);

    const wrong = cases
      .map((c, i) => ({ c, v: verdicts[i]! }))
      .filter(({ v }) => v.problems.length > 0)
      .map(({ c, v }) => `${c.mode} ${c.status} ${c.operation} ${c.faultName}: ${v.problems.join('; ')}`);
    expect(wrong).toEqual([]);
    // The drill means something only if the faults reached the action.
    expect(verdicts.filter((v) => v.struck).length).toBeGreaterThan(cases.length / 2);
  }, 600_000);
});
