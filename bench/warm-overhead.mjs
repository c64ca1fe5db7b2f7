#!/usr/bin/env node
/**
 * Scenario 2, warm action overhead: one user read, thousands of times, one at a time, over loopback to a
 * sandbox in a process of its own, three ways:
 *
 *   raw      fetch(GET /api/v1/users/{login}) and JSON.parse: the floor;
 *   SDK      the bare Okta SDK, client.userApi.getUser (what okta-actions wraps);
 *   execute  execute('get-user'): validation, connection, governor, transport, output check.
 *
 * Calls run in rounds, the three kinds in turn (rotating which goes first), after a warm-up; p50 and p99
 * of all calls, and for the p50 ratios the median over rounds of the ratio within each round. Then the
 * cost of validating get-user's input and output per call (measured on execute() itself, see
 * validationCost), against the raw request's p50.
 * Goals: execute p50 <= 1.15x the SDK's; validation < 5% of a loopback request.
 *
 * Scenario 2b, the floor (issue 17): the same get-user against a bare keep-alive HTTP server in this
 * process that answers every request with one fixed user (the sandbox's, with Okta's rate-limit headers),
 * two ways: a raw node:http GET on a keep-alive agent and JSON.parse (the floor), and execute('get-user')
 * with every guarantee on (input and output checked, secrets redacted, rate-limit reading taken,
 * timeouts, cancellation). Nothing else runs in the process meanwhile, so a call's latency is its CPU
 * work, the server's included. Goal: execute p50 <= 1.5x the raw GET's; CPU per call reported beside it.
 * A benchmark, not a test: it never fails the build.
 *
 *   node bench/warm-overhead.mjs [--calls 3000] [--rounds 10]
 */
