#!/usr/bin/env node
/**
 * Scenario 1, cold start: what a host pays in a fresh process.
 *
 *   load         importing okta-actions and reading its manifest (ESM and CommonJS), vs requiring the
 *                Okta SDK it wraps. The SDK loads lazily, on the first call that needs it; the manifest
 *                is data. Goal: ratio <= 0.05.
 *   first call   the first execute('get-user') of a process (import, lazy SDK load, client, validators,
 *                one request to the sandbox), vs the SDK's own first call (require it, build a client,
 *                userApi.getUser). No numeric goal in the issue; reported so a regression shows.
 *
 * Each sample is a fresh Node process timing only its own work (process start-up excluded); kinds
 * alternate so machine noise hits all alike; medians. The sandbox for the first calls runs in this
 * process. A benchmark, not a test: it never fails the build.
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

const FIRST_CALLS = {
  'okta-actions: first execute(get-user)': {
    esm: true,
    code: `const t0 = performance.now();
      const { execute } = await import(PLUGIN);
      const result = await execute('get-user', { connection: { type: 'api_token', apiAddress: URL, apiToken: TOKEN }, input: { user: '${JANE}' } }, { allowLoopback: true });
      if (!result.ok) throw new Error(result.error.message);
      console.log(performance.now() - t0, result.output.login);`,
  },
  'SDK: require, new Client, first userApi.getUser': {
    code: `const t0 = performance.now();
      const okta = require('@okta/okta-sdk-nodejs');
      const client = new okta.Client({ orgUrl: URL, token: TOKEN, cacheMiddleware: null, testing: { disableHttpsCheck: true } });
      client.userApi.getUser({ userId: '${JANE}' }).then((user) => console.log(performance.now() - t0, user.profile.login));`,
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

async function measure(kinds, sandbox) {
  const samples = Object.fromEntries(Object.keys(kinds).map((name) => [name, []]));
  for (let run = 0; run < RUNS; run++) {
    for (const [name, kind] of Object.entries(kinds)) samples[name].push(await sample(kind, sandbox));
  }
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
}

async function main() {
  ensureBuilt();
  const loads = await measure(LOADS);
  const sdkLoad = loads['require @okta/okta-sdk-nodejs'];
  report(
    `Scenario 1a: cold load, medians of ${RUNS} fresh processes each (interleaved), Node ${process.version}`,
    [
      {
        measure: 'okta-actions import + manifest, ESM (ms)',
        baseline: sdkLoad,
        figure: loads['import + read manifest (ESM)'],
        goal: 0.05,
      },
      {
        measure: 'okta-actions require + manifest, CJS (ms)',
        baseline: sdkLoad,
        figure: loads['require + read manifest (CJS)'],
        goal: 0.05,
      },
    ],
    ['baseline: a fresh process requiring @okta/okta-sdk-nodejs'],
  );

  const { startSandbox } = await loadSandbox();
  const sandbox = await startSandbox({ rateLimit: { perMinute: 1_000_000 } });
  try {
    const firsts = await measure(FIRST_CALLS, sandbox);
    report(
      'Scenario 1b: the first call of a fresh process (load, client, one GET /api/v1/users/{id} to the sandbox)',
      [
        {
          measure: 'first execute(get-user) (ms)',
          baseline: firsts['SDK: require, new Client, first userApi.getUser'],
          figure: firsts['okta-actions: first execute(get-user)'],
        },
      ],
      [
        'baseline: the SDK alone: require it, build a client, its first userApi.getUser (no goal in the issue)',
      ],
    );
  } finally {
    await sandbox.close();
  }
}

main().catch((error) => console.error('cold-start stopped:', error));
