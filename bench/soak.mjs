#!/usr/bin/env node
/**
 * Soak: 200 concurrent executions for a few minutes against one sandbox org with faults on (a small random
 * share of 5xx answers, connection resets, slow answers and 429s), a mix of reads and changes through
 * execute() as a host runs them. It watches for unhandled promise rejections and for memory that keeps
 * growing after a warm-up: RSS and heap are sampled every few seconds after a forced GC, and the curve and
 * the growth from the end of the warm-up to the end are printed.
 *
 * The sandbox runs in a child process: its System Log and state grow with every change it serves, which
 * would otherwise be counted as the plugin's memory. The soak process re-starts itself with --expose-gc
 * so that samples are taken after a full collection.
 *
 * A benchmark, not a test: it prints its findings and exits 0.
 *
 * The load is drained twice, at the end of the warm-up and at the end, and memory is compared between
 * those two idle samples (under load it swings by ~10 MB with the runs in flight); the curve under load
 * and its trend are printed too.
 *
 *   node bench/soak.mjs [--seconds 120] [--concurrency 200] [--warmup <s>] [--sample <s>]
 *                       [--request-timeout <ms>, default 5000] [--settle <s>, default timeout + 1 s]
 */
import { execFileSync, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const self = fileURLToPath(import.meta.url);
const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};

if (!existsSync(join(root, 'dist/index.js')) || !existsSync(join(root, 'dist/sandbox.js'))) {
  console.log('dist/ is missing; building it first (npm run build)');
  execFileSync(join(root, 'node_modules/.bin/tsup'), ['--silent'], { cwd: root, stdio: 'inherit' });
}

if (process.argv.includes('--sandbox-child')) {
  await serveSandbox();
} else if (typeof globalThis.gc !== 'function') {
  // Samples need a full GC first; start again with it exposed.
  const child = fork(self, process.argv.slice(2), { execArgv: ['--expose-gc'], stdio: 'inherit' });
  child.on('exit', () => process.exit(0));
} else {
  await soak();
}

// ---------------------------------------------------------------------------------------------------------
// The sandbox process: one org, a few tokens (tenants of the same org), faults added at random
// ---------------------------------------------------------------------------------------------------------

async function serveSandbox() {
  const { startSandbox } = await import(join(root, 'dist/sandbox.js'));
  // A one-second minute with a generous budget: 429s come from the faults, now and then, not from load.
  const sandbox = await startSandbox({ seed: 2000, rateLimit: { perMinute: 5000, timeScale: 60 } });
  const tokens = [
    sandbox.token,
    '00SoakSecondTenantToken000000000000000',
    '00SoakThirdTenantToken0000000000000000',
  ];
  for (const token of tokens.slice(1)) sandbox.addToken(token);
  const users = sandbox.org.slice('users', () => undefined);
  const groups = sandbox.org.slice('groups', () => undefined);
  const logins = [...users.byLogin.keys()].filter((login) => /\.\d+@/.test(login));
  const departmentGroups = [...groups.byId.values()]
    .filter((group) => ['Engineering', 'Sales', 'Finance', 'Support', 'People'].includes(group.profile.name))
    .map((group) => group.id);

  // Every 250 ms, faults for a small share of the next requests, each rule with a random start so they
  // fall on random requests: 2% 5xx, 1% resets, 5% slow (150 ms), 0.5% 429.
  const SHARES = [
    [0.02, { kind: 'status', status: 503 }],
    [0.01, { kind: 'reset' }],
    [0.05, { kind: 'latency', ms: 150 }],
    [0.005, { kind: 'status', status: 429 }],
  ];
  let lastRecord;
  let servedTotal = 0;
  let strikes = 0;
  let added = [];
  const tick = setInterval(() => {
    const fresh = freshRequests();
    strikes += added.reduce(
      (sum, rule) => sum + (sandbox.faults.rules?.find((r) => r.rule === rule)?.fired ?? 0),
      0,
    );
    sandbox.faults.clear();
    const expected = Math.max(20, fresh);
    added = SHARES.map(([share, fault]) => ({
      after: Math.floor(Math.random() * expected),
      times: Math.max(1, Math.round(share * expected)),
      fault,
    }));
    for (const rule of added) sandbox.faults.add(rule);
    // Groups the soak creates are deleted again, so creating keeps working and the org stays the same size.
    for (const group of groups.byId.values()) {
      if (group.profile.name.startsWith('Soak ')) {
        void fetch(`${sandbox.url}/api/v1/groups/${group.id}`, {
          method: 'DELETE',
          headers: { authorization: `SSWS ${sandbox.token}` },
        }).catch(() => undefined);
      }
    }
  }, 250);

  // The served list keeps the last 10,000 records: what arrived since the last look is what follows the
  // record that was last then.
  function freshRequests() {
    const served = sandbox.served;
    const fresh = served.length - 1 - (lastRecord ? served.lastIndexOf(lastRecord) : -1);
    lastRecord = served.at(-1);
    servedTotal += fresh;
    return fresh;
  }

  process.on('message', async (message) => {
    if (message === 'stop') {
      clearInterval(tick);
      process.send({
        type: 'stats',
        served: servedTotal + freshRequests(),
        strikes,
        rssMb: process.memoryUsage().rss / 2 ** 20,
        requestViolations: sandbox.requestViolations.length,
        contractViolations: sandbox.contractViolations.length,
      });
      await sandbox.close();
      process.exit(0);
    }
  });
  process.send({ type: 'ready', url: sandbox.url, tokens, logins, departmentGroups });
}