import { createServer, Agent as HttpAgent, request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { argument, loadPlugin, median, percentile, report, spawnSandbox } from './lib.mjs';

const CALLS = argument('calls', 3000);
const ROUNDS = argument('rounds', 10);
const WARM_UP = 200;
const LOGIN = 'jane.doe@example.com';
const require = createRequire(import.meta.url);

async function main() {
  const { execute } = await loadPlugin();
  const sandbox = await spawnSandbox(['--rate-limit', '100000000']);
  try {
    const connection = { type: 'api_token', apiAddress: sandbox.url, apiToken: sandbox.token };
    const okta = require('@okta/okta-sdk-nodejs');
    const client = new okta.Client({
      orgUrl: sandbox.url,
      token: sandbox.token,
      cacheMiddleware: null,
      testing: { disableHttpsCheck: true },
    });
    const headers = { authorization: `SSWS ${sandbox.token}`, accept: 'application/json' };
    const userUrl = `${sandbox.url}/api/v1/users/${encodeURIComponent(LOGIN)}`;
    const kinds = {
      raw: async () => {
        const response = await fetch(userUrl, { headers });
        if (response.status !== 200) throw new Error(`raw: ${response.status}`);
        return response.json();
      },
      SDK: () => client.userApi.getUser({ userId: LOGIN }),
      execute: async () => {
        const result = await execute(
          'get-user',
          { connection, input: { user: LOGIN } },
          { allowLoopback: true },
        );
        if (!result.ok) throw new Error(`execute: ${result.error.message}`);
      },
    };
    const { all, rounds } = await measureCalls(kinds);
    const user = await (await fetch(userUrl, { headers })).text();
    const p = (kind, q) => percentile(all[kind], q);
    /** The median over rounds of one kind's round p50 over another's (see measureCalls). */
    const roundRatio = (kind, over) => median(rounds.map((round) => round[kind] / round[over]));
    const validationUs = await validationCost(execute, connection);
    const perRound = Math.round(CALLS / ROUNDS);
    report(
      `Scenario 2: warm get-user over loopback, ${perRound * ROUNDS} calls each in ${ROUNDS} interleaved rounds (ms per call)`,
      [
        {
          measure: 'execute p50 vs SDK p50 (median of round ratios)',
          baseline: p('SDK', 50),
          figure: p('execute', 50),
          ratio: roundRatio('execute', 'SDK'),
          goal: 1.15,
        },
        { measure: 'execute p99 vs SDK p99', baseline: p('SDK', 99), figure: p('execute', 99) },
        {
          measure: 'execute p50 vs raw fetch p50 (same)',
          baseline: p('raw', 50),
          figure: p('execute', 50),
          ratio: roundRatio('execute', 'raw'),
        },
        {
          measure: 'SDK p50 vs raw fetch p50 (same)',
          baseline: p('raw', 50),
          figure: p('SDK', 50),
          ratio: roundRatio('SDK', 'raw'),
        },
        {
          measure: 'validation (input + output) vs raw p50',
          baseline: p('raw', 50),
          figure: validationUs / 1000,
          goalText: '< 0.05',
          met: validationUs / 1000 / p('raw', 50) < 0.05,
        },
      ],
      [
        `p99: raw ${p('raw', 99).toFixed(2)} ms, SDK ${p('SDK', 99).toFixed(2)} ms, execute ${p('execute', 99).toFixed(2)} ms`,
        'the sandbox runs in its own process; calls are sequential (latency, not throughput)',
        "validation: its share of execute()'s CPU time in a profile, applied to the CPU time per call without one",
      ],
    );
    await floor(execute, user);
  } finally {
    await sandbox.close();
  }
}

/** Scenario 2b: execute() against a bare server answering one fixed user, vs a raw keep-alive GET. */
async function floor(execute, userJson) {
  const body = Buffer.from(userJson);
  const server = createServer((_request, response) => {
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': body.length,
      date: new Date().toUTCString(),
      'x-rate-limit-limit': '100000000',
      'x-rate-limit-remaining': '99999999',
      'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 60),
    });
    response.end(body);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((listening) => server.listen(0, '127.0.0.1', listening));
  const url = `http://127.0.0.1:${server.address().port}`;
  const agent = new HttpAgent({ keepAlive: true });
  const path = `/api/v1/users/${encodeURIComponent(LOGIN)}`;
  const headers = { authorization: 'SSWS 00floorTokenForTheBareServerOnly', accept: 'application/json' };
  const connection = { type: 'api_token', apiAddress: url, apiToken: '00floorTokenForTheBareServerOnly' };
  const kinds = {
    raw: () =>
      new Promise((resolve, reject) => {
        const sent = httpRequest(`${url}${path}`, { agent, headers }, (response) => {
          const chunks = [];
          response.on('data', (chunk) => chunks.push(chunk));
          response.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
          response.on('error', reject);
        });
        sent.on('error', reject);
        sent.end();
      }),
    execute: async () => {
      const result = await execute(
        'get-user',
        { connection, input: { user: LOGIN } },
        { allowLoopback: true },
      );
      if (!result.ok) throw new Error(`execute: ${result.error.message}`);
    },
  };
  try {
    const { all, rounds, cpu } = await measureCalls(kinds);
    const p = (kind, q) => percentile(all[kind], q);
    const rawCpu = median(cpu.raw);
    const executeCpu = median(cpu.execute);
    report(
      `Scenario 2b: the floor, get-user against a bare keep-alive server in this process, ${Math.round(CALLS / ROUNDS) * ROUNDS} calls each in ${ROUNDS} interleaved rounds (ms per call)`,
      [
        {
          measure: 'execute p50 vs raw node:http GET p50 (median of round ratios)',
          baseline: p('raw', 50),
          figure: p('execute', 50),
          ratio: median(rounds.map((round) => round.execute / round.raw)),
          goal: 1.5,
        },
        { measure: 'execute p99 vs raw p99', baseline: p('raw', 99), figure: p('execute', 99) },
        { measure: 'CPU per call (us, median of rounds)', baseline: rawCpu, figure: executeCpu },
      ],
      [
        `round ratios (execute p50 / raw p50): ${rounds.map((round) => (round.execute / round.raw).toFixed(2)).join(', ')}`,
        "CPU per call: this process's user + system time over a round's calls, the server's share included",
      ],
    );
  } finally {
    server.close();
    agent.destroy();
  }
}

/**
 * Latencies (ms) per kind, all calls and per round, and CPU time per call (us) in each round: a warm-up,
 * then rounds in which each kind makes
 * CALLS/ROUNDS calls. Rounds are seconds long, so a kind's round p50 and another's in the same round saw the
 * same machine; ratios of round p50s resist the drift of a shared machine better than one p50 over all.
 */
async function measureCalls(kinds) {
  const names = Object.keys(kinds);
  for (const name of names) for (let i = 0; i < WARM_UP; i++) await kinds[name]();
  const all = Object.fromEntries(names.map((name) => [name, []]));
  const cpu = Object.fromEntries(names.map((name) => [name, []]));
  const rounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length]);
    const p50s = {};
    for (const name of order) {
      const latencies = [];
      const cpuBefore = process.cpuUsage();
      for (let i = 0; i < CALLS / ROUNDS; i++) {
        const t0 = performance.now();
        await kinds[name]();
        latencies.push(performance.now() - t0);
      }
      const { user, system } = process.cpuUsage(cpuBefore);
      cpu[name].push((user + system) / latencies.length);
      all[name].push(...latencies);
      p50s[name] = percentile(latencies, 50);
    }
    rounds.push(p50s);
  }
  return { all, rounds, cpu };
}

/**
 * Microseconds per call spent validating, measured on execute() itself. A CPU profile of warm
 * execute('get-user') calls gives validation's share of the CPU time (the time inside the runtime's
 * checkInput and checkOutput: the input's copy with defaults, both Ajv validations); the profiler slows
 * everything it samples, so that share is applied to the CPU time per call measured without it.
 */
async function validationCost(execute, connection) {
  const N = 2_000;
  const calls = async () => {
    for (let i = 0; i < N; i++)
      await execute('get-user', { connection, input: { user: LOGIN } }, { allowLoopback: true });
  };
  const before = process.cpuUsage();
  await calls();
  const { user, system } = process.cpuUsage(before);
  const cpuPerCallUs = (user + system) / N;

  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 50 });
  await session.post('Profiler.start');
  await calls();
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const VALIDATION = new Set(['checkInput', 'checkOutput']);
  let validating = 0;
  let busy = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    if (byId.get(id).callFrame.functionName === '(idle)') return;
    busy += delta;
    for (let at = id; at !== undefined; at = parentOf.get(at)) {
      if (VALIDATION.has(byId.get(at).callFrame.functionName)) {
        validating += delta;
        return;
      }
    }
  });
  return (validating / busy) * cpuPerCallUs;
}

main().catch((error) => console.error('warm-overhead stopped:', error));
