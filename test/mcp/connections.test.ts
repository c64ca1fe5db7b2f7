/**
 * The MCP server's connections: tools a connection cannot run are hidden (from test-connection's
 * capability report) and explained; several orgs in one server, each call reaching only the org it names,
 * with its own credential (the tenant-isolation drill); refreshed OAuth tokens kept for the next call.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { manifest } from '../../src/manifest/manifest.js';
import { DEFAULT_SANDBOX_OAUTH_CLIENT, type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { ADMIN_LOGIN } from '../../src/sandbox/seed.js';
import { useSandbox } from '../helpers/sandbox.js';
import { sandboxConnection } from '../helpers/sandbox-actions.js';
import { signInWithPkce } from '../sandbox/oauth-client.js';
import { connectClient, textOf } from './helpers.js';

const env = useSandbox();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function connect(options: Parameters<typeof connectClient>[1]) {
  const connected = await connectClient(env.sandbox, options);
  cleanups.push(connected.close);
  return connected;
}

/** The sandbox's service app, granted only `scopes`. */
const serviceApp = (sandbox: Sandbox, scopes: string[]) => ({
  type: 'oauth_private_key',
  apiAddress: sandbox.url,
  clientId: DEFAULT_SANDBOX_OAUTH_CLIENT.clientId,
  privateKey: JSON.stringify(DEFAULT_SANDBOX_OAUTH_CLIENT.privateKeyJwk),
  scopes,
});

interface Explained {
  toolsListed: number;
  connections: { name: string; tested?: boolean; hidden: { tool: string; reason: string }[] }[];
}

describe('tools a connection cannot run', () => {
  it('are hidden, explained, and refused by name with nothing sent', async () => {
    const { client } = await connect({
      connections: [{ name: 'readers', connection: serviceApp(env.sandbox, ['okta.users.read']) }],
    });
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('get-user');
    expect(names).toContain('list-users');
    expect(names).not.toContain('create-user');
    expect(names).not.toContain('list-groups');
    expect(names.at(-1)).toBe('explain-hidden-tools');

    const explained = await client.callTool({ name: 'explain-hidden-tools', arguments: {} });
    const { connections, toolsListed } = explained.structuredContent as unknown as Explained;
    expect(toolsListed).toBe(names.length - 1);
    const [readers] = connections;
    expect(readers).toMatchObject({ name: 'readers', tested: true });
    expect(readers!.hidden.length + toolsListed).toBe(manifest.actions.length);
    expect(readers!.hidden).toContainEqual({
      tool: 'create-user',
      reason: 'the token lacks the scope okta.users.manage',
    });

    const before = env.sandbox.served.length;
    const refused = await client.callTool({
      name: 'create-user',
      arguments: {
        profile: { login: 'x@example.com', email: 'x@example.com', firstName: 'X', lastName: 'Y' },
      },
    });
    expect(refused.isError).toBe(true);
    const { error } = JSON.parse(textOf(refused));
    expect(error.code).toBe('TOOL_HIDDEN');
    expect(error.message).toContain('okta.users.manage');
    expect(env.sandbox.served).toHaveLength(before);
  });

  it('hides only what needs another connection type for an admin API token', async () => {
    const { client } = await connect({});
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toHaveLength(manifest.actions.length); // 91 actions and explain-hidden-tools
    const explained = await client.callTool({ name: 'explain-hidden-tools', arguments: {} });
    expect((explained.structuredContent as unknown as Explained).connections[0]!.hidden).toEqual([
      { tool: 'get-user-info', reason: 'it runs only with oauth_access_token connections' },
    ]);
  });

  it('hides nothing when the test fails, and says why', async () => {
    const { client } = await connect({
      connections: [
        { name: 'broken', connection: { ...sandboxConnection(env.sandbox), apiToken: '00wrong' } },
      ],
    });
    expect((await client.listTools()).tools).toHaveLength(manifest.actions.length + 1);
    const explained = await client.callTool({ name: 'explain-hidden-tools', arguments: {} });
    const [broken] = (explained.structuredContent as unknown as Explained).connections;
    expect(broken).toMatchObject({ name: 'broken', tested: false, hidden: [] });
    expect(JSON.stringify(explained)).not.toContain('00wrong');
  });
});

