#!/usr/bin/env node
/**
 * A fleet of workers sharing one org's rate budget (issue 17): --workers processes (4) run --mutations
 * add-user-to-group runs (4,000) against one sandbox org whose endpoints allow --limit requests a minute
 * (600), the minute compressed --time-scale times (10: a minute lasts 6 s). Each run sends two requests,
 * GET /api/v1/users/{id}/groups and PUT /api/v1/groups/{g}/users/{u}, each endpoint with a budget of its
 * own, spent side by side: the bound is mutations / limit minutes (40 s compressed).
 *
 * Three runs, each on fresh groups, each worker with --concurrency runs at a time (10):
 *   baseline  per-process governors (no store): each process believes it owns the whole budget;
 *   shared    the same fleet with a Redis rate-limit store (okta-actions/redis) on a real redis-server;
 *   outage    shared, with Redis killed at a third of the bound and started again 3 s later.
 * Printed for each: the time, failed runs, requests answered 429 (counted by the sandbox), the memberships
 * made (read back from the org: every mutation exactly once) and PUTs sent. Goals for shared: 0 failed,
 * <= 1% of requests answered 429, total time <= 1.1 x the bound; for the outage: 0 lost, 0 duplicated
 * (memberships made = mutations, PUTs sent = mutations), and done (no hang).
 *
 * A benchmark, not a test: it never fails the build.
 *
 *   node bench/fleet.mjs [--workers 4] [--mutations 4000] [--limit 600] [--time-scale 10] [--concurrency 10]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { argument, ensureBuilt, loadPlugin, loadSandbox, report, root } from './lib.mjs';

const WORKERS = argument('workers', 4);
const MUTATIONS = argument('mutations', 4000);
const LIMIT = argument('limit', 600);
const TIME_SCALE = argument('time-scale', 10);
const CONCURRENCY = argument('concurrency', 10);
const WINDOW_MS = 60_000 / TIME_SCALE;
const BOUND_MS = (MUTATIONS / LIMIT) * WINDOW_MS;
const REDIS_SERVER = '/usr/bin/redis-server';
const HOST = { allowLoopback: true, maxWaitMs: 600_000 };

try {
  await main();
} catch (error) {
  console.log(`fleet did not finish: ${error?.stack ?? error}`);
}

async function main() {
  if (!existsSync(REDIS_SERVER))
    throw new Error(`${REDIS_SERVER} is missing: apt-get install -y redis-server`);
  ensureBuilt();
  const { execute } = await loadPlugin();
  const { startSandbox } = await loadSandbox();
  const usersPerGroup = Math.ceil(MUTATIONS / WORKERS);
  const sandbox = await startSandbox({
    seed: usersPerGroup,
    rateLimit: { perMinute: LIMIT, timeScale: TIME_SCALE },
  });
  const refused = countRefusals(sandbox);
  const redis = await startRedis();
  const dir = mkdtempSync(join(tmpdir(), 'okta-actions-fleet-'));
  try {
    const connection = { type: 'api_token', apiAddress: sandbox.url, apiToken: sandbox.token };
    const run = async (key, input) => {
      const result = await execute(key, { connection, input }, HOST);
      if (!result.ok) throw new Error(`${key}: ${result.error.code} ${result.error.message}`);
      return result.output;
    };
    const users = (await run('list-users', { maxItems: usersPerGroup })).users.map((user) => user.id);
    console.log(
      `Node ${process.version}: ${WORKERS} workers x ${CONCURRENCY} at a time, ${MUTATIONS} add-user-to-group runs, ${LIMIT} requests a minute per endpoint, the minute ${TIME_SCALE} times shorter (bound ${(BOUND_MS / 1000).toFixed(1)} s)`,
    );
    const results = {};
    for (const scenario of ['baseline', 'shared', 'outage']) {
      // Fresh budgets for each run.
      await sleep(WINDOW_MS + 1500);
      results[scenario] = await fleetRun({ scenario, run, users, connection, dir, redis, refused });
      console.log(`  ${scenario}: ${JSON.stringify(results[scenario])}`);
    }
    printReport(results);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await redis.stop();
    await sandbox.close();
  }
}

async function fleetRun({ scenario, run, users, connection, dir, redis, refused }) {
  const groups = [];
  for (let g = 0; g < WORKERS; g++)
    groups.push((await run('create-group', { name: `Fleet ${scenario} ${g}` })).id);
  const jobs = Array.from({ length: MUTATIONS }, (_, i) => ({
    groupId: groups[i % WORKERS],
    user: users[Math.floor(i / WORKERS)],
  }));
  const workers = [];
  for (let w = 0; w < WORKERS; w++) {
    const file = join(dir, `${scenario}-${w}.json`);
    writeFileSync(file, JSON.stringify({ connection, jobs: jobs.filter((_, i) => i % WORKERS === w) }), {
      mode: 0o600,
    });
    const args = [join(root, 'bench/fleet/worker.mjs'), file, '--concurrency', String(CONCURRENCY)];
    if (scenario !== 'baseline') args.push('--redis', redis.url, '--local-share', String(1 / WORKERS));
    workers.push(startWorker(args));
  }
  await Promise.all(workers.map((worker) => worker.ready));
  refused.reset();
  const started = Date.now();
  for (const worker of workers) worker.go();
  let outage;
  if (scenario === 'outage') {
    outage = (async () => {
      await sleep(BOUND_MS / 3);
      await redis.stop();
      await sleep(3000);
      await redis.start();
    })();
  }
  const outcomes = await Promise.all(workers.map((worker) => worker.done));
  const seconds = (Date.now() - started) / 1000;
  await outage;
  let members = 0;
  for (const groupId of groups)
    members += (await run('list-group-members', { groupId, maxItems: MUTATIONS })).count;
  const sum = (pick) => outcomes.reduce((total, outcome) => total + pick(outcome), 0);
  const merge = (pick) =>
    outcomes.reduce((all, outcome) => {
      for (const [key, count] of Object.entries(pick(outcome))) all[key] = (all[key] ?? 0) + count;
      return all;
    }, {});
  return {
    seconds,
    done: sum((o) => o.done),
    failed: sum((o) => o.failed),
    errors: merge((o) => o.errors),
    budget: merge((o) => o.budget),
    reasons: merge((o) => o.reasons),
    requests: sum((o) => o.requests),
    answered429: refused.count(),
    putsSent: refused.sent('assignUserToGroup'),
    members,
  };
}

function printReport(results) {
  const { baseline, shared, outage } = results;
  const percent429 = (r) => (100 * r.answered429) / Math.max(1, r.requests);
  report(
    'Fleet: one org, one budget',
    [
      {
        measure: 'time, shared vs the bound',
        baseline: BOUND_MS / 1000,
        figure: shared.seconds,
        unit: 's',
        goal: 1.1,
      },
      { measure: 'failed runs, shared', figure: shared.failed, goalText: '0', met: shared.failed === 0 },
      {
        measure: 'requests answered 429, shared (%)',
        figure: percent429(shared),
        goalText: '<= 1',
        met: percent429(shared) <= 1,
      },
      {
        measure: 'time, per-process governors',
        baseline: BOUND_MS / 1000,
        figure: baseline.seconds,
        unit: 's',
      },
      { measure: 'failed runs, per-process governors', figure: baseline.failed },
      { measure: 'requests answered 429, per-process (%)', figure: percent429(baseline) },
      {
        measure: 'outage: memberships made / mutations',
        baseline: MUTATIONS,
        figure: outage.members,
        goalText: '= 1',
        met: outage.members === MUTATIONS,
      },
      {
        measure: 'outage: PUTs sent / mutations',
        baseline: MUTATIONS,
        figure: outage.putsSent,
        goalText: '= 1',
        met: outage.putsSent === MUTATIONS,
      },
      { measure: 'outage: failed runs', figure: outage.failed, goalText: '0', met: outage.failed === 0 },
      { measure: 'outage: time vs the bound', baseline: BOUND_MS / 1000, figure: outage.seconds, unit: 's' },
    ],
    [
      `answered 429: baseline ${baseline.answered429} of ${baseline.requests} requests, shared ${shared.answered429} of ${shared.requests}, outage ${outage.answered429} of ${outage.requests}`,
      `runs paced by: baseline ${JSON.stringify(baseline.budget)}, shared ${JSON.stringify(shared.budget)}, outage ${JSON.stringify(outage.budget)}`,
      `memberships made: baseline ${baseline.members}, shared ${shared.members}, outage ${outage.members} (of ${MUTATIONS} each)`,
    ],
  );
}

/** Counts, from the sandbox's rate limiter, requests refused (429) and requests let through per operation. */
function countRefusals(sandbox) {
  const limiter = sandbox.rateLimits;
  const take = limiter.take.bind(limiter);
  let refusals = 0;
  const through = new Map();
  limiter.take = (operationId, now) => {
    const decision = take(operationId, now);
    if (decision.allowed) through.set(operationId, (through.get(operationId) ?? 0) + 1);
    else refusals += 1;
    return decision;
  };
  return {
    count: () => refusals,
    sent: (operationId) => through.get(operationId) ?? 0,
    reset: () => {
      refusals = 0;
      through.clear();
    },
  };
}

function startWorker(args) {
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  let markReady;
  const ready = new Promise((resolve) => (markReady = resolve));
  const done = new Promise((resolve, reject) => {
    lines.on('line', (line) => (line === 'ready' ? markReady() : resolve(JSON.parse(line))));
    child.once('exit', (code) => code !== 0 && reject(new Error(`a worker exited with ${code}`)));
  });
  return { ready, done, go: () => child.stdin.write('go\n') };
}

/** A real redis-server on a free loopback port, no persistence; stop() kills it, start() brings it back. */
async function startRedis() {
  const port = await new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
  let child;
  const start = async () => {
    child = spawn(
      REDIS_SERVER,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    await sleep(300);
  };
  const stop = async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, start, stop };
}
