/**
 * The playground server's guard and API, over real HTTP without a browser: loopback only, the session
 * token, the Host and Origin checks, and no secret sent back to the page.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Playground, startPlayground } from '../../src/playground/server.js';
import { useSandbox } from '../helpers/sandbox.js';
import { SANDBOX_HOST, sandboxConnection } from '../helpers/sandbox-actions.js';

const context = useSandbox();
let playground: Playground;
const assets = join(tmpdir(), `okta-actions-playground-${process.pid}`);
mkdirSync(assets, { recursive: true });
writeFileSync(join(assets, 'index.html'), '<!doctype html><title>page</title>');
writeFileSync(join(assets, 'app.js'), 'void 0;');

beforeEach(async () => {
  playground = await startPlayground({
    connection: sandboxConnection(context.sandbox),
    hostOptions: SANDBOX_HOST,
    assetsDir: pathToFileURL(`${assets}/`),
  });
});
afterEach(() => playground.close());

const tokenOf = () => new URL(playground.url).searchParams.get('token') ?? '';

/** A raw request, with any Host and Origin (fetch would not let a test forge Host). */
function raw(
  path: string,
  {
    method = 'GET',
    headers = {},
    body,
  }: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
) {
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: playground.port,
        path,
        method,
        headers: { host: `127.0.0.1:${playground.port}`, ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {}
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(JSON.stringify(body));
    req.end();
  });
}

const api = (path: string, body: unknown = {}, headers: Record<string, string> = {}) =>
  raw(path, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-playground-token': tokenOf(),
      origin: `http://127.0.0.1:${playground.port}`,
      ...headers,
    },
  });

describe('the playground server', () => {
  it('listens on loopback and prints a URL with a session token', () => {
    expect(playground.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
  });

  it('refuses an API call without the token, with a wrong one, from another origin, or for another host', async () => {
    const body = { action: 'get-user', input: { user: 'jane.doe@example.com' } };
    expect((await api('/api/run', body, { 'x-playground-token': '' })).status).toBe(401);
    expect((await api('/api/run', body, { 'x-playground-token': `${tokenOf()}x` })).status).toBe(401);
    expect((await api('/api/run', body, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await api('/api/run', body, { origin: `http://127.0.0.1:${playground.port + 1}` })).status).toBe(
      403,
    );
    // A DNS name rebound to 127.0.0.1 arrives with its own Host header.
    expect((await api('/api/run', body, { host: `rebound.example:${playground.port}` })).status).toBe(421);
    expect((await raw('/')).status).toBe(401);
    expect(context.sandbox.served.filter((r) => r.path.startsWith('/api/v1/users'))).toEqual([]);
  });

  it('serves the page with the token, and runs an action for it', async () => {
    const page = await raw(`/?token=${tokenOf()}`);
    expect(page.status).toBe(200);
    const result = await api('/api/run', { action: 'get-user', input: { user: 'jane.doe@example.com' } });
    expect(result).toMatchObject({
      status: 200,
      body: { ok: true, output: { user: { profile: { login: 'jane.doe@example.com' } } } },
    });
  });

  it('never sends a secret back: the session shows type and address, test-connection no token', async () => {
    const session = await raw('/api/session', { headers: { 'x-playground-token': tokenOf() } });
    expect(session.body).toEqual({ connection: { type: 'api_token', apiAddress: context.sandbox.url } });
    const checked = await api('/api/test-connection');
    expect(checked.body).toMatchObject({ ok: true });
    const everything = JSON.stringify([
      session.body,
      checked.body,
      (await api('/api/run', { action: 'list-users', input: { maxItems: 2 } })).body,
    ]);
    expect(everything).not.toContain(context.sandbox.token);
  });

  it('a dry run plans and changes nothing', async () => {
    const result = await api('/api/run', {
      action: 'create-user',
      input: { profile: { email: 'dry.run@example.com', firstName: 'Dry', lastName: 'Run' } },
      dryRun: true,
    });
    expect(result.body).toMatchObject({ ok: true, output: { dryRun: true, wouldChange: true } });
    expect(context.sandbox.served.filter((r) => r.method === 'POST' && r.path === '/api/v1/users')).toEqual(
      [],
    );
  });
});

describe('okta-actions playground', () => {
  it('with no connection configured, serves the page against a sandbox it starts, and stops cleanly', async () => {
    const { cli } = await import('../helpers/cli.js');
    let session: unknown;
    const result = await cli(
      ['playground'],
      {},
      {},
      {
        whileRunning: async (stdout) => {
          const url = new URL(/open (\S+)/.exec(stdout)?.[1] ?? 'http://invalid');
          const answer = await fetch(new URL('/api/session', url), {
            headers: { 'x-playground-token': url.searchParams.get('token') ?? '' },
          });
          session = await answer.json();
        },
      },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/okta-actions playground: open http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    expect(result.stderr).toContain('No Okta connection configured: using a local sandbox org');
    expect(session).toEqual({
      connection: { type: 'api_token', apiAddress: expect.stringMatching(/^http:\/\/127\.0\.0\.1:/) },
    });
  });
});
