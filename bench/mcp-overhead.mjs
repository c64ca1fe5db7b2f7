#!/usr/bin/env node
/**
 * What an MCP tool call costs over calling execute() directly, measured in the same run. One sandbox org in
 * this process (no rate limit that could pace), and the same two calls made three ways:
 *
 *   execute  execute() from dist/index.js, in this process: the baseline;
 *   stdio    tools/call through the official SDK client to the real CLI server, `okta-actions mcp
 *            --connection <file> --allow-loopback`, a child process spoken to over its stdin and stdout;
 *   HTTP     the same server with --http --port 0 --token <t>, over Streamable HTTP on loopback.
 *
 * The calls: get-user (a ~2 KB answer) and list-users with the agent's default page of 10 users (a ~18 KB
 * answer, under the 20,000 characters the server caps an answer's text at), since a bigger structured answer costs more
 * to serialise and parse. The servers call the same sandbox, so the added time is what MCP puts around
 * execute(): JSON-RPC serialisation both ways, the hop to the other process (pipe or loopback HTTP), the
 * answer's text, and the client's check of structuredContent against the tool's output schema (the SDK
 * client does that once it has read tools/list, as an agent does).
 *
 * After a warm-up, calls run in rounds, every variant in turn (rotating which goes first), so that machine
 * noise hits all alike; p50 and p95 over all calls, the ratio of each MCP p50 to execute()'s, and the
 * milliseconds added per call (the p50 difference). A benchmark with no goal: it exits non-zero only when a
 * call fails (isError, or an answer without the user or the page).
 *
 *   node bench/mcp-overhead.mjs [--rounds 10] [--calls 150] [--list-calls 40]   (calls per variant per round)
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { argument, loadPlugin, loadSandbox, median, percentile, report, root } from './lib.mjs';

const ROUNDS = argument('rounds', 10);
const GET_CALLS = argument('calls', 150);
const LIST_CALLS = argument('list-calls', 40);
// With 500 and 100, the first two rounds of every variant were still slower than the rest (MCP's most).
const WARM_UP = { get: 1500, list: 300 };
const LOGIN = 'jane.doe@example.com';
/** The MCP server's default page for agents (AGENT_PAGE_SIZE in src/mcp/tools.ts). */
const PAGE = 10;
const CLI = join(root, 'dist/cli.js');

/**
 * Node 20's fetch keeps an abort listener per request on the signal it is given until the request is
 * garbage-collected (nodejs/node#47449), and the SDK's HTTP client transport gives every request its one
 * long-lived signal: past 1,500 requests not yet collected, Node warns, once per request, on stderr. Those
 * warnings (the client's, not the server's) are counted and said in one line under the table instead;
 * every other warning is printed as Node prints it.
 */
let listenerWarnings = 0;
const printWarning = process.listeners('warning');
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name === 'MaxListenersExceededWarning' && /abort listeners/.test(warning.message)) {
    listenerWarnings++;
    return;
  }
  for (const print of printWarning) print(warning);
});

async function main() {
  const { execute } = await loadPlugin();
  const { startSandbox } = await loadSandbox();
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run npm run build');
  const sandbox = await startSandbox({ seed: 100, rateLimit: { perMinute: 10_000_000 } });
  const connection = { type: 'api_token', apiAddress: sandbox.url, apiToken: sandbox.token };
  const dir = await mkdtemp(join(tmpdir(), 'okta-actions-mcp-bench-'));
  const servers = [];
  try {
    const file = join(dir, 'connection.json');
    await writeFile(file, JSON.stringify(connection), { mode: 0o600 });
    servers.push(await startStdio(file));
    servers.push(await startHttp(file));
    const [stdio, http] = servers;
    const direct = async (action, input) => {
      const result = await execute(action, { connection, input }, { allowLoopback: true });
      if (!result.ok) throw new Error(`execute ${action}: ${result.error.code} ${result.error.message}`);
      return result.output;
    };
    const viaMcp = (server) => async (action, input) => {
      const result = await server.client.callTool({ name: action, arguments: input });
      if (result.isError) throw new Error(`${server.name} ${action}: ${result.content?.[0]?.text}`);
      return result.structuredContent;
    };
    const ways = { execute: direct, stdio: viaMcp(stdio), HTTP: viaMcp(http) };
    const variants = {};
    for (const [way, call] of Object.entries(ways)) {
      variants[`get ${way}`] = async () => checkUser(await call('get-user', { user: LOGIN }), way);
      // The MCP server fills in maxItems PAGE when the agent leaves it out; execute() is given the same.
      const listInput = way === 'execute' ? { maxItems: PAGE } : {};
      variants[`list ${way}`] = async () => checkPage(await call('list-users', listInput), way);
    }
    const sizes = await answerSizes(direct, stdio.client);
    const { all, rounds } = await measure(variants);
    printResults(all, rounds, servers, sizes);
  } finally {
    for (const server of servers) await server.close();
    await rm(dir, { recursive: true, force: true });
    await sandbox.close();
  }
}

