#!/usr/bin/env node
/**
 * Bulk under a rate limit (issue 7, scenario 3): 1,000 deactivate-user runs, 20 at a time, against a sandbox
 * org that allows 600 requests a minute per endpoint, with the minute compressed (--time-scale 10: a minute
 * lasts 6 s).
 *
 * deactivate-user sends two requests per user: GET /api/v1/users/{login} (getUser) and POST
 * /api/v1/users/{id}/lifecycle/deactivate (deactivateUser). The sandbox, like Okta, budgets each endpoint on
 * its own, so each of the two budgets sees N requests and the two are spent side by side: at the limit's
 * rate, N requests take N / limit minutes (compressed). That is the bound. (The windows are fixed, so a
 * client that spends a window's budget at once and waits for the next can finish sooner.)
 *
 * Baseline: the plain Okta SDK with its default settings (a 429 is retried twice, after the announced
 * reset), sending the same two requests per user at the same concurrency. Each side gets its own fresh
 * sandbox, and the sides alternate run by run; figures are medians of --runs runs.
 * Goal: okta-actions finishes in <= 1.1 x the bound, with 0 failed actions and <= 1% of its requests
 * answered 429.
 *
 * For the last okta-actions run it prints each rate-limit window of each endpoint: requests let through,
 * requests refused (429), and how long after the window opened its first request came: the governor's wait
 * past the real reset. That wait is in real seconds, not compressed ones: Okta announces the reset and its
 * Date in whole seconds, and the governor (like Okta's SDKs) waits a second more, so it is 1 to 3 s
 * whatever the time scale: 2-5% of a real minute, but with a strongly compressed minute a large share of
 * each window. Hence the default time scale of 10; try --time-scale 20 (a 3 s minute) to see it dominate.
 *
 * A benchmark, not a test: it never fails the build.
 *
 *   node bench/bulk-rate-limit.mjs [--users 1000] [--concurrency 20] [--limit 600] [--time-scale 10]
 *                                  [--runs 3]
 */
import { createRequire } from 'node:module';
import { argument, loadPlugin, loadSandbox, median, report } from './lib.mjs';

const USERS = argument('users', 1000);
const CONCURRENCY = argument('concurrency', 20);
const LIMIT = argument('limit', 600);
const TIME_SCALE = argument('time-scale', 10);
const RUNS = argument('runs', 3);
const GOAL_RATIO = 1.1;
const GOAL_429_PERCENT = 1;
/** The two endpoints a deactivation uses, each with its own budget of LIMIT a (compressed) minute. */
const OPERATIONS = ['getUser', 'deactivateUser'];
const WINDOW_MS = 60_000 / TIME_SCALE;

try {
  await main();
} catch (error) {
  console.log(`bulk-rate-limit did not finish: ${error?.stack ?? error}`);
}

async function main() {
  const { execute } = await loadPlugin();
  const { startSandbox } = await loadSandbox();
  const okta = createRequire(import.meta.url)('@okta/okta-sdk-nodejs');
  const sides = {
    'okta-actions': (sandbox) => viaPlugin(execute, sandbox),
    'plain SDK': (sandbox) => viaSdk(okta, sandbox),
  };
  // The first run of each side would otherwise also pay for loading the SDK and compiling schemas.
  for (const run of Object.values(sides)) await warmUp(startSandbox, run);

  const runs = { 'okta-actions': [], 'plain SDK': [] };
  for (let i = 0; i < RUNS; i++) {
    for (const [name, run] of Object.entries(sides)) runs[name].push(await measure(startSandbox, run));
  }
  printReport(runs);
}

async function warmUp(startSandbox, run) {
  const sandbox = await startSandbox({ seed: 20 });
  try {
    await run(sandbox)(activeBulkLogins(sandbox).slice(0, CONCURRENCY));
  } finally {
    await sandbox.close();
  }
}

