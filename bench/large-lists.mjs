#!/usr/bin/env node
/**
 * Scenario 4, large lists: all 100,000 users of a sandbox, page by page (200 a page), three ways:
 *
 *   baseline  a raw paginated loop: fetch, follow the Link header, parse, count (the floor);
 *   execute   execute('list-users', { maxItems: 100000 }): the whole list in one output, validated;
 *   stream    stream('list-users'): the items one at a time, a page held at once.
 *
 * Each sample is a fresh child process (so peak RSS is its own), listing from one sandbox that this
 * process hosts; kinds alternate, medians of several runs. Throughput counts the listing only (after one
 * warm-up call: the lazy SDK load and the client are scenario 1's business); peak RSS is the child's
 * whole life, SDK included.
 * Goals: throughput >= 0.9x the raw loop (execute and stream); stream's peak RSS <= the raw loop's + 64 MB.
 * A benchmark, not a test: it never fails the build.
 *
 *   node bench/large-lists.mjs [--users 100000] [--runs 3]
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { argument, ensureBuilt, loadSandbox, median, pluginUrl, report } from './lib.mjs';

const USERS = argument('users', 100_000);
const RUNS = argument('runs', 3);
const PAGE = 200;

/** The child's work per kind; it prints `{ ms, count, maxRssMb }`. */
const CHILD = {
  baseline: `
    const headers = { authorization: 'SSWS ' + TOKEN, accept: 'application/json' };
    const nextLink = (r) => /<([^>]+)>; rel="next"/.exec(r.headers.get('link') ?? '')?.[1];
    await (await fetch(URL + '/api/v1/users?limit=1', { headers })).json();
    const t0 = performance.now();
    let count = 0;
    for (let next = URL + '/api/v1/users?limit=${PAGE}'; next; ) {
      const response = await fetch(next, { headers });
      count += (await response.json()).length;
      next = nextLink(response);
    }
    done(t0, count);`,
  execute: `
    const { execute } = await import(PLUGIN);
    await execute('list-users', { connection, input: { maxItems: 1 } }, HOST);
    const t0 = performance.now();
    const result = await execute('list-users', { connection, input: { maxItems: 100000, limit: ${PAGE} } }, HOST);
    if (!result.ok) throw new Error(result.error.message);
    done(t0, result.output.users.length);`,
  stream: `
    const { execute, stream } = await import(PLUGIN);
    await execute('list-users', { connection, input: { maxItems: 1 } }, HOST);
    const t0 = performance.now();
    let count = 0;
    for await (const user of stream('list-users', { connection, input: { limit: ${PAGE} } }, HOST)) count += 1;
    done(t0, count);`,
};

async function sample(kind, sandbox) {
  const prelude = `
    const URL = ${JSON.stringify(sandbox.url)}, TOKEN = ${JSON.stringify(sandbox.token)};
    const PLUGIN = ${JSON.stringify(pluginUrl())};
    const connection = { type: 'api_token', apiAddress: URL, apiToken: TOKEN };
    const HOST = { allowLoopback: true, actionTimeoutMs: 600000 };
    const done = (t0, count) => console.log(JSON.stringify({
      ms: performance.now() - t0, count, maxRssMb: process.resourceUsage().maxRSS / 1024 }));`;
  // Asynchronous: this process's event loop serves the sandbox meanwhile.
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--input-type=module', '-e', prelude + CHILD[kind]],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1));
}

async function main() {
  ensureBuilt();
  const { startSandbox } = await loadSandbox();
  // The sandbox runs in this process, the lists in child processes: 200 concurrent-free pages, no limit.
  const sandbox = await startSandbox({ seed: USERS, rateLimit: { perMinute: 10_000_000 } });
  const samples = { baseline: [], execute: [], stream: [] };
  try {
    for (let run = 0; run < RUNS; run++) {
      for (const kind of Object.keys(samples)) samples[kind].push(await sample(kind, sandbox));
    }
  } finally {
    await sandbox.close();
  }
  const count = samples.baseline[0].count;
  const throughput = (kind) => median(samples[kind].map((s) => (s.count / s.ms) * 1000));
  const rss = (kind) => median(samples[kind].map((s) => s.maxRssMb));
  /** Users per second of one way against the raw loop's; the goal is a floor, so the ratio must reach it. */
  const throughputRow = (kind) => {
    const ratio = throughput(kind) / throughput('baseline');
    return {
      measure: `${kind} throughput (users/s)`,
      baseline: throughput('baseline'),
      figure: throughput(kind),
      ratio,
      goalText: '>= 0.9',
      met: ratio >= 0.9,
    };
  };
  const counts = Object.entries(samples).map(
    ([kind, list]) => `${kind} ${[...new Set(list.map((s) => s.count))]}`,
  );
  report(
    `Scenario 4: listing ${count.toLocaleString('en')} users, ${PAGE} a page (medians of ${RUNS} fresh processes each, interleaved)`,
    [
      throughputRow('execute'),
      throughputRow('stream'),
      {
        measure: 'stream peak RSS (MB)',
        baseline: rss('baseline'),
        figure: rss('stream'),
        goalText: '<= baseline + 64',
        met: rss('stream') <= rss('baseline') + 64,
      },
      { measure: 'execute peak RSS (MB)', baseline: rss('baseline'), figure: rss('execute') },
    ],
    [
      `items listed: ${counts.join('; ')}`,
      'baseline: a raw fetch loop following the Link header, in its own process',
    ],
  );
}

main().catch((error) => console.error('large-lists stopped:', error));
