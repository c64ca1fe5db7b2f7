#!/usr/bin/env node
/**
 * Scenario 1, cold start: what a host pays in a fresh process (a serverless function's first run).
 *
 *   load          importing okta-actions and reading its manifest (ESM and CommonJS), vs requiring the
 *                 Okta SDK it wraps. The SDK loads lazily, on the first call that needs it; the manifest
 *                 is data. Goal: ratio <= 0.05.
 *   first read    the first execute('get-user') of a process (import, runtime, validators, client, one
 *                 GET to the sandbox), vs the SDK's own first call (require it, build a client,
 *                 userApi.getUser). Goal (issue 17): ratio <= 0.15.
 *   first write   the first execute('update-user') of a process, which changes the profile through the
 *                 SDK's typed API (userApi.updateUser) after its raw read (GET, then POST), vs the SDK's
 *                 require, client and first userApi.updateUser (one POST). Goal (issue 17): ratio <= 0.8.
 *                 Each sample sets a nickName no earlier sample set, so every run really writes.
 *   first raw write  the first execute('create-group'), a write that sends raw JSON by design (the SDK's
 *                 model would drop custom group attributes) and so never loads the SDK; against the same
 *                 SDK baseline, for information: 49 of the 57 actions that change Okta write through the
 *                 SDK, so "first write" above is the one that counts.
 *
 * Each sample is a fresh Node process timing only its own work (process start-up excluded); kinds
 * alternate so machine noise hits all alike; medians, with the range of the samples. The sandbox for the
 * first calls runs in this process. A benchmark, not a test: it never fails the build.
 *
 *   node bench/cold-start.mjs [--runs 9]
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { argument, ensureBuilt, loadSandbox, median, pluginUrl, report, root } from './lib.mjs';

const RUNS = argument('runs', 9);
const JANE = 'jane.doe@example.com';

const LOADS = {
  'import + read manifest (ESM)': {
    esm: true,
    code: `const t0 = performance.now();
      const { manifest } = await import(PLUGIN);
      const count = manifest.actions.length;
      console.log(performance.now() - t0, count);`,
  },
  'require + read manifest (CJS)': {
    code: `const t0 = performance.now();
      const { manifest } = require(${JSON.stringify(join(root, 'dist/index.cjs'))});
      const count = manifest.actions.length;
      console.log(performance.now() - t0, count);`,
  },
  'require @okta/okta-sdk-nodejs': {
    code: `const t0 = performance.now();
      const okta = require('@okta/okta-sdk-nodejs');
      console.log(performance.now() - t0, typeof okta.Client);`,
  },
};

const CONNECTION = `{ type: 'api_token', apiAddress: URL, apiToken: TOKEN }`;
/** A nickName no other sample sets, so that update-user has something to change every time. */
const FRESH_NICKNAME = "'bench-' + process.pid + '-' + Date.now()";

const FIRST_CALLS = {
  'okta-actions: first execute(get-user)': {
    esm: true,
    code: `const t0 = performance.now();
      const { execute } = await import(PLUGIN);
      const result = await execute('get-user', { connection: ${CONNECTION}, input: { user: '${JANE}' } }, { allowLoopback: true });
      if (!result.ok) throw new Error(result.error.message);
      console.log(performance.now() - t0, result.output.login);`,
  },
  'SDK: require, new Client, first userApi.getUser': {
    code: `const t0 = performance.now();
      const okta = require('@okta/okta-sdk-nodejs');
      const client = new okta.Client({ orgUrl: URL, token: TOKEN, cacheMiddleware: null, testing: { disableHttpsCheck: true } });
      client.userApi.getUser({ userId: '${JANE}' }).then((user) => console.log(performance.now() - t0, user.profile.login));`,
  },
  'okta-actions: first execute(update-user)': {
    esm: true,
    code: `const t0 = performance.now();
      const { execute } = await import(PLUGIN);
      const result = await execute('update-user', { connection: ${CONNECTION}, input: { user: '${JANE}', profile: { nickName: ${FRESH_NICKNAME} } } }, { allowLoopback: true });
      if (!result.ok || !result.output.changed) throw new Error(result.ok ? 'nothing changed' : result.error.message);
      console.log(performance.now() - t0, result.output.login);`,
  },
  'SDK: require, new Client, first userApi.updateUser': {
    code: `const t0 = performance.now();
      const okta = require('@okta/okta-sdk-nodejs');
      const client = new okta.Client({ orgUrl: URL, token: TOKEN, cacheMiddleware: null, testing: { disableHttpsCheck: true } });
      client.userApi.updateUser({ userId: '${JANE}', user: { profile: { nickName: ${FRESH_NICKNAME} } } })
        .then((user) => console.log(performance.now() - t0, user.profile.login));`,
  },
  'okta-actions: first execute(create-group)': {
    esm: true,
    code: `const t0 = performance.now();
      const { execute } = await import(PLUGIN);
      const result = await execute('create-group', { connection: ${CONNECTION}, input: { name: ${FRESH_NICKNAME} } }, { allowLoopback: true });
      if (!result.ok) throw new Error(result.error.message);
      console.log(performance.now() - t0, result.output.id);`,
  },
};