/** One side's run against a fresh sandbox: elapsed time, failures and what the sandbox answered. */
async function measure(startSandbox, run) {
  // Some bulk users are seeded staged or provisioned: seed enough for N active ones.
  const sandbox = await startSandbox({
    seed: Math.ceil(USERS * 1.1) + 50,
    rateLimit: { perMinute: LIMIT, timeScale: TIME_SCALE },
  });
  try {
    const logins = activeBulkLogins(sandbox).slice(0, USERS);
    if (logins.length < USERS) throw new Error(`the sandbox has only ${logins.length} active bulk users`);
    const takes = recordRateLimitDecisions(sandbox);
    const started = performance.now();
    const failures = await run(sandbox)(logins);
    const seconds = (performance.now() - started) / 1000;
    const statuses = sandbox.served.map((record) => record.status);
    return {
      seconds,
      failures,
      requests: statuses.length,
      refused: statuses.filter((status) => status === 429).length,
      windows: windowsOf(takes),
    };
  } finally {
    await sandbox.close();
  }
}

/** ACTIVE bulk-seeded users (name.surname.N@...): the base cast holds the token's own admin, not to touch. */
function activeBulkLogins(sandbox) {
  const users = sandbox.org.slice('users', () => undefined);
  return [...users.byId.values()]
    .filter((user) => user.status === 'ACTIVE' && /\.\d+@/.test(user.profile.login))
    .map((user) => user.profile.login);
}

/**
 * Every rate-limit decision the sandbox makes from now on, with its time: the sandbox keeps only each
 * request's status, and the windows need when. Only requests counted against a budget reach it.
 */
function recordRateLimitDecisions(sandbox) {
  const takes = [];
  const limiter = sandbox.rateLimits;
  const take = limiter.take.bind(limiter);
  limiter.take = (operationId, now = Date.now()) => {
    const decision = take(operationId, now);
    takes.push({ operationId, at: now, allowed: decision.allowed });
    return decision;
  };
  return takes;
}

/** Runs `work` for each item, `CONCURRENCY` at a time; resolves to the failures (each an error text). */
async function inParallel(items, work) {
  const queue = [...items];
  const failures = [];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      const failure = await work(item);
      if (failure) failures.push(failure);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return failures;
}

function viaPlugin(execute, sandbox) {
  const connection = { type: 'api_token', apiAddress: sandbox.url, apiToken: sandbox.token };
  return (logins) =>
    inParallel(logins, async (login) => {
      const result = await execute(
        'deactivate-user',
        { connection, input: { user: login } },
        { allowLoopback: true },
      );
      return result.ok ? undefined : `${result.error.code}: ${result.error.message}`;
    });
}

/** The same two requests with the SDK as it comes (no cache, as the plugin runs it). */
function viaSdk(okta, sandbox) {
  const client = new okta.Client({ orgUrl: sandbox.url, token: sandbox.token, cacheMiddleware: null });
  return (logins) =>
    inParallel(logins, async (login) => {
      try {
        const user = await client.userApi.getUser({ userId: login });
        await client.userApi.deactivateUser({ userId: user.id });
        return undefined;
      } catch (error) {
        return `${error.status ?? ''} ${error.message}`.trim();
      }
    });
}

/**
 * The sandbox's windows per endpoint, as it counts them: the first request opens one and the next ones
 * follow back to back, WINDOW_MS each. For each: let through, refused, and when its first and last
 * requests came.
 */
function windowsOf(takes) {
  const windows = [];
  for (const operationId of OPERATIONS) {
    const own = takes.filter((take) => take.operationId === operationId);
    if (own.length === 0) continue;
    const opened = own[0].at;
    for (const take of own) {
      const index = Math.floor((take.at - opened) / WINDOW_MS);
      let window = windows.find((w) => w.operationId === operationId && w.index === index);
      if (!window) {
        const lateMs = take.at - opened - index * WINDOW_MS;
        window = { operationId, index, allowed: 0, refused: 0, lateMs, lastMs: lateMs };
        windows.push(window);
      }
      if (take.allowed) window.allowed += 1;
      else window.refused += 1;
      window.lastMs = take.at - opened - index * WINDOW_MS;
    }
  }
  return windows;
}