// ---------------------------------------------------------------------------------------------------------
// The soak
// ---------------------------------------------------------------------------------------------------------

async function soak() {
  const SECONDS = argument('seconds', 120);
  const CONCURRENCY = argument('concurrency', 200);
  const WARMUP = argument('warmup', Math.min(30, Math.max(5, Math.round(SECONDS / 4))));
  const SAMPLE = argument('sample', Math.min(5, Math.max(1, Math.round(SECONDS / 12))));
  // The host's request timeout. Each request's timeout signal (and what its listener holds) lives until
  // its timer fires, so memory sampled right after the load still holds the last `timeout` worth of
  // requests: with the default 30 s that is ~12 MB at ~240 runs/s, which would read as growth. A 5 s
  // timeout (far above the faults' 150 ms) and idle samples taken after it has passed compare like
  // with like.
  const REQUEST_TIMEOUT_MS = argument('request-timeout', 5000);
  const SETTLE = argument('settle', Math.ceil(REQUEST_TIMEOUT_MS / 1000) + 1);

  let unhandled = 0;
  const unhandledExamples = [];
  process.on('unhandledRejection', (reason) => {
    unhandled += 1;
    if (unhandledExamples.length < 3) unhandledExamples.push(String(reason?.stack ?? reason).split('\n')[0]);
  });

  const child = fork(self, ['--sandbox-child'], { stdio: 'inherit' });
  const ready = await new Promise((resolve) => child.once('message', resolve));
  const { execute } = await import(join(root, 'dist/index.js'));
  const host = { allowLoopback: true, requestTimeoutMs: REQUEST_TIMEOUT_MS };
  const connections = ready.tokens.map((token) => ({
    type: 'api_token',
    apiAddress: ready.url,
    apiToken: token,
  }));

  const pick = (items) => items[Math.floor(Math.random() * items.length)];
  const login = () => pick(ready.logins);
  const group = () => pick(ready.departmentGroups);
  // [weight, action, input]: mostly reads, as flows are; the changes are toggles, so the org stays bounded.
  const MIX = [
    [20, 'get-user', () => ({ user: login() })],
    [8, 'find-user', () => ({ email: login() })],
    [10, 'list-users', () => ({ search: 'profile.department eq "Sales"', limit: 100, maxItems: 250 })],
    [6, 'list-groups', () => ({})],
    [8, 'get-group', () => ({ groupId: group() })],
    [8, 'list-group-members', () => ({ groupId: group(), limit: 100, maxItems: 200 })],
    [5, 'list-devices', () => ({ limit: 20 })],
    [8, 'add-user-to-group', () => ({ groupId: group(), user: login() })],
    [8, 'remove-user-from-group', () => ({ groupId: group(), user: login() })],
    [8, 'update-user', () => ({ user: login(), profile: { title: pick(['Analyst', 'Lead', 'Manager']) } })],
    [4, 'suspend-user', () => ({ user: login() })],
    [4, 'unsuspend-user', () => ({ user: login() })],
    [3, 'create-group', () => ({ name: `Soak ${Math.floor(Math.random() * 20)}` })],
  ];
  const totalWeight = MIX.reduce((sum, [weight]) => sum + weight, 0);
  const choose = () => {
    let r = Math.random() * totalWeight;
    for (const entry of MIX) {
      r -= entry[0];
      if (r < 0) return entry;
    }
    return MIX[0];
  };

  let done = 0;
  let threw = 0;
  const errors = {};
  const errorsSinceSample = {};
  const started = performance.now();
  let deadline = 0;
  // Run durations in a fixed histogram (1 ms buckets up to a minute): the soak's own bookkeeping must
  // not grow with the number of runs, or it would show as growth.
  const durations = new Uint32Array(60_001);
  const slowest = { ms: 0 };

  async function worker() {
    while (Date.now() < deadline) {
      const [, key, input] = choose();
      try {
        const result = await execute(key, { connection: pick(connections), input: input() }, host);
        durations[Math.min(durations.length - 1, result.meta.durationMs)] += 1;
        if (result.meta.durationMs > slowest.ms) {
          Object.assign(slowest, {
            ms: result.meta.durationMs,
            key,
            requests: result.meta.requests,
            outcome: result.ok ? 'ok' : result.error.code,
          });
        }
        if (!result.ok) {
          errors[result.error.code] = (errors[result.error.code] ?? 0) + 1;
          errorsSinceSample[result.error.code] = (errorsSinceSample[result.error.code] ?? 0) + 1;
        }
      } catch {
        // execute() promises never to throw; count it if it does.
        threw += 1;
      }
      done += 1;
    }
  }

  const samples = [];
  const sample = (note = '') => {
    globalThis.gc();
    globalThis.gc();
    const memory = process.memoryUsage();
    const codes = Object.entries(errorsSinceSample)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([code, n]) => `${code} ${n}`)
      .join(', ');
    for (const code of Object.keys(errorsSinceSample)) delete errorsSinceSample[code];
    const row = {
      note,
      t: (performance.now() - started) / 1000,
      rss: memory.rss / 2 ** 20,
      heap: memory.heapUsed / 2 ** 20,
      // Buffers (answer bodies) live outside the JS heap; RSS also holds pages the allocator keeps.
      external: memory.external / 2 ** 20,
      done,
      codes,
    };
    samples.push(row);
    console.log(
      `${row.t.toFixed(0).padStart(5)}  ${row.rss.toFixed(1).padStart(7)}  ${row.heap.toFixed(1).padStart(7)}  ${row.external.toFixed(1).padStart(6)}  ${String(done).padStart(10)}  ${codes || '-'}${note ? `  (${note})` : ''}`,
    );
    return row;
  };

  console.log(
    `Soak: ${CONCURRENCY} concurrent executions for ${SECONDS} s against one sandbox org (2000 users, 3 tokens), faults on; warm-up ${WARMUP} s, a sample every ${SAMPLE} s after a forced GC; request timeout ${REQUEST_TIMEOUT_MS} ms`,
  );
  console.log(
    `${'t s'.padStart(5)}  ${'rss MB'.padStart(7)}  ${'heap MB'.padStart(7)}  ${'ext MB'.padStart(6)}  ${'executions'.padStart(10)}  errors by code since the last sample`,
  );
  sample();
  const sampler = setInterval(sample, SAMPLE * 1000);
  // Two phases with the load drained in between: memory with no run in flight, after a full GC, at the
  // end of the warm-up and at the end is the fair comparison for a leak (under load it swings by ~10 MB
  // with the number and size of the runs in flight).
  const run = async (untilSecond) => {
    deadline = Date.now() + (untilSecond - (performance.now() - started) / 1000) * 1000;
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    // Let timers of finished runs run out first: backoffs, rate-limit holds, and each request's timeout
    // signal, which (with what its listener holds) lives until its timer fires.
    await new Promise((resolve) => setTimeout(resolve, SETTLE * 1000));
  };
  await run(WARMUP);
  const warm = sample('idle: end of the warm-up');
  await run(SECONDS);
  clearInterval(sampler);
  const end = sample('idle: end');

  child.send('stop');
  const stats = await new Promise((resolve) => child.once('message', resolve));

  const tail = samples.filter((row) => row.t > warm.t && row.t < end.t);
  const slope = (field) => {
    // Least-squares growth per minute over the samples after the warm-up: less noisy than two points.
    const n = tail.length;
    if (n < 5) return Number.NaN;
    const mt = tail.reduce((s, r) => s + r.t, 0) / n;
    const mv = tail.reduce((s, r) => s + r[field], 0) / n;
    const num = tail.reduce((s, r) => s + (r.t - mt) * (r[field] - mv), 0);
    const den = tail.reduce((s, r) => s + (r.t - mt) ** 2, 0);
    return (num / den) * 60;
  };
  const elapsed = (performance.now() - started) / 1000;
  console.log();
  console.log(
    `executions: ${done} in ${elapsed.toFixed(0)} s (${(done / elapsed).toFixed(0)}/s); errors by code: ${
      Object.entries(errors)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([code, n]) => `${code} ${n}`)
        .join(', ') || 'none'
    }; thrown out of execute(): ${threw}`,
  );
  const percentile = (p) => {
    let left = Math.floor(done * p);
    for (let ms = 0; ms < durations.length; ms += 1) {
      left -= durations[ms];
      if (left < 0) return ms;
    }
    return durations.length - 1;
  };
  console.log(
    `run durations: p50 ${percentile(0.5)} ms, p99 ${percentile(0.99)} ms, max ${slowest.ms} ms (${slowest.key}, ${slowest.requests} requests, ${slowest.outcome})`,
  );
  console.log(
    `sandbox: ${stats.served} requests served, ${stats.strikes} faults struck, ${stats.requestViolations} requests refused as breaking Okta's API description, ${stats.contractViolations} sandbox answers breaking it`,
  );
  console.log(
    `unhandled rejections: ${unhandled}${unhandledExamples.length ? ` (${unhandledExamples.join(' | ')})` : ''}`,
  );
  console.log(
    `growth from the end of the warm-up (t=${warm.t.toFixed(0)} s) to the end (t=${end.t.toFixed(0)} s), idle after a full GC: rss ${signed(end.rss - warm.rss)} MB, heap ${signed(end.heap - warm.heap)} MB, external ${signed(end.external - warm.external)} MB`,
  );
  console.log(
    `trend under load after the warm-up: rss ${signed(slope('rss'))} MB/min, heap ${signed(slope('heap'))} MB/min`,
  );
  process.exit(0);
}

function signed(value) {
  if (Number.isNaN(value)) return 'n/a';
  return `${value >= 0 ? '+' : ''}${value.toFixed(1)}`;
}
