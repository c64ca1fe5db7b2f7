#!/usr/bin/env node
/**
 * A fleet of BullMQ workers (issue 17): 4 `okta-actions worker` processes run 4,000 mutations queued as jobs
 * against one sandbox org under Okta's 600 requests a minute per endpoint (the minute compressed by
 * --time-scale), and one worker is killed (SIGKILL) mid-run and started again. It prints the total time,
 * jobs completed and failed, the 429s the sandbox answered, and then checks every job against the org:
 * each create made exactly one group (duplicates counted), each membership and title in place, and each
 * completed job's result naming what is there.
 *
 *   1,000 create-group       POST /api/v1/groups (addGroup), a name of its own each
 *   1,500 add-user-to-group  a user (by id) into one of 10 groups: membership read, then PUT
 *   1,500 update-user        a user's title: read, then POST
 *
 * Each worker process paces its own requests (a governor per process): the 4 processes each see the org's
 * whole budget in Okta's headers and race for it, hence the 429s. The shared budget through Redis
 * (HostOptions.rateLimitStore, built separately) is what would remove them: `okta-actions worker` takes
 * it where its hostOptionsOf() says (src/cli/worker-command.ts), and this benchmark needs no change.
 *
 * The sandbox runs in this process, the workers in their own, Redis is Debian's redis-server on a free
 * loopback port (no persistence). A benchmark, not a test: it never fails the build.
 *
 *   node bench/bullmq-fleet.mjs [--workers 4] [--concurrency 10] [--time-scale 4] [--latency 5]
 *                               [--lock-duration 5000] [--kill-at 0.25] [--restart-after 3000]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { argument, loadSandbox, root } from './lib.mjs';

const WORKERS = argument('workers', 4);
const CONCURRENCY = argument('concurrency', 10);
const LIMIT = 600;
const TIME_SCALE = argument('time-scale', 4);
const LATENCY_MS = argument('latency', 5);
const LOCK_DURATION_MS = argument('lock-duration', 5000);
// A quarter in: the first rate-limit window is still open, so creates are under way (at 40%, every slot
// of the fleet is a job waiting for the next window of getUser or listUserGroups, and no create runs).
const KILL_AT = argument('kill-at', 0.25);
const RESTART_AFTER_MS = argument('restart-after', 3000);
const CREATES = 1000;
const MEMBERSHIPS = 1500;
const UPDATES = 1500;
const TARGET_GROUPS = 10;
const QUEUE = 'fleet';
const GIVE_UP_MS = 170_000;
const REDIS_SERVER = '/usr/bin/redis-server';

const cleanups = [];
try {
  await main();
} catch (error) {
  console.log(`bullmq-fleet did not finish: ${error?.stack ?? error}`);
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
}

async function main() {
  if (!existsSync(REDIS_SERVER))
    throw new Error(`${REDIS_SERVER} is missing: apt-get install -y redis-server`);
  const { startSandbox } = await loadSandbox();
  const { Queue } = await import('bullmq');
  const { createClient } = await import('redis');
  const { actionJobOptions, readActionJobError } = await import(
    pathToFileURL(join(root, 'dist/bullmq.js')).href
  );

  const redisUrl = await startRedis();
  const sandbox = await startSandbox({
    seed: UPDATES + 100,
    rateLimit: { perMinute: LIMIT, timeScale: TIME_SCALE },
    latencyMs: LATENCY_MS,
  });
  cleanups.push(() => sandbox.close());
  const work = await prepareWork(sandbox);
  const served = countServed(sandbox);

  const dir = mkdtempSync(join(tmpdir(), 'okta-actions-fleet-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  const connections = join(dir, 'connections.json');
  const connection = { type: 'api_token', apiAddress: sandbox.url, apiToken: sandbox.token };
  writeFileSync(connections, JSON.stringify({ org: connection }));
  const fleet = [];
  for (let i = 0; i < WORKERS; i++) fleet.push(await startWorker(`w${i + 1}`, redisUrl, connections));

  const client = createClient({ url: redisUrl });
  client.on('error', () => undefined);
  const queue = new Queue(QUEUE, { connection: client });
  cleanups.push(async () => {
    await queue.close();
    await client.quit();
  });

  console.log(
    `${WORKERS} workers x ${CONCURRENCY} jobs at once; ${work.jobs.length} jobs; ${LIMIT}/min per endpoint, a minute of ${60 / TIME_SCALE} s; sandbox latency ${LATENCY_MS} ms; lock duration ${LOCK_DURATION_MS} ms`,
  );
  const started = performance.now();
  for (let i = 0; i < work.jobs.length; i += 500) {
    await queue.addBulk(
      work.jobs.slice(i, i + 500).map((data) => ({ name: data.action, data, opts: actionJobOptions() })),
    );
  }
  const killed = await runUntilDone({ queue, fleet, redisUrl, connections, started, sandbox });
  const seconds = (performance.now() - started) / 1000;

  const completed = await queue.getJobs(['completed'], 0, -1);
  const failed = await queue.getJobs(['failed'], 0, -1);
  const report = checkAgainstOrg(sandbox, work, completed);
  printReport({ seconds, completed, failed, served, report, killed, fleet, readActionJobError });
}

/** Redis on a free loopback port, no persistence; stopped at the end. */
async function startRedis() {
  const port = await freePort();
  const child = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  cleanups.push(async () => {
    child.kill('SIGKILL');
  });
  process.once('exit', () => child.kill('SIGKILL'));
  const { createClient } = await import('redis');
  const url = `redis://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    const probe = createClient({ url, socket: { reconnectStrategy: false } });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      await probe.quit();
      return url;
    } catch (error) {
      if (tries > 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The jobs, and what each must leave in the org: 10 target groups made first (straight through the
 * sandbox's API, before anything is counted), then one job per create, membership and title.
 */
async function prepareWork(sandbox) {
  const api = (method, path, body) =>
    fetch(`${sandbox.url}${path}`, {
      method,
      headers: {
        authorization: `SSWS ${sandbox.token}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: body && JSON.stringify(body),
    }).then((response) => response.json());
  const targets = [];
  for (let i = 0; i < TARGET_GROUPS; i++) {
    targets.push((await api('POST', '/api/v1/groups', { profile: { name: `Fleet target ${i + 1}` } })).id);
  }
  sandbox.rateLimits.reset();
  const users = [...sandbox.org.slice('users', () => undefined).byId.values()]
    .filter((user) => /\.\d+@/.test(user.profile.login))
    .slice(0, Math.max(MEMBERSHIPS, UPDATES));
  const jobs = [];
  for (let i = 0; i < CREATES; i++) {
    jobs.push({ action: 'create-group', connectionRef: 'org', input: { name: `Fleet group ${i + 1}` } });
  }
  for (let i = 0; i < MEMBERSHIPS; i++) {
    const input = { groupId: targets[i % TARGET_GROUPS], user: users[i].id };
    jobs.push({ action: 'add-user-to-group', connectionRef: 'org', input });
  }
  for (let i = 0; i < UPDATES; i++) {
    const input = { user: users[i].id, profile: { title: `Fleet title ${i + 1}` } };
    jobs.push({ action: 'update-user', connectionRef: 'org', input });
  }
  // Interleaved, as a flow engine's work arrives: creates among the other changes.
  jobs.sort((a, b) => hash(JSON.stringify(a)) - hash(JSON.stringify(b)));
  return { jobs };
}

