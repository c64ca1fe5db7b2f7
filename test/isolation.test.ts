/**
 * Tenant isolation drill: 1,000 concurrent executions, interleaved over 10 connections to 4 sandbox orgs
 * (3 + 3 + 2 + 2 tokens: some connections share an org, as several flows of one customer do).
 *
 * Every connection owns users and a group in its org that no other connection reads, and every execution
 * reads only its own connection's objects, by a path that names them (/api/v1/users/{id or login},
 * /api/v1/users/{id}/groups, /api/v1/groups/{id}, /api/v1/groups/{id}/users). So the sandbox's record of
 * each request (path and a hash of the token it carried) says which connection it must have come from:
 *   - a cross-tenant request is one whose token is not the token of the connection its path belongs to
 *     (which also covers a token of another org, or no token);
 *   - a cross-tenant output is one that names anything (an id, a login, a group) of another connection.
 * Both must be zero, every execution must succeed with its own data, and the requests the results count
 * (meta.requests) must be exactly the requests the orgs received.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ActionKey, execute } from '../src/index.js';
import { type Sandbox, startSandbox } from '../src/sandbox/index.js';
import { sandboxClient } from './helpers/sandbox.js';

const EXECUTIONS = 1_000;
/** Tokens per org: 10 connections, 4 orgs. */
const CONNECTIONS_PER_ORG = [3, 3, 2, 2];
const USERS_PER_CONNECTION = 3;
const HOST = { allowLoopback: true };

interface Tenant {
  index: number;
  org: number;
  sandbox: Sandbox;
  token: string;
  tokenHash: string;
  connection: { type: string; apiAddress: string; apiToken: string };
  users: Array<{ id: string; login: string }>;
  groupId: string;
}

/** The sandbox's token hash (src/sandbox/server.ts): a sha256 prefix, never the token. */
const hashOf = (token: string) => createHash('sha256').update(token).digest('hex').slice(0, 12);

/** A small seeded generator, so the interleaving is the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const sandboxes: Sandbox[] = [];
const tenants: Tenant[] = [];

beforeAll(async () => {
  for (const [org, count] of CONNECTIONS_PER_ORG.entries()) {
    const tokens = Array.from(
      { length: count },
      (_, k) => `00Tenant${org}Conn${k}Token${'x'.repeat(20)}${org}${k}`,
    );
    // Distinct id seeds: the same seed would give every org the same ids, and a leak could not be told apart.
    const sandbox = await startSandbox({ token: tokens[0], randomSeed: 1_000 + org, rateLimit: 1_000_000 });
    sandboxes.push(sandbox);
    for (const token of tokens.slice(1)) sandbox.addToken(token);
    const api = sandboxClient(sandbox);
    for (const token of tokens) {
      const index = tenants.length;
      const users: Tenant['users'] = [];
      for (let u = 0; u < USERS_PER_CONNECTION; u += 1) {
        const login = `tenant${index}.user${u}@org${org}.example.com`;
        const created = await api.post('/api/v1/users?activate=true', {
          profile: {
            login,
            email: login,
            firstName: `Tenant${index}`,
            lastName: `User${u}`,
            department: `T${index}`,
          },
        });
        expect(created.status, JSON.stringify(created.body)).toBe(200);
        users.push({ id: created.body.id, login });
      }
      const group = await api.post('/api/v1/groups', { profile: { name: `Tenant ${index} team` } });
      expect(group.status, JSON.stringify(group.body)).toBe(200);
      for (const user of users) {
        expect((await api.put(`/api/v1/groups/${group.body.id}/users/${user.id}`)).status).toBe(204);
      }
      tenants.push({
        index,
        org,
        sandbox,
        token,
        tokenHash: hashOf(token),
        connection: { type: 'api_token', apiAddress: sandbox.url, apiToken: token },
        users,
        groupId: group.body.id,
      });
    }
    // The setup's own requests are not part of the drill.
    sandbox.served.length = 0;
  }
});

afterAll(async () => {
  await Promise.all(sandboxes.map((sandbox) => sandbox.close()));
});

/** What one execution reads, and what its output must be. */
interface Plan {
  tenant: Tenant;
  key: ActionKey;
  input: Record<string, unknown>;
  check: (output: Record<string, unknown>) => boolean;
}

