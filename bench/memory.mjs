#!/usr/bin/env node
/**
 * Scenario 5, memory over time: 50,000 get-user calls over 5,000 distinct users (by login), 10 at a time,
 * against a sandbox in its own process. After a warm-up (every user read twice), the heap is settled and
 * RSS and heap read; again after the 50,000 calls. Whatever stays is what a long-running host would keep
 * accumulating (an unbounded cache, listeners, timers).
 * Why twice: V8 sizes its young generation by how fast a process allocates, and reserves that space
 * (heapTotal, so RSS) without keeping anything in it. After one pass okta-actions' heap was still being
 * sized (heapTotal 30.6 MB after 5,000 calls, 47.1 MB after 10,000, then flat to 40,000, heapUsed 12.2 to
 * 12.6 MB throughout), which read as 17 MB of "growth" that more calls never added to. The heapTotal row
 * shows that sizing, so a reader can tell it from memory kept.
 * Baseline: the same calls through the bare Okta SDK (its default cache off, as okta-actions sets it),
 * in a process of its own, so neither side's leftovers count for the other.
 * Goal: okta-actions' RSS growth after warm-up <= 10 MB. A benchmark, not a test: it never fails the build.
 *
 *   node bench/memory.mjs [--calls 50000] [--users 5000]
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { argument, loadPlugin, mb, report, settle, spawnSandbox } from './lib.mjs';

const CALLS = argument('calls', 50_000);
const USERS = argument('users', 5_000);
const CONCURRENCY = 10;

/** In a child: `--side plugin|sdk --url U --token T`; prints the memory readings as JSON. */
async function side(kind, url, token) {
  const logins = await loginsOf(url, token, USERS);
  let call;
  if (kind === 'plugin') {
    const { execute } = await loadPlugin();
    const connection = { type: 'api_token', apiAddress: url, apiToken: token };
    call = async (login) => {
      const result = await execute(
        'get-user',
        { connection, input: { user: login } },
        { allowLoopback: true },
      );
      if (!result.ok) throw new Error(result.error.message);
    };
  } else {
    const { createRequire } = await import('node:module');
    const okta = createRequire(import.meta.url)('@okta/okta-sdk-nodejs');
    const client = new okta.Client({
      orgUrl: url,
      token,
      cacheMiddleware: null,
      testing: { disableHttpsCheck: true },
    });
    call = (login) => client.userApi.getUser({ userId: login });
  }
  await run(call, logins, 2 * logins.length);
  await settle();
  const warm = process.memoryUsage();
  const t0 = performance.now();
  await run(call, logins, CALLS);
  const seconds = (performance.now() - t0) / 1000;
  await settle();
  const end = process.memoryUsage();
  console.log(JSON.stringify({ warm, end, seconds }));
}

/** `count` calls cycling through the logins, CONCURRENCY at a time. */
async function run(call, logins, count) {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const index = next++;
        await call(logins[index % logins.length]);
      }
    }),
  );
}

async function loginsOf(url, token, count) {
  const logins = [];
  let next = `${url}/api/v1/users?limit=200`;
  while (next && logins.length < count) {
    const response = await fetch(next, {
      headers: { authorization: `SSWS ${token}`, accept: 'application/json' },
    });
    for (const user of await response.json()) logins.push(user.profile.login);
    next = /<([^>]+)>; rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
  }
  return logins.slice(0, count);
}

async function main() {
  const sandbox = await spawnSandbox(['--seed', String(USERS), '--rate-limit', '100000000']);
  const readings = {};
  try {
    for (const kind of ['sdk', 'plugin']) {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          '--expose-gc',
          fileURLToPath(import.meta.url),
          '--side',
          kind,
          '--url',
          sandbox.url,
          '--token',
          sandbox.token,
        ],
        { encoding: 'utf8', maxBuffer: 1 << 20 },
      );
      readings[kind] = JSON.parse(stdout.trim().split('\n').at(-1));
    }
  } finally {
    await sandbox.close();
  }
  const growth = (kind, field) => mb(readings[kind].end[field] - readings[kind].warm[field]);
  report(
    `Scenario 5: ${CALLS.toLocaleString('en')} get-user calls over ${USERS.toLocaleString('en')} users, ${CONCURRENCY} at a time (growth after warm-up, heap settled)`,
    [
      {
        measure: 'RSS growth (MB)',
        baseline: growth('sdk', 'rss'),
        figure: growth('plugin', 'rss'),
        goalText: '<= 10 MB',
        met: growth('plugin', 'rss') <= 10,
      },
      {
        measure: 'heap used growth (MB)',
        baseline: growth('sdk', 'heapUsed'),
        figure: growth('plugin', 'heapUsed'),
      },
      {
        measure: 'heap reserved growth (heapTotal, MB)',
        baseline: growth('sdk', 'heapTotal'),
        figure: growth('plugin', 'heapTotal'),
      },
      {
        measure: 'RSS after warm-up (MB)',
        baseline: mb(readings.sdk.warm.rss),
        figure: mb(readings.plugin.warm.rss),
      },
      {
        measure: 'calls per second',
        baseline: CALLS / readings.sdk.seconds,
        figure: CALLS / readings.plugin.seconds,
      },
    ],
    ['baseline: the bare Okta SDK, same calls, in its own process; the ratio column compares the two'],
  );
}

const sideIndex = process.argv.indexOf('--side');
if (sideIndex > 0) {
  side(process.argv[sideIndex + 1], argument('url', ''), argument('token', '')).catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch((error) => console.error('memory stopped:', error));
}