describe('several orgs in one server', () => {
  async function twoOrgs() {
    // Its own id sequence too: two orgs never share ids, so an id that crossed over would be found.
    const other = await startSandbox({ token: '00OtherOrgTokenForTheIsolationDrill77', randomSeed: 7_777 });
    cleanups.push(() => other.close());
    const connected = await connect({
      connections: [
        { name: 'acme', connection: sandboxConnection(env.sandbox) },
        { name: 'globex', connection: sandboxConnection(other) },
      ],
    });
    return { ...connected, acme: env.sandbox, globex: other };
  }

  it('makes every tool take the connection, and refuses a call without one', async () => {
    const { client, acme } = await twoOrgs();
    const { tools } = await client.listTools();
    const getUser = tools.find((tool) => tool.name === 'get-user')!;
    expect(getUser.inputSchema.required).toContain('connection');
    expect((getUser.inputSchema.properties as { connection: { enum: string[] } }).connection.enum).toEqual([
      'acme',
      'globex',
    ]);
    const before = acme.served.length;
    const missing = await client.callTool({ name: 'get-user', arguments: { user: ADMIN_LOGIN } });
    expect(JSON.parse(textOf(missing)).error).toMatchObject({ code: 'INVALID_INPUT' });
    expect(textOf(missing)).toContain('acme, globex');
    const unknown = await client.callTool({
      name: 'get-user',
      arguments: { user: ADMIN_LOGIN, connection: 'initech' },
    });
    expect(JSON.parse(textOf(unknown)).error).toMatchObject({ code: 'INVALID_INPUT' });
    expect(acme.served).toHaveLength(before);
  });

  it('the isolation drill: interleaved calls reach only the org they name, with its credential', async () => {
    const { client, acme, globex } = await twoOrgs();
    const [acmeStart, globexStart] = [acme.served.length, globex.served.length];
    const calls = Array.from({ length: 24 }, (_, i) => {
      const connection = i % 2 === 0 ? 'acme' : 'globex';
      const login = `drill.${i >> 1}@example.com`;
      return client.callTool({
        name: 'create-user',
        arguments: {
          connection,
          profile: { login, email: login, firstName: 'Drill', lastName: `${connection} ${i >> 1}` },
        },
      });
    });
    const results = await Promise.all(calls);
    expect(results.filter((result) => result.isError)).toEqual([]);

    for (const [org, name] of [
      [acme, 'acme'],
      [globex, 'globex'],
    ] as const) {
      const served = org.served.slice(name === 'acme' ? acmeStart : globexStart);
      // 12 creates each, and every request carried this org's own token (one hash, the same as at start).
      expect(served.filter((r) => r.method === 'POST' && r.path === '/api/v1/users')).toHaveLength(12);
      expect(new Set(org.served.map((r) => r.tokenHash))).toEqual(new Set([org.served[0]!.tokenHash]));
    }
    // The same 12 logins exist in both orgs, each made by the calls that named that org.
    for (const name of ['acme', 'globex']) {
      for (let k = 0; k < 12; k++) {
        const read = await client.callTool({
          name: 'get-user',
          arguments: { connection: name, user: `drill.${k}@example.com` },
        });
        expect((read.structuredContent as { lastName: string }).lastName).toBe(`${name} ${k}`);
      }
    }
    expect(acme.served[0]!.tokenHash).not.toBe(globex.served[0]!.tokenHash);

    // An id from one org means nothing in the other: no mixing through the server.
    const created = results[0]!.structuredContent as { id: string };
    const across = await client.callTool({
      name: 'get-user',
      arguments: { connection: 'globex', user: created.id },
    });
    expect(JSON.parse(textOf(across)).error.code).toBe('NOT_FOUND');
    expect(JSON.stringify(results)).not.toContain(acme.token);
    expect(JSON.stringify(results)).not.toContain(globex.token);
  });
});

describe('OAuth tokens refreshed while serving', () => {
  it('are used by the next call and handed to the host, so the spent refresh token is never reused', async () => {
    const tokens = await signInWithPkce(env.sandbox, {
      scope: 'openid offline_access okta.users.read',
      login: ADMIN_LOGIN,
      appScopes: ['okta.users.read'],
    });
    const connection = {
      type: 'oauth_access_token',
      apiAddress: env.sandbox.url,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken!,
      clientId: tokens.clientId,
    };
    const updates: { name: string; refreshToken?: string }[] = [];
    const { client } = await connect({
      connections: [{ name: 'me', connection }],
      onConnectionUpdate: (name, update) => updates.push({ name, refreshToken: update.refreshToken }),
    });
    env.sandbox.oauth.expireAccessTokens();
    const first = await client.callTool({ name: 'get-user', arguments: { user: ADMIN_LOGIN } });
    expect(first.isError).toBeFalsy();
    expect(updates).toHaveLength(1);
    expect(updates[0]!.refreshToken).not.toBe(tokens.refreshToken);
    // Expired again: the server refreshes with the rotated refresh token it kept, not the spent one.
    env.sandbox.oauth.expireAccessTokens();
    const second = await client.callTool({ name: 'get-user', arguments: { user: ADMIN_LOGIN } });
    expect(second.isError).toBeFalsy();
    expect(updates).toHaveLength(2);
    expect(JSON.stringify([first, second])).not.toContain(updates[1]!.refreshToken!);
  });
});
