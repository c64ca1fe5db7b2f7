import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeUser } from './helpers/fixtures.js';
import { type RedisServer, startRedisServer } from './helpers/redis-server.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
let server: Server;
let orgUrl: string;

// The built package, loaded by plain Node as a host would: as an ES module and as CommonJS. Each one also
// makes a real call over loopback, which loads the Okta SDK from dist (a wrong import form only fails there).
const PROBE = `
  const t0 = performance.now();
  const plugin = await LOAD;
  const importMs = performance.now() - t0;
  const sdkLoaded = () => Object.keys(require.cache).some((p) => p.includes('okta-sdk-nodejs'));
  const sdkLoadedAtImport = sdkLoaded();
  const connection = { type: 'api_token', apiAddress: process.env.ORG_URL, apiToken: '00SmokeTestToken000000000000000000000000' };
  const test = await plugin.testConnection(connection, { allowLoopback: true });
  const run = await plugin.default.execute('get-user', { connection, input: { user: 'me' } }, { allowLoopback: true });
  const list = await plugin.execute('list-group-members', { connection, input: { groupId: '00g1emaKYZTWRYYRRTSK' } }, { allowLoopback: true });
  const streamed = [];
  const members = plugin.stream('list-group-members', { connection, input: { groupId: '00g1emaKYZTWRYYRRTSK' } }, { allowLoopback: true });
  for await (const user of members) streamed.push(user.id);
  // Everything so far read JSON: the SDK loads only for an action that uses one of its APIs.
  const sdkLoadedAfterReads = sdkLoaded();
  const suspended = await plugin.execute('suspend-user', { connection, input: { user: 'me' } }, { allowLoopback: true });
  const notAList = await (async () => { try { for await (const _ of plugin.default.stream('get-user', { connection, input: { user: 'me' } })) {} } catch (error) { return error instanceof plugin.StreamError && error.envelope.code; } })();
  // Only the modules of the user API were needed (src/transport/sdk-apis.ts), not the SDK's index and client.
  const sdkIndexLoaded = Object.keys(require.cache).some((p) => /okta-sdk-nodejs[\\/]src[\\/](index|client)\\.js$/.test(p));
  console.log(JSON.stringify({ sdkLoadedAfterReads, sdkIndexLoaded, suspended: suspended.ok || suspended.error, streamed, streamSummary: members.summary && { count: members.summary.count, nextCursor: members.summary.nextCursor }, notAList, actions: plugin.manifest.actions.length, sdkLoadedAtImport, sdkLoadedAfterCall: sdkLoaded(), importMs, test,
    run: { ok: run.ok, login: run.output?.login }, list: { ok: list.ok, count: list.output?.count, nextCursor: list.output?.nextCursor } }));
`;