function checkUser(output, way) {
  if (output?.login !== LOGIN) throw new Error(`${way} get-user: the answer does not hold ${LOGIN}`);
}

function checkPage(output, way) {
  const users = output?.users;
  if (!Array.isArray(users) || users.length !== PAGE || typeof users[0]?.profile?.login !== 'string') {
    throw new Error(`${way} list-users: the answer does not hold a page of ${PAGE} users`);
  }
}

/** The MCP server over stdio, started by the SDK's transport as a client would start it. */
async function startStdio(file) {
  const started = performance.now();
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp', '--connection', file, '--allow-loopback'],
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const client = new Client({ name: 'mcp-overhead-bench', version: '1.0.0' });
  try {
    await client.connect(transport);
  } catch (error) {
    await transport.close();
    throw new Error(`the stdio server did not start: ${error.message}\n${stderr}`);
  }
  return ready('stdio', client, started, () => client.close());
}

/** The MCP server over Streamable HTTP in a child process: the URL is read from what it prints. */
async function startHttp(file) {
  const started = performance.now();
  const token = randomBytes(24).toString('hex');
  const args = [CLI, 'mcp', '--http', '--port', '0', '--token', token];
  const child = spawn(process.execPath, [...args, '--connection', file, '--allow-loopback'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // However this process ends (a failure included), the server ends with it.
  const kill = () => child.kill();
  process.once('exit', kill);
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`the HTTP server exited (${code}):\n${stderr}`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /(http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(out);
      if (!match) return;
      child.removeAllListeners('exit');
      resolve(match[1]);
    });
  });
  const stop = async () => {
    process.removeListener('exit', kill);
    if (child.exitCode === null) await new Promise((done) => child.once('exit', done).kill('SIGTERM'));
  };
  const client = new Client({ name: 'mcp-overhead-bench', version: '1.0.0' });
  try {
    await client.connect(
      new StreamableHTTPClientTransport(new URL(url), {
        requestInit: { headers: { Authorization: `Bearer ${token}` } },
      }),
    );
  } catch (error) {
    await stop();
    throw new Error(`could not connect to the HTTP server: ${error.message}\n${stderr}`);
  }
  return ready('HTTP', client, started, async () => {
    await client.close();
    await stop();
  });
}

/**
 * A started server: the time from spawning it to an initialized session, and then tools/list, which an
 * agent reads first (and after which the SDK client checks every answer against the tool's output schema).
 */
async function ready(name, client, started, close) {
  const startMs = performance.now() - started;
  const listStarted = performance.now();
  const { tools } = await client.listTools();
  const listMs = performance.now() - listStarted;
  if (!tools.some((tool) => tool.name === 'get-user')) throw new Error(`${name}: no get-user tool listed`);
  return { name, client, startMs, listMs, toolCount: tools.length, close };
}

/** Bytes of the answers: execute()'s output as JSON, and a whole MCP tools/call result as JSON. */
async function answerSizes(direct, client) {
  const kb = (value) => Buffer.byteLength(JSON.stringify(value)) / 1024;
  return {
    get: {
      output: kb(await direct('get-user', { user: LOGIN })),
      result: kb(await client.callTool({ name: 'get-user', arguments: { user: LOGIN } })),
    },
    list: {
      output: kb(await direct('list-users', { maxItems: PAGE })),
      result: kb(await client.callTool({ name: 'list-users', arguments: {} })),
    },
  };
}