function hash(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Every answer the sandbox sends, counted by endpoint and status (its own record keeps only the last 10,000). */
function countServed(sandbox) {
  const counts = { total: 0, refused: 0, byOperation: new Map() };
  const served = sandbox.served;
  served.push = (record) => {
    counts.total += 1;
    if (record.status === 429) counts.refused += 1;
    const entry = counts.byOperation.get(record.operationId) ?? { answered: 0, refused: 0 };
    if (record.status === 429) entry.refused += 1;
    else entry.answered += 1;
    counts.byOperation.set(record.operationId, entry);
    return Array.prototype.push.call(served, record);
  };
  return counts;
}

/** `okta-actions worker` in a process of its own; resolves once it runs. Counts its lines by state. */
async function startWorker(name, redisUrl, connections) {
  const child = spawn(
    process.execPath,
    [
      join(root, 'dist/cli.js'),
      'worker',
      ...['--redis', redisUrl, '--queue', QUEUE, '--connections', connections, '--allow-loopback'],
      ...['--concurrency', String(CONCURRENCY), '--lock-duration', String(LOCK_DURATION_MS)],
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // The name BullMQ writes into the jobs it runs (processedBy), as `okta-actions worker` gives it.
  const workerName = `${hostname()}:${child.pid}`;
  const worker = { name, workerName, child, lines: { completed: 0, failed: 0, retrying: 0 }, stderr: '' };
  let partial = '';
  child.stdout.on('data', (chunk) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop();
    for (const line of lines) worker.lines[JSON.parse(line).state] += 1;
  });
  cleanups.push(async () => {
    child.kill('SIGKILL');
  });
  process.once('exit', () => child.kill('SIGKILL'));
  await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker ${name} exited (${code}): ${worker.stderr}`)));
    child.stderr.on('data', (chunk) => {
      worker.stderr += chunk;
      if (worker.stderr.includes('okta-actions worker: queue')) {
        child.removeAllListeners('exit');
        resolve();
      }
    });
  });
  return worker;
}

/**
 * Waits for every job, printing progress every 10 s; at KILL_AT of the jobs done, kills the second worker
 * mid-create if it can (killMidCreate) and starts a new one RESTART_AFTER_MS later.
 */
async function runUntilDone({ queue, fleet, redisUrl, connections, started, sandbox }) {
  const total = CREATES + MEMBERSHIPS + UPDATES;
  const killed = { atSeconds: undefined, restartedAtSeconds: undefined, caught: [] };
  let lastPrint = 0;
  for (;;) {
    const counts = await queue.getJobCounts('completed', 'failed', 'active', 'wait', 'delayed');
    const done = counts.completed + counts.failed;
    const elapsed = (performance.now() - started) / 1000;
    if (killed.atSeconds === undefined && done >= total * KILL_AT) {
      const victim = fleet[1];
      killed.caught = await killMidCreate(queue, victim, sandbox);
      killed.atSeconds = (performance.now() - started) / 1000;
      console.log(
        `  ${killed.atSeconds.toFixed(1)} s: ${done} done; worker ${victim.name} killed (SIGKILL) ${killed.caught.length > 0 ? `just after reading its job of ${killed.caught.join(', ')} active with the group already made (a job that got its result recorded before the signal landed is not run again)` : 'with no create caught in flight'}`,
      );
      setTimeout(async () => {
        fleet.push(await startWorker(`${victim.name}'`, redisUrl, connections));
        killed.restartedAtSeconds = (performance.now() - started) / 1000;
        console.log(
          `  ${killed.restartedAtSeconds.toFixed(1)} s: worker ${victim.name}' started in its place`,
        );
      }, RESTART_AFTER_MS);
    }
    if (elapsed - lastPrint >= 10) {
      lastPrint = elapsed;
      console.log(
        `  ${elapsed.toFixed(1)} s: ${counts.completed} completed, ${counts.failed} failed, ${counts.active} active, ${counts.wait} waiting, ${counts.delayed} delayed`,
      );
    }
    if (done >= total) return killed;
    if (elapsed * 1000 > GIVE_UP_MS)
      throw new Error(`not done after ${GIVE_UP_MS / 1000} s: ${JSON.stringify(counts)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Kills the worker at the worst moment found within 5 s: one of its create-group jobs is active and its
 * group already exists in the org (Okta carried the create out; the worker has not recorded the result).
 * Failing that, at the end of the 5 s, whatever it runs. Resolves to the groups caught so.
 */
async function killMidCreate(queue, victim, sandbox) {
  const groups = sandbox.org.slice('groups', () => undefined);
  const until = Date.now() + 5_000;
  while (Date.now() < until) {
    const creates = (await queue.getJobs(['active'])).filter(
      (job) => job.processedBy === victim.workerName && job.data.action === 'create-group',
    );
    const existing = new Set([...groups.byId.values()].map((group) => group.profile.name));
    const caught = creates.map((job) => job.data.input.name).filter((name) => existing.has(name));
    if (caught.length > 0) {
      victim.child.kill('SIGKILL');
      return caught;
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  victim.child.kill('SIGKILL');
  return [];
}

/** Every job against the org: creates once each, memberships and titles in place, results that name them. */
function checkAgainstOrg(sandbox, work, completed) {
  const groups = sandbox.org.slice('groups', () => undefined);
  const users = sandbox.org.slice('users', () => undefined);
  const byName = new Map();
  for (const group of groups.byId.values()) {
    byName.set(group.profile.name, [...(byName.get(group.profile.name) ?? []), group.id]);
  }
  const resultOf = new Map(completed.map((job) => [JSON.stringify(job.data.input), job.returnvalue]));
  const report = { duplicates: 0, missing: 0, wrongResult: 0, notInPlace: 0, resumed: 0, unchanged: 0 };
  report.stalled = completed.filter((job) => job.stalledCounter > 0).length;
  report.resumedCreates = 0;
  report.foundByResume = 0;
  for (const job of completed) {
    if (job.returnvalue.meta.resumed) report.resumed += 1;
    if (job.returnvalue.meta.resumed && job.data.action === 'create-group') {
      report.resumedCreates += 1;
      // One request: the look-up found the group (no POST); two: it was not there and the POST went out.
      if (job.returnvalue.meta.requests === 1) report.foundByResume += 1;
    }
    if (job.returnvalue.output.changed === false) report.unchanged += 1;
  }
  for (const data of work.jobs) {
    const result = resultOf.get(JSON.stringify(data.input));
    if (data.action === 'create-group') {
      const ids = byName.get(data.input.name) ?? [];
      if (ids.length === 0) report.missing += 1;
      report.duplicates += Math.max(0, ids.length - 1);
      if (result && result.output.id !== ids[0]) report.wrongResult += 1;
    } else if (data.action === 'add-user-to-group') {
      if (!groups.members.get(data.input.groupId)?.has(data.input.user)) report.notInPlace += 1;
      if (result && result.output.member !== true) report.wrongResult += 1;
    } else {
      if (users.byId.get(data.input.user)?.profile.title !== data.input.profile.title) report.notInPlace += 1;
      if (result && result.output.user.profile.title !== data.input.profile.title) report.wrongResult += 1;
    }
  }
  return report;
}

function printReport({ seconds, completed, failed, served, report, killed, fleet, readActionJobError }) {
  const failures = new Map();
  for (const job of failed) {
    const code = readActionJobError(job)?.code ?? job.failedReason;
    failures.set(code, (failures.get(code) ?? 0) + 1);
  }
  const windowSeconds = 60 / TIME_SCALE;
  const busiest = [...served.byOperation.entries()].sort((a, b) => b[1].answered - a[1].answered)[0];
  // As bench/bulk-rate-limit.mjs: N requests of one endpoint take N / limit (compressed) minutes; the
  // windows are fixed, so a fleet that spends a window's budget at once can finish a little sooner.
  const bound = busiest ? (busiest[1].answered / LIMIT) * windowSeconds : 0;
  console.log('');
  console.log(`total time                 ${seconds.toFixed(1)} s`);
  console.log(`jobs completed             ${completed.length}`);
  console.log(
    `jobs failed                ${failed.length}${failures.size ? ` (${[...failures].map(([code, n]) => `${code}: ${n}`).join(', ')})` : ''}`,
  );
  console.log(
    `requests to the sandbox    ${served.total}, of which 429: ${served.refused} (${((100 * served.refused) / Math.max(1, served.total)).toFixed(1)}%)`,
  );
  for (const [operation, counts] of [...served.byOperation].sort((a, b) => b[1].answered - a[1].answered)) {
    console.log(
      `  ${String(operation).padEnd(24)} ${String(counts.answered).padStart(5)} answered, ${counts.refused} refused (429)`,
    );
  }
  console.log(
    `rate-limit bound           ${bound.toFixed(1)} s (${busiest?.[0]}: ${busiest?.[1].answered} requests at ${LIMIT} per ${windowSeconds} s window); time / bound ${(seconds / bound).toFixed(2)}`,
  );
  console.log(
    `worker killed              at ${killed.atSeconds?.toFixed(1)} s, replaced at ${killed.restartedAtSeconds?.toFixed(1) ?? '-'} s`,
  );
  console.log(
    `jobs taken over            ${report.stalled} (stalled: their worker stopped renewing its lock)`,
  );
  console.log(
    `jobs resumed               ${report.resumed}, ${report.resumedCreates} of them creates, ${report.foundByResume} of which found the group their killed attempt had made`,
  );
  console.log(
    `changes already made       ${report.unchanged} (changed: false: a repeat found its change in place)`,
  );
  console.log(
    `duplicate creates          ${report.duplicates} (groups sharing a job's name beyond the first)`,
  );
  console.log(`creates missing            ${report.missing}`);
  console.log(`changes not in the org     ${report.notInPlace}`);
  console.log(`results that disagree      ${report.wrongResult} (a completed job's output against the org)`);
  console.log(
    `per worker (lines printed) ${fleet.map((w) => `${w.name} ${w.lines.completed}/${w.lines.failed}/${w.lines.retrying}`).join(', ')} (completed/failed/retrying)`,
  );
  const exact =
    report.duplicates === 0 && report.missing === 0 && report.notInPlace === 0 && report.wrongResult === 0;
  console.log(
    `every job done exactly once in the org, with its result: ${exact && failed.length === 0 ? 'yes' : 'NO'}`,
  );
}