function printReport(runs) {
  const ours = runs['okta-actions'];
  const sdk = runs['plain SDK'];
  const boundSeconds = (USERS / LIMIT) * (WINDOW_MS / 1000);
  const seconds = (side) => median(side.map((run) => run.seconds));
  const failed = (side) => median(side.map((run) => run.failures.length));
  const refusedPercent = (side) => median(side.map((run) => (100 * run.refused) / run.requests));

  const notes = [
    `${USERS} deactivate-user at concurrency ${CONCURRENCY}; sandbox limit ${LIMIT}/min for each endpoint, time scale ${TIME_SCALE} (a minute lasts ${WINDOW_MS / 1000} s).`,
    `Bound: each of getUser and deactivateUser gets ${USERS} requests on its own budget, spent side by side: ${USERS} / ${LIMIT} per minute = ${(USERS / LIMIT).toFixed(2)} min, compressed ${boundSeconds.toFixed(2)} s.`,
    `Medians of ${RUNS} runs each, alternating. Per run:`,
    `  okta-actions: ${perRun(ours)}`,
    `  plain SDK:    ${perRun(sdk)}`,
    ...firstFailure('okta-actions', ours),
    ...firstFailure('plain SDK', sdk),
    `Windows of the last okta-actions run (${WINDOW_MS / 1000} s each; times from the window's real start):`,
    ...describeWindows(ours.at(-1).windows),
    'Windows of the last plain SDK run:',
    ...describeWindows(sdk.at(-1).windows),
  ];
  report(
    `Bulk under a rate limit: ${USERS} deactivate-user, Node ${process.version}`,
    [
      {
        measure: 'elapsed, okta-actions (baseline: bound N/limit)',
        baseline: boundSeconds,
        figure: seconds(ours),
        unit: 's',
        goal: GOAL_RATIO,
      },
      {
        measure: 'elapsed, okta-actions (baseline: plain SDK)',
        baseline: seconds(sdk),
        figure: seconds(ours),
        unit: 's',
      },
      {
        measure: 'elapsed, plain SDK (baseline: bound N/limit)',
        baseline: boundSeconds,
        figure: seconds(sdk),
        unit: 's',
      },
      {
        measure: 'failed actions (baseline: plain SDK)',
        baseline: failed(sdk),
        figure: failed(ours),
        ratio: failed(sdk) ? failed(ours) / failed(sdk) : undefined,
        goalText: '0',
        met: ours.every((run) => run.failures.length === 0),
      },
      {
        measure: '429 answers, % of requests (baseline: plain SDK)',
        baseline: refusedPercent(sdk),
        figure: refusedPercent(ours),
        unit: '%',
        ratio: refusedPercent(sdk) ? refusedPercent(ours) / refusedPercent(sdk) : undefined,
        goalText: `<= ${GOAL_429_PERCENT} %`,
        met: refusedPercent(ours) <= GOAL_429_PERCENT,
      },
    ],
    notes,
  );
}

function perRun(side) {
  const list = (pick) => side.map(pick).join(', ');
  // The wait past the real reset: how late after its real start a later window got its first request.
  const late = (run) => Math.max(0, ...run.windows.filter((w) => w.index > 0).map((w) => w.lateMs)) / 1000;
  return `${list((r) => `${r.seconds.toFixed(2)} s`)}; failed ${list((r) => r.failures.length)}; 429s ${list((r) => `${r.refused}/${r.requests}`)}; later windows opened ${list((r) => `${late(r).toFixed(2)} s`)} late`;
}

function firstFailure(name, side) {
  const failure = side.flatMap((run) => run.failures)[0];
  return failure ? [`First failure (${name}): ${failure.slice(0, 200)}`] : [];
}

function describeWindows(windows) {
  return windows.map(
    (w) =>
      `  ${w.operationId.padEnd(14)} window ${w.index}: ${String(w.allowed).padStart(4)} let through, ${String(w.refused).padStart(4)} refused, first request at ${(w.lateMs / 1000).toFixed(2)} s, last at ${(w.lastMs / 1000).toFixed(2)} s`,
  );
}