/** One fresh process running `code`; resolves to the milliseconds it printed. */
async function sample({ code, esm }, sandbox) {
  const prelude = `const PLUGIN = ${JSON.stringify(pluginUrl())};
    const URL = ${JSON.stringify(sandbox?.url ?? '')}, TOKEN = ${JSON.stringify(sandbox?.token ?? '')};`;
  // Asynchronous: this process's event loop serves the sandbox meanwhile.
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...(esm ? ['--input-type=module'] : []), '-e', prelude + code],
    { cwd: root, encoding: 'utf8' },
  );
  return Number(stdout.trim().split(' ')[0]);
}

/** Per kind: the median and the range of RUNS samples, the kinds interleaved. */
async function measure(kinds, sandbox) {
  const samples = Object.fromEntries(Object.keys(kinds).map((name) => [name, []]));
  for (let run = 0; run < RUNS; run++) {
    for (const [name, kind] of Object.entries(kinds)) samples[name].push(await sample(kind, sandbox));
  }
  return Object.fromEntries(
    Object.entries(samples).map(([name, values]) => [
      name,
      { median: median(values), min: Math.min(...values), max: Math.max(...values) },
    ]),
  );
}

const range = ({ min, max }) => `${Math.round(min)}-${Math.round(max)} ms`;

async function main() {
  ensureBuilt();
  const loads = await measure(LOADS);
  const sdkLoad = loads['require @okta/okta-sdk-nodejs'];
  const esm = loads['import + read manifest (ESM)'];
  const cjs = loads['require + read manifest (CJS)'];
  report(
    `Scenario 1a: cold load, medians of ${RUNS} fresh processes each (interleaved), Node ${process.version}`,
    [
      {
        measure: 'okta-actions import + manifest, ESM (ms)',
        baseline: sdkLoad.median,
        figure: esm.median,
        goal: 0.05,
      },
      {
        measure: 'okta-actions require + manifest, CJS (ms)',
        baseline: sdkLoad.median,
        figure: cjs.median,
        goal: 0.05,
      },
    ],
    [
      'baseline: a fresh process requiring @okta/okta-sdk-nodejs',
      `ranges: SDK ${range(sdkLoad)}, ESM ${range(esm)}, CJS ${range(cjs)}`,
    ],
  );

  const { startSandbox } = await loadSandbox();
  const sandbox = await startSandbox({ rateLimit: { perMinute: 1_000_000 } });
  try {
    const firsts = await measure(FIRST_CALLS, sandbox);
    const sdkRead = firsts['SDK: require, new Client, first userApi.getUser'];
    const sdkWrite = firsts['SDK: require, new Client, first userApi.updateUser'];
    const read = firsts['okta-actions: first execute(get-user)'];
    const write = firsts['okta-actions: first execute(update-user)'];
    const rawWrite = firsts['okta-actions: first execute(create-group)'];
    report(
      'Scenario 1b: the first call of a fresh process (load, client, requests to the sandbox), medians (ms)',
      [
        {
          measure: 'first read: execute(get-user)',
          baseline: sdkRead.median,
          figure: read.median,
          goal: 0.15,
        },
        {
          measure: 'first write: execute(update-user), SDK typed API',
          baseline: sdkWrite.median,
          figure: write.median,
          goal: 0.8,
        },
        {
          measure: 'first raw write: execute(create-group), no SDK',
          baseline: sdkWrite.median,
          figure: rawWrite.median,
        },
      ],
      [
        'baselines: the SDK alone in a fresh process: require it, new Client, its first userApi.getUser (read)',
        '  or userApi.updateUser (writes)',
        `ranges: SDK read ${range(sdkRead)}, SDK write ${range(sdkWrite)}; get-user ${range(read)},`,
        `  update-user ${range(write)}, create-group ${range(rawWrite)}`,
      ],
    );
  } finally {
    await sandbox.close();
  }
}

main().catch((error) => console.error('cold-start stopped:', error));