beforeAll(async () => {
  if (!existsSync(`${root}dist/index.js`) || !existsSync(`${root}dist/index.cjs`)) {
    throw new Error('dist/ is missing: npm test builds it first (npm run build)');
  }
  server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    const url = new URL(req.url ?? '/', orgUrl);
    if (url.pathname.endsWith('/users') && !url.searchParams.has('after')) {
      // Two pages, so the built package's Link-header parsing is exercised too.
      res.setHeader('link', `<${orgUrl}${url.pathname}?limit=200&after=p2>; rel="next"`);
      res.end(JSON.stringify([fakeUser({ id: '00u00000000000000001' })]));
    } else if (url.pathname.endsWith('/users')) {
      res.end(JSON.stringify([fakeUser({ id: '00u00000000000000002' })]));
    } else {
      res.end(JSON.stringify(fakeUser({ profile: { login: 'smoke@example.com' } })));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  orgUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function probe(kind: 'esm' | 'cjs') {
  const source =
    kind === 'esm'
      ? `import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);\n${PROBE.replace('LOAD', "import('okta-actions')")}`
      : `(async () => {${PROBE.replace('LOAD', "require('okta-actions')")}})()`;
  const { stdout } = await run(
    process.execPath,
    [...(kind === 'esm' ? ['--input-type=module'] : []), '-e', source],
    {
      cwd: root,
      env: { ...process.env, ORG_URL: orgUrl },
    },
  );
  return JSON.parse(stdout);
}

describe.each(['esm', 'cjs'] as const)('the built package as %s', (kind) => {
  it('loads without the SDK, then works end to end', async () => {
    const result = await probe(kind);
    expect(result).toMatchObject({
      actions: JSON.parse(readFileSync(new URL('../manifest.json', import.meta.url), 'utf8')).actions.length,
      sdkLoadedAtImport: false,
      sdkLoadedAfterReads: false,
      suspended: true,
      // Proves the checks above can see the SDK once it is loaded.
      sdkLoadedAfterCall: true,
      sdkIndexLoaded: false,
      test: {
        ok: true,
        message: expect.stringMatching(new RegExp(`^Connected to ${orgUrl} as smoke@example.com`)),
      },
      run: { ok: true, login: 'smoke@example.com' },
      list: { ok: true, count: 2, nextCursor: null },
      streamed: ['00u00000000000000001', '00u00000000000000002'],
      streamSummary: { count: 2, nextCursor: null },
      notAList: 'UNSUPPORTED',
    });
  });
});

describe.each(['esm', 'cjs'] as const)('the built sandbox subpath as %s', (kind) => {
  it('starts a sandbox that answers like Okta', async () => {
    const body = `
      const { startSandbox, DEFAULT_SANDBOX_TOKEN } = await LOAD;
      const sandbox = await startSandbox({ seed: 10 });
      const response = await fetch(sandbox.url + '/api/v1/users/me', { headers: { authorization: 'SSWS ' + DEFAULT_SANDBOX_TOKEN } });
      console.log(JSON.stringify({ status: response.status, login: (await response.json()).profile.login }));
      await sandbox.close();`;
    const source =
      kind === 'esm'
        ? body.replace('LOAD', "import('okta-actions/sandbox')")
        : `(async () => {${body.replace('LOAD', "require('okta-actions/sandbox')")}})()`;
    const { stdout } = await run(
      process.execPath,
      [...(kind === 'esm' ? ['--input-type=module'] : []), '-e', source],
      { cwd: root },
    );
    expect(JSON.parse(stdout)).toEqual({ status: 200, login: 'sandbox.admin@example.com' });
  });
});

describe('the built redis subpath', () => {
  it('loads as ESM and CJS, and neither it nor the main entry loads the redis client until a store is made', async () => {
    const cjs = `
      const loaded = () => Object.keys(require.cache).some((p) => /node_modules[\\\\/](redis|@redis)[\\\\/]/.test(p));
      require('okta-actions');
      const afterMain = loaded();
      const { redisRateLimitStore } = require('okta-actions/redis');
      console.log(JSON.stringify({ afterMain, afterEntry: loaded(), kind: typeof redisRateLimitStore }));`;
    const { stdout } = await run(process.execPath, ['-e', cjs], { cwd: root });
    expect(JSON.parse(stdout)).toEqual({ afterMain: false, afterEntry: false, kind: 'function' });
    const esm =
      "const { redisRateLimitStore } = await import('okta-actions/redis'); console.log(typeof redisRateLimitStore);";
    const imported = await run(process.execPath, ['--input-type=module', '-e', esm], { cwd: root });
    expect(imported.stdout.trim()).toBe('function');
  });
});

// okta-actions/bullmq: importing it (or the main entry) loads neither bullmq nor redis (optional peers); a
// job then runs end to end from the built files (bullmq and the runtime loaded on first use).
const BULLMQ_PROBE = `
  const fromQueue = () => Object.keys(require.cache).filter((p) => /node_modules[\\/](bullmq|redis|@redis)[\\/]/.test(p)).length;
  await MAIN;
  const afterMain = fromQueue();
  const workers = await LOAD;
  const afterEntry = fromQueue();
  const read = workers.readActionJobError(JSON.stringify({ code: 'NOT_FOUND', message: 'gone', retryable: false }));
  const { startSandbox } = await SANDBOX;
  const sandbox = await startSandbox();
  const { Queue } = require('bullmq');
  const { createClient } = require('redis');
  const clients = [createClient({ url: process.env.REDIS_URL }), createClient({ url: process.env.REDIS_URL })];
  const name = 'dist-' + process.pid;
  const worker = await workers.createActionWorker(name, { connection: clients[0], hostOptions: { allowLoopback: true },
    resolveConnection: () => ({ type: 'api_token', apiAddress: sandbox.url, apiToken: sandbox.token }) });
  const queue = new Queue(name, { connection: clients[1] });
  const job = await queue.add('a', { action: 'get-user', connectionRef: 'org', input: { user: 'jane.doe@example.com' } }, workers.actionJobOptions());
  while (!['completed', 'failed'].includes(await queue.getJobState(job.id))) await new Promise((r) => setTimeout(r, 20));
  const done = await queue.getJob(job.id);
  await worker.close(); await queue.close(); for (const c of clients) await c.quit(); await sandbox.close();
  console.log(JSON.stringify({ afterMain, afterEntry, seenAfterJob: fromQueue() > 0, read: read.code, login: done.returnvalue?.output?.login,
    exports: Object.keys(workers).filter((k) => k !== 'default' && k !== 'module.exports').sort() }));
`;

describe.each(['esm', 'cjs'] as const)('the built bullmq subpath as %s', (kind) => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.close();
  });

  it('loads without bullmq or redis, then runs a job end to end', async () => {
    const load = (path: string) => (kind === 'esm' ? `import('${path}')` : `require('${path}')`);
    const body = BULLMQ_PROBE.replace('MAIN', load('okta-actions'))
      .replace('LOAD', load('okta-actions/bullmq'))
      .replace('SANDBOX', load('okta-actions/sandbox'));
    const source =
      kind === 'esm'
        ? `import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);\n${body}`
        : `(async () => {${body}})()`;
    const { stdout } = await run(
      process.execPath,
      [...(kind === 'esm' ? ['--input-type=module'] : []), '-e', source],
      { cwd: root, env: { ...process.env, REDIS_URL: redis.url } },
    );
    expect(JSON.parse(stdout)).toEqual({
      afterMain: 0,
      afterEntry: 0,
      // Proves the check above sees them once they are loaded.
      seenAfterJob: true,
      read: 'NOT_FOUND',
      login: 'jane.doe@example.com',
      exports: [
        'ACTION_BACKOFF_TYPE',
        'ActionJobError',
        'actionBackoffStrategy',
        'actionJobOptions',
        'createActionProcessor',
        'createActionWorker',
        'loadActionRuntime',
        'readActionJobError',
      ],
    });
  }, 30_000);
});