/**
 * Latencies (ms) per variant, all calls and each round's p50: a warm-up, then ROUNDS rounds in which every
 * variant makes its calls (GET_CALLS or LIST_CALLS), the order rotating from round to round.
 */
async function measure(variants) {
  const names = Object.keys(variants);
  const callsOf = (name) => (name.startsWith('get') ? GET_CALLS : LIST_CALLS);
  for (const name of names) {
    const count = name.startsWith('get') ? WARM_UP.get : WARM_UP.list;
    for (let i = 0; i < count; i++) await variants[name]();
  }
  const all = Object.fromEntries(names.map((name) => [name, []]));
  const rounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    const p50s = {};
    for (const name of names.map((_, i) => names[(i + round) % names.length])) {
      const latencies = [];
      for (let i = 0; i < callsOf(name); i++) {
        const t0 = performance.now();
        await variants[name]();
        latencies.push(performance.now() - t0);
      }
      all[name].push(...latencies);
      p50s[name] = percentile(latencies, 50);
    }
    rounds.push(p50s);
  }
  return { all, rounds };
}

function printResults(all, rounds, servers, sizes) {
  const p = (name, q) => percentile(all[name], q);
  const roundRatio = (name, over) => median(rounds.map((round) => round[name] / round[over]));
  const rows = [];
  const notes = [];
  for (const [call, action] of [
    ['get', 'get-user'],
    ['list', 'list-users'],
  ]) {
    const base = `${call} execute`;
    const roundP50s = (name) => rounds.map((round) => round[name].toFixed(2)).join(', ');
    notes.push(`${action} execute(): round p50s ${roundP50s(base)} ms`);
    for (const way of ['stdio', 'HTTP']) {
      const name = `${call} ${way}`;
      const row = (measure, baseline, figure) => ({ measure, baseline, figure, unit: 'ms' });
      rows.push(
        row(`${action} p50, MCP ${way} vs execute()`, p(base, 50), p(name, 50)),
        row(`${action} p95, MCP ${way} vs execute()`, p(base, 95), p(name, 95)),
        row(`${action} added per call (p50), MCP ${way}`, undefined, p(name, 50) - p(base, 50)),
      );
      notes.push(
        `${action} MCP ${way}: round p50s ${roundP50s(name)} ms; median of round ratios ${roundRatio(name, base).toFixed(3)}`,
      );
    }
  }
  const kb = (value) => `${value.toFixed(1)} KB`;
  report(
    `MCP tool call vs execute() in process, ${ROUNDS} interleaved rounds: get-user ${GET_CALLS * ROUNDS} calls each, list-users ${LIST_CALLS * ROUNDS} (ms per call)`,
    rows,
    [
      'execute() runs in this process; each MCP server in a child process (node dist/cli.js mcp), reached over its',
      'stdio pipes or loopback HTTP. The added time is JSON-RPC serialisation both ways, that hop, the answer text,',
      "and the SDK client's output schema check. All call the same sandbox org, in this process; calls are sequential.",
      ...notes,
      `answer sizes: get-user output ${kb(sizes.get.output)}, tools/call result ${kb(sizes.get.result)}; list-users (${PAGE}) output ${kb(sizes.list.output)}, tools/call result ${kb(sizes.list.result)} (structuredContent + text)`,
      ...servers.map(
        (s) =>
          `${s.name} server: spawn to initialized ${s.startMs.toFixed(0)} ms; tools/list (${s.toolCount} tools) ${s.listMs.toFixed(0)} ms`,
      ),
      ...(listenerWarnings > 0
        ? [
            `${listenerWarnings} MaxListenersExceededWarning(s) of abort listeners held back: the SDK's HTTP client transport passes`,
            "one signal to every fetch, which holds a listener on it until the request is garbage-collected (the client's).",
          ]
        : []),
    ],
  );
}

console.log(`Node ${process.version}, ${new Date().toISOString()}`);
main().catch((error) => {
  console.error('mcp-overhead failed:', error);
  process.exitCode = 1;
});