function plan(tenant: Tenant, pick: number, user: Tenant['users'][number]): Plan {
  const ownUsers = new Set(tenant.users.map((u) => u.id));
  switch (pick % 5) {
    case 0:
      return {
        tenant,
        key: 'get-user',
        input: { user: user.login },
        check: (o) => o.id === user.id && o.login === user.login,
      };
    case 1:
      return {
        tenant,
        key: 'get-user',
        input: { user: user.id },
        check: (o) => o.id === user.id && o.login === user.login,
      };
    case 2:
      return {
        tenant,
        key: 'list-user-groups',
        // By login: two requests (the login is resolved to the id first), both naming this user.
        input: { user: user.login },
        // Its own team, and the org's built-in Everyone group.
        check: (o) => {
          const groups = o.groups as Array<{ id: string; profile: { name: string } }>;
          return (
            groups.some((g) => g.id === tenant.groupId) &&
            groups.every((g) => g.id === tenant.groupId || g.profile.name === 'Everyone')
          );
        },
      };
    case 3:
      return {
        tenant,
        key: 'get-group',
        input: { groupId: tenant.groupId },
        check: (o) => o.id === tenant.groupId,
      };
    default:
      return {
        tenant,
        key: 'list-group-members',
        // One member per page: three requests, the later ones with Okta's cursor.
        input: { groupId: tenant.groupId, limit: 1 },
        check: (o) => {
          const users = o.users as Array<{ id: string }>;
          return users.length === ownUsers.size && users.every((u) => ownUsers.has(u.id));
        },
      };
  }
}

describe('tenant isolation', () => {
  const connections = CONNECTIONS_PER_ORG.reduce((a, b) => a + b);
  it(`${EXECUTIONS} interleaved executions over ${connections} connections keep every tenant apart`, async () => {
    const next = random(20_261_122);
    const plans = Array.from({ length: EXECUTIONS }, (_, i) => {
      const tenant = tenants[Math.floor(next() * tenants.length)]!;
      return plan(tenant, i, tenant.users[Math.floor(next() * tenant.users.length)]!);
    });
    // Every connection takes part, with every kind of read.
    expect(new Set(plans.map((p) => p.tenant.index)).size).toBe(tenants.length);

    const results = await Promise.all(
      plans.map((p) => execute(p.key, { connection: p.tenant.connection, input: p.input }, HOST)),
    );

    // Which connection each id, login and group belongs to: what a request path or an output names.
    const owner = new Map<string, Tenant>();
    for (const tenant of tenants) {
      owner.set(tenant.groupId, tenant);
      for (const user of tenant.users) {
        owner.set(user.id, tenant);
        owner.set(user.login, tenant);
      }
    }
    expect(owner.size, 'ids must differ across orgs, or a leak could not be seen').toBe(
      tenants.length * (1 + 2 * USERS_PER_CONNECTION),
    );

    // Outputs: each succeeds with its own data and names nothing of another connection.
    const failed: string[] = [];
    const wrongData: string[] = [];
    let crossTenantOutputs = 0;
    results.forEach((result, i) => {
      const { tenant, key, input, check } = plans[i]!;
      if (!result.ok) {
        failed.push(
          `${key} ${JSON.stringify(input)} on connection ${tenant.index}: ${JSON.stringify(result.error)}`,
        );
        return;
      }
      const text = JSON.stringify(result.output);
      const foreign = [...owner].filter(([name, t]) => t !== tenant && text.includes(name));
      if (foreign.length > 0) crossTenantOutputs += 1;
      if (!check(result.output as unknown as Record<string, unknown>))
        wrongData.push(
          `${key} ${JSON.stringify(input)} on connection ${tenant.index}: ${text.slice(0, 300)}`,
        );
    });

    // Requests: each carried the token of the connection its path belongs to.
    const unattributed: string[] = [];
    let requests = 0;
    let crossTenantRequests = 0;
    for (const [org, sandbox] of sandboxes.entries()) {
      const orgTokens = new Set(tenants.filter((t) => t.org === org).map((t) => t.tokenHash));
      for (const served of sandbox.served) {
        requests += 1;
        const named = served.path
          .split('/')
          .map((segment) => owner.get(decodeURIComponent(segment)))
          .filter((t): t is Tenant => t !== undefined);
        const pathOwner = named[0];
        if (!pathOwner || named.some((t) => t !== pathOwner) || pathOwner.org !== org) {
          unattributed.push(`${served.method} ${served.path} on org ${org}`);
          continue;
        }
        if (served.tokenHash !== pathOwner.tokenHash || !orgTokens.has(served.tokenHash ?? ''))
          crossTenantRequests += 1;
      }
    }

    console.log(
      `isolation: ${EXECUTIONS} executions over ${tenants.length} connections in ${sandboxes.length} orgs, ` +
        `${requests} requests, ` +
        `${crossTenantRequests} cross-tenant requests, ${crossTenantOutputs} cross-tenant outputs`,
    );
    expect(failed).toEqual([]);
    expect(wrongData).toEqual([]);
    expect(unattributed, 'every request path must name the objects of exactly one connection').toEqual([]);
    expect(crossTenantRequests).toBe(0);
    expect(crossTenantOutputs).toBe(0);
    // Every request the orgs received is one an execution counted: none was sent outside an execution.
    expect(results.reduce((sum, result) => sum + result.meta.requests, 0)).toBe(requests);
    expect(requests).toBeGreaterThanOrEqual(EXECUTIONS);
  }, 60_000);
});