describe('the built command line', () => {
  it('runs as the package bin', async () => {
    const { stdout } = await run(process.execPath, [`${root}dist/cli.js`, 'actions']);
    expect(stdout).toContain('get-user');
  });
});

// A host may define globals a module could mistake for its own location (issue 12). `node -e` runs its
// script as CommonJS with a global `__filename` of '[eval]' (as REPLs, some test runners and bundlers do);
// the ES module build it imports must not read it. jsdom-based test environments define a global
// `document`, which the CommonJS build must not read either. Each host runs update-user, which is the
// first call of the process that loads the SDK from the package's location.
const HOSTS = {
  'an ES module host with a global __filename': "import('okta-actions')",
  'a CommonJS host with a global document': `(globalThis.document = { baseURI: 'http://localhost/', currentScript: null }, require('okta-actions'))`,
};

describe.each(Object.entries(HOSTS))('the built package in %s', (_host, load) => {
  it('loads the SDK from its own location, not from a global', async () => {
    const source = `(async () => {
      const { execute } = await ${load};
      const { startSandbox } = require('okta-actions/sandbox');
      const sandbox = await startSandbox();
      const connection = { type: 'api_token', apiAddress: sandbox.url, apiToken: sandbox.token };
      const input = { user: 'jane.doe@example.com', profile: { title: 'Controller' } };
      const result = await execute('update-user', { connection, input }, { allowLoopback: true });
      await sandbox.close();
      console.log(JSON.stringify({ globalFilename: globalThis.__filename, ok: result.ok, title: result.output?.user?.profile?.title, error: result.error?.message }));
    })()`;
    const { stdout } = await run(process.execPath, ['-e', source], { cwd: root });
    expect(JSON.parse(stdout)).toEqual({ globalFilename: '[eval]', ok: true, title: 'Controller' });
  });
});

describe('the built package in a CommonJS host script that declares its own URL', () => {
  it('still reads its manifest on import', async () => {
    // A script's top-level `const` shadows the global of that name for every module of the process (the
    // cold-start benchmark's scripts declare URL): what runs on import must not depend on the global URL.
    const source = `const URL = 'http://127.0.0.1:1'; console.log(require('okta-actions').manifest.actions.length);`;
    const { stdout } = await run(process.execPath, ['-e', source], { cwd: root });
    expect(Number(stdout)).toBe(
      JSON.parse(readFileSync(new URL('../manifest.json', import.meta.url), 'utf8')).actions.length,
    );
  });
});

// Outside vitest's process on purpose: nock, active here, replaces the socket layer and hides how a real
// connection ends. The transport fails an answer cut short at once; if it did not notice,
// these runs would wait for the request timeout, set far beyond this test's own timeout.
describe('the built package over real sockets', () => {
  it('notices an answer cut short at once: a read is retried, a persistent cut is NETWORK', async () => {
    const source = `
      const { execute } = await import('okta-actions');
      const { startSandbox } = await import('okta-actions/sandbox');
      const sandbox = await startSandbox();
      const connection = { type: 'api_token', apiAddress: sandbox.url, apiToken: sandbox.token };
      const host = { allowLoopback: true, requestTimeoutMs: 600000 };
      const getJane = () => execute('get-user', { connection, input: { user: 'jane.doe' } }, host);
      sandbox.faults.add({ operationId: 'getUser', times: 1, fault: { kind: 'truncate' } });
      const once = await getJane();
      sandbox.faults.add({ operationId: 'getUser', times: 4, fault: { kind: 'truncate' } });
      const always = await getJane();
      console.log(JSON.stringify({ once: { ok: once.ok, requests: once.meta.requests },
        always: { ok: always.ok, code: always.error?.code, retryable: always.error?.retryable, requests: always.meta.requests } }));
      await sandbox.close();`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', source], { cwd: root });
    expect(JSON.parse(stdout)).toEqual({
      once: { ok: true, requests: 2 },
      always: { ok: false, code: 'NETWORK', retryable: true, requests: 4 },
    });
  }, 20_000);
});
