/**
 * The fault drill's rules, fast, for CI: a representative action of each shape (a list, a get, a change, a
 * create, a multi-step change) under every fault kind of bench/fault-kinds.mjs, each run on a fresh
 * sandbox. A run must either succeed with the whole result (a complete list; the org really changed) or
 * fail with the envelope the fault calls for; never a silent partial result, never a duplicate. The full
 * drill over every action is bench/fault-drill.mjs.
 */
import { describe, expect, it } from 'vitest';
import { FAULT_KINDS, type FaultKind, judgeEnvelope, startLossyProxy } from '../../bench/fault-kinds.mjs';
import { execute } from '../../src/index.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { groupsOf, memberIds } from '../../src/sandbox/resources/groups/model.js';
import { findUser } from '../../src/sandbox/resources/users/model.js';
import { groupIdOf, userIdOf } from '../helpers/sandbox-data.js';

const JANE = 'jane.doe@example.com';
const OMAR = 'omar.haddad@example.com';
/** The seeded org has 8 users, none deactivated: list-users (which leaves deactivated users out) lists 8. */
const SEEDED_USERS = 8;

interface Subject {
  key: string;
  shape: 'list' | 'get' | 'change' | 'create' | 'multi-step';
  /** The operations the faults strike: the read for reads, the change requests for changes. */
  ops: string[];
  input: (sandbox: Sandbox) => unknown;
  /** For a successful run: whether it did the whole job (a read's output is complete, the org changed). */
  done: (sandbox: Sandbox, output: never) => boolean;
  /** For a create: how many objects it made (more than one is a duplicate). */
  count?: (sandbox: Sandbox) => number;
}

const SUBJECTS: Subject[] = [
  {
    key: 'list-users',
    shape: 'list',
    ops: ['listUsers'],
    // Pages of two: four pages, so that a page-2 failure and faults on any page matter.
    input: () => ({ limit: 2 }),
    done: (_sandbox, output: { users: unknown[]; nextCursor: string | null }) =>
      output.users.length === SEEDED_USERS && output.nextCursor === null,
  },
  {
    key: 'get-user',
    shape: 'get',
    ops: ['getUser'],
    input: () => ({ user: 'jane.doe' }),
    done: (sandbox, output: { id: string; login: string }) =>
      output.login === JANE && output.id === userIdOf(sandbox, JANE),
  },
  {
    key: 'add-user-to-group',
    shape: 'change',
    ops: ['assignUserToGroup'],
    input: (sandbox) => ({ groupId: groupIdOf(sandbox, 'Finance'), user: JANE }),
    done: (sandbox) => {
      const finance = groupsOf(sandbox.org).byId.get(groupIdOf(sandbox, 'Finance'))!;
      return memberIds(sandbox.org, finance).includes(userIdOf(sandbox, JANE));
    },
  },
  {
    key: 'create-group',
    shape: 'create',
    ops: ['addGroup'],
    input: () => ({ name: 'Platform Engineering', description: 'Engineers of the platform team' }),
    done: (sandbox) => platformGroups(sandbox) === 1,
    count: (sandbox) => platformGroups(sandbox),
  },
  {
    // Two DELETEs of the same user: the first deactivates, the second deletes (Okta's two-phase delete).
    key: 'delete-user',
    shape: 'multi-step',
    ops: ['deleteUser'],
    input: () => ({ user: OMAR, missingOk: true }),
    done: (sandbox) => findUser(sandbox.org, OMAR) === undefined,
  },
];

function platformGroups(sandbox: Sandbox): number {
  return [...groupsOf(sandbox.org).byId.values()].filter((g) => g.profile.name === 'Platform Engineering')
    .length;
}

const appliesTo = (kind: FaultKind, subject: Subject) =>
  (!kind.lists || subject.shape === 'list') && (!kind.changes || !['list', 'get'].includes(subject.shape));

// Concurrent: every case has its own sandbox (and so its own org origin); the storms and timeouts wait.
describe.concurrent('under faults, a run succeeds whole or fails with the right envelope', () => {
  for (const subject of SUBJECTS) {
    for (const kind of FAULT_KINDS.filter((k) => appliesTo(k, subject))) {
      it(`${subject.key} (${subject.shape}) under ${kind.name}`, async () => {
        // A one-second minute, so a 429 storm's reset is a second or two away.
        const sandbox = await startSandbox({ rateLimit: { perMinute: 600, timeScale: 60 } });
        const proxy = kind.changes ? await startLossyProxy(sandbox.url) : undefined;
        // Next-page links must lead back through the proxy, as they lead to the org the client called.
        if (proxy) sandbox.org.baseUrl = proxy.url;
        try {
          const input = subject.input(sandbox);
          const armed = kind.arm({ sandbox, proxy, ops: subject.ops });
          const connection = {
            type: 'api_token',
            apiAddress: proxy?.url ?? sandbox.url,
            apiToken: sandbox.token,
          };
          const result = await execute(
            subject.key,
            { connection, input },
            { allowLoopback: true, ...kind.host },
          );
          const struck = armed.struck();
          armed.disarm();
          const outcome = JSON.stringify(result.ok ? result.output : result.error).slice(0, 600);

          expect(struck, 'the fault reached the action').toBeGreaterThan(0);
          if (subject.count)
            expect(subject.count(sandbox), `no duplicate: ${outcome}`).toBeLessThanOrEqual(1);
          if (result.ok) {
            expect(
              subject.done(sandbox, result.output as never),
              `ok must mean the whole job was done (no silent partial result): ${outcome}`,
            ).toBe(true);
          } else {
            expect(judgeEnvelope(kind, result.error), outcome).toBeUndefined();
          }
          expect(sandbox.contractViolations).toEqual([]);
          expect(sandbox.requestViolations).toEqual([]);
        } finally {
          await proxy?.close();
          await sandbox.close();
        }
      });
    }
  }
});
