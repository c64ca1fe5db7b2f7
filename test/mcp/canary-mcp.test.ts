/**
 * Secret canary for the MCP server: distinctive secrets go in, and none may come out of a tool answer
 * (its text and its structured content), an error, a prompt to the person, the tool list, anything written
 * to console or stdout/stderr, or the sandbox's System Log.
 *
 * The secrets: the connection's API token (the sandbox is started with it, so it works), a wrong token
 * (401), a non-admin token (403), a password-like input secret in every input field that takes a secret
 * (and, in the invalid-input runs, in an unknown field or a secret field made too long), and the HTTP
 * transport's bearer token.
 *
 * The calls: every tool with a working example (test/helpers/action-examples.ts), destructive ones first
 * without confirmation (the plan answer), then with confirm: true; then every tool again in each failure
 * kind (Okta answering 500 or 429, a reset connection, malformed JSON, Okta quoting the token back, a
 * wrong token, a non-admin token, invalid input); destructive calls a person declines or accepts; and the
 * Streamable HTTP transport, including requests refused for a wrong bearer token. Each run counts the
 * answers it searched, so that no test passes by searching nothing.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { type ActionKey, manifest } from '../../src/index.js';
import { startMcpHttp } from '../../src/mcp/http.js';
import { buildToolCatalog, createMcpServer } from '../../src/mcp/server.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { type Examples, JANE, sandboxExamples } from '../helpers/action-examples.js';
import {
  CANARY_HOST,
  captureWrites,
  type Evidence,
  evidenceOf,
  leaksIn as leaksOf,
  needlesOf,
  outcome,
} from '../helpers/canary.js';
import { inPool } from '../helpers/pool.js';
import { textOf } from './helpers.js';

const API_TOKEN = '00CanaryMcpTokenV3n8Qz5Rw1Kx7Tb4Yh9Ld2Gs';
const WRONG_TOKEN = '00CanaryMcpWrongTokenP6mW2xC9vB4nZ7kL1Jq';
const NON_ADMIN_TOKEN = '00CanaryMcpNonAdminH3jD8fS5aG1kQ9wE6rT2y';
/** Meets the sandbox's password policy (8+ characters, upper and lower case, a digit), so runs succeed. */
const INPUT_SECRET = 'CanaryMcpPw-8Wd3Xk6Tn';
/** The bearer token of the HTTP transport. */
const BEARER = 'CanaryMcpBearer-Zp4Vq8Ns2Lx6Rt0Hm';

const NEEDLES = needlesOf([API_TOKEN, WRONG_TOKEN, NON_ADMIN_TOKEN, INPUT_SECRET, BEARER]);
const leaksIn = (evidence: Evidence[]) => leaksOf(evidence, NEEDLES);
captureWrites(() => NEEDLES);

const examples: Examples = sandboxExamples(INPUT_SECRET);
const keys = manifest.actions.map((action) => action.key as ActionKey);
const destructive = new Set(manifest.actions.filter((a) => a.annotations.destructive).map((a) => a.key));

const connectionTo = (sandbox: Sandbox, apiToken = API_TOKEN) => ({
  type: 'api_token',
  apiAddress: sandbox.url,
  apiToken,
});

/** A fresh org that accepts the canary token, per run, so every example finds the state it expects. */
const newSandbox = () => startSandbox({ token: API_TOKEN, rateLimit: { perMinute: 100_000 } });

const catalogFor = (sandbox: Sandbox, apiToken: string, checkCapabilities: boolean) =>
  buildToolCatalog({
    connections: [{ name: 'canary', connection: connectionTo(sandbox, apiToken) }],
    hostOptions: CANARY_HOST,
    checkCapabilities,
  });

/**
 * An MCP client on a server of every tool, over the in-memory transport, built as test/mcp/helpers.ts
 * builds it but with the connection's token of the test's choosing and the canary's short host limits.
 * With `elicit`, the client can ask the person, who always answers that way; `asked` keeps the prompts.
 */
async function connect(
  sandbox: Sandbox,
  apiToken = API_TOKEN,
  elicit?: 'accept' | 'decline',
  checkCapabilities = false,
) {
  // Unchecked by default: every tool is served, so the wrong and non-admin tokens reach Okta and fail there.
  const server = createMcpServer(await catalogFor(sandbox, apiToken, checkCapabilities));
  const client = new Client(
    { name: 'canary-client', version: '1.0.0' },
    { capabilities: elicit ? { elicitation: {} } : {} },
  );
  const asked: string[] = [];
  if (elicit) {
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      asked.push(request.params.message);
      return elicit === 'accept' ? { action: 'accept', content: { confirm: true } } : { action: 'decline' };
    });
  }
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  return { client, asked };
}

type Ran = Awaited<ReturnType<typeof outcome>>;

/** The tool's answer, or what the call threw (a protocol error). */
function call(client: Client, name: string, args: Record<string, unknown>): Promise<Ran> {
  return outcome(() => client.callTool({ name, arguments: args }));
}

/**
 * The error code of an answer with isError; undefined for an answer without it. The code comes first in
 * the text, so it is read even from a cut one.
 */
function errorCodeOf(ran: Ran): string | undefined {
  const result = ran.result as { isError?: boolean } | undefined;
  if (!result?.isError) return undefined;
  return /^\{\s*"error":\s*\{\s*"code":\s*"([A-Z_]+)"/.exec(textOf(result))?.[1] ?? 'NO CODE';
}

/** What runs found: how many answers were searched, and what went wrong (an answer not as expected, a leak). */
interface Findings {
  answers: number;
  problems: string[];
}

/** A fresh sandbox for one run, closed afterwards; the run's findings with the System Log searched too. */
async function inSandbox(
  label: string,
  run: (sandbox: Sandbox) => Promise<{ evidence: Evidence[]; answers: number; wrong: string[] }>,
): Promise<Findings> {
  const sandbox = await newSandbox();
  try {
    const { evidence, answers, wrong } = await run(sandbox);
    const log = { where: `${label}: System Log`, text: JSON.stringify(sandbox.org.log.events) };
    return { answers, problems: [...wrong, ...leaksIn([...evidence, log])] };
  } finally {
    await sandbox.close();
  }
}

/** The findings of many runs, summed. */
function summed(findings: Findings[]): Findings {
  return {
    answers: findings.reduce((sum, f) => sum + f.answers, 0),
    problems: findings.flatMap((f) => f.problems),
  };
}

// ---------------------------------------------------------------------------------------------------------

/** One tool with its example: a destructive one answers its plan first, then runs with confirm: true. */
function workingRun(key: ActionKey) {
  return inSandbox(key, async (sandbox) => {
    const { client } = await connect(sandbox);
    const input = (await examples[key](sandbox as never)) as Record<string, unknown>;
    const evidence: Evidence[] = [];
    const wrong: string[] = [];
    if (destructive.has(key)) {
      const plan = await call(client, key, input);
      if (errorCodeOf(plan) !== 'CONFIRMATION_REQUIRED')
        wrong.push(`${key}: no plan: ${JSON.stringify(plan)}`);
      evidence.push(...evidenceOf(`${key} (plan)`, plan));
    }
    const ran = await call(client, key, destructive.has(key) ? { ...input, confirm: true } : input);
    // The example must really work, or the secret would not go where it is meant to go.
    const expected = key === 'get-user-info' ? 'UNSUPPORTED' : undefined;
    if (ran.thrown || errorCodeOf(ran) !== expected) wrong.push(`${key}: ${JSON.stringify(ran)}`);
    evidence.push(...evidenceOf(key, ran));
    await client.close();
    return { evidence, answers: destructive.has(key) ? 2 : 1, wrong };
  });
}

describe('canary MCP: successful calls', () => {
  it('every tool with its working example (destructive ones: the plan, then confirm: true)', async () => {
    const found = summed(await inPool(keys, 16, workingRun));
    expect(found.problems).toEqual([]);
    expect(found.answers).toBe(keys.length + destructive.size);
  }, 120_000);

  it('the tool list and the server instructions', async () => {
    const found = await inSandbox('tools/list', async (sandbox) => {
      const { client } = await connect(sandbox);
      const listed = await outcome(() => client.listTools());
      const instructions = { where: 'instructions', text: client.getInstructions() ?? '' };
      await client.close();
      const count = (listed.result as { tools: unknown[] }).tools.length;
      // Every action, and explain-hidden-tools.
      const wrong = count === keys.length + 1 ? [] : [`${count} tools listed`];
      return { evidence: [...evidenceOf('tools/list', listed), instructions], answers: 1, wrong };
    });
    expect(found).toEqual({ answers: 1, problems: [] });
  });

  it('the connection test at start and explain-hidden-tools, with each token', async () => {
    const found = await inSandbox('explain-hidden-tools', async (sandbox) => {
      sandbox.addToken(NON_ADMIN_TOKEN, { admin: false });
      const evidence: Evidence[] = [];
      const hiddenCounts: number[] = [];
      for (const token of [API_TOKEN, WRONG_TOKEN, NON_ADMIN_TOKEN]) {
        const { client } = await connect(sandbox, token, undefined, true);
        const explained = await outcome(() =>
          client.callTool({ name: 'explain-hidden-tools', arguments: {} }),
        );
        const tools = await outcome(() => client.listTools());
        await client.close();
        evidence.push(...evidenceOf('explain-hidden-tools', explained), ...evidenceOf('tools/list', tools));
        const report = (explained.result as { structuredContent: { connections: { hidden: unknown[] }[] } })
          .structuredContent.connections[0]!;
        hiddenCounts.push(report.hidden.length);
      }
      // The admin lacks only get-user-info; the wrong and the non-admin token fail the test (401, 403), and a
      // failed test hides nothing: each call says what is wrong.
      const wrong = hiddenCounts.join() === '1,0,0' ? [] : [`hidden: ${hiddenCounts.join()}`];
      return { evidence, answers: 6, wrong };
    });
    expect(found).toEqual({ answers: 6, problems: [] });
  });
});

// ---------------------------------------------------------------------------------------------------------

/** An Okta error body whose text quotes something back. */
function echoing(text: string) {
  return {
    errorCode: 'E0000001',
    errorSummary: `Api validation failed: ${text}`,
    errorLink: 'E0000001',
    errorId: 'oaeCanaryMcpEcho00001',
    errorCauses: [{ errorSummary: text }],
  };
}

/** A secret field's value made too long (the secret still in it), or the secret in an unknown field. */
function badInput(key: ActionKey, input: Record<string, unknown>): Record<string, unknown> {
  const field = ['password', 'authHeaderValue'].find((name) => input[name] === INPUT_SECRET);
  if (!field || key === 'call-okta-api') return { ...input, secretFromCanary: INPUT_SECRET };
  return { ...input, [field]: INPUT_SECRET.repeat(60) };
}

interface FailureKind {
  name: string;
  /** The error code every tool that sends a request answers (get-user-info sends none: UNSUPPORTED). */
  code: string;
  /** Found before any request: get-user-info fails this way too. */
  beforeRequest?: boolean;
  token?: string;
  fault?: Parameters<Sandbox['faults']['add']>[0]['fault'];
  input?: (key: ActionKey, input: Record<string, unknown>) => Record<string, unknown>;
}

const FAILURES: FailureKind[] = [
  { name: 'Okta answers 500', code: 'UPSTREAM', fault: { kind: 'status', status: 500 } },
  { name: 'Okta answers 429', code: 'RATE_LIMITED', fault: { kind: 'status', status: 429 } },
  { name: 'the connection is reset', code: 'NETWORK', fault: { kind: 'reset' } },
  { name: 'the answer is malformed JSON', code: 'UPSTREAM', fault: { kind: 'malformed-json' } },
  {
    // Okta never quotes a token back, but a proxy or a future message might.
    name: "Okta's error text quotes the connection's token back",
    code: 'INVALID_INPUT',
    fault: { kind: 'status', status: 400, body: echoing(`token ${API_TOKEN} is not allowed`) },
  },
  { name: 'a wrong token (401)', code: 'UNAUTHORIZED', token: WRONG_TOKEN },
  { name: 'a non-admin token (403)', code: 'FORBIDDEN', token: NON_ADMIN_TOKEN },
  {
    name: 'invalid input with the secret in it',
    code: 'INVALID_INPUT',
    beforeRequest: true,
    input: badInput,
  },
];

/** One tool in one failure kind; destructive ones with confirm: true, so that the call is sent. */
function failingRun(kind: FailureKind, key: ActionKey) {
  return inSandbox(`${kind.name}: ${key}`, async (sandbox) => {
    sandbox.addToken(NON_ADMIN_TOKEN, { admin: false });
    const example = (await examples[key](sandbox as never)) as Record<string, unknown>;
    const input = kind.input ? kind.input(key, example) : example;
    if (kind.fault) sandbox.faults.add({ fault: kind.fault });
    const { client } = await connect(sandbox, kind.token);
    const ran = await call(client, key, destructive.has(key) ? { ...input, confirm: true } : input);
    await client.close();
    const expected = key === 'get-user-info' && !kind.beforeRequest ? 'UNSUPPORTED' : kind.code;
    // The call must have failed the intended way, or this kind would test nothing.
    const code = errorCodeOf(ran);
    const wrong =
      code === expected ? [] : [`${key} answered ${code}, not ${expected}: ${JSON.stringify(ran)}`];
    return { evidence: evidenceOf(`${kind.name}: ${key}`, ran), answers: 1, wrong };
  });
}

/** The tools that take a secret in their input; Okta quoting it back must not bring it to the answer. */
const SECRET_TAKERS: ActionKey[] = [
  'create-user',
  'set-password',
  'assign-user-to-app',
  'update-app-user',
  'create-event-hook',
];
const PASSWORD_ECHO: FailureKind = {
  name: "Okta's error text quotes the input's secret back",
  code: 'INVALID_INPUT',
  fault: { kind: 'status', status: 400, body: echoing(`password ${INPUT_SECRET} is not allowed`) },
};

describe('canary MCP: failing calls', () => {
  for (const kind of FAILURES) {
    it(`every tool: ${kind.name}`, async () => {
      const found = summed(await inPool(keys, 24, (key) => failingRun(kind, key)));
      expect(found.problems).toEqual([]);
      expect(found.answers).toBe(keys.length);
    }, 60_000);
  }

  it(`the tools taking a secret: ${PASSWORD_ECHO.name}`, async () => {
    const found = summed(await inPool(SECRET_TAKERS, 5, (key) => failingRun(PASSWORD_ECHO, key)));
    expect(found).toEqual({ answers: SECRET_TAKERS.length, problems: [] });
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('canary MCP: a person asked to confirm', () => {
  const cases: Array<[ActionKey, Record<string, unknown>]> = [
    ['set-password', { user: JANE, password: INPUT_SECRET }],
    ['delete-user', { user: 'lukas.weber@example.com' }],
  ];
  for (const answer of ['decline', 'accept'] as const) {
    it(`declines or accepts: ${answer}`, async () => {
      const found = summed(
        await inPool(cases, 2, ([key, input]) =>
          inSandbox(`${key} (${answer})`, async (sandbox) => {
            const { client, asked } = await connect(sandbox, API_TOKEN, answer);
            const ran = await call(client, key, { ...input, confirm: true });
            await client.close();
            const code = errorCodeOf(ran);
            const wrong =
              asked.length === 1 && code === (answer === 'decline' ? 'DECLINED' : undefined)
                ? []
                : [`${key}: asked ${asked.length}, answered ${code}: ${JSON.stringify(ran)}`];
            const prompts = { where: `${key}: prompt to the person`, text: asked.join('\n') };
            return { evidence: [...evidenceOf(key, ran), prompts], answers: 2, wrong };
          }),
        ),
      );
      expect(found).toEqual({ answers: 4, problems: [] });
    });
  }
});

// ---------------------------------------------------------------------------------------------------------

/** A raw initialize request to the HTTP server with this Authorization header: the status and the answer. */
async function initializeWith(url: string, authorization: string | undefined): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(authorization ? { authorization } : {}),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'c', version: '1' } },
    }),
  });
  return `${response.status} ${JSON.stringify([...response.headers])} ${await response.text()}`;
}

/** Tools over Streamable HTTP: a read, a create with the password, a confirmed set-password, a 500. */
async function httpCalls(sandbox: Sandbox, url: string): Promise<{ evidence: Evidence[]; wrong: string[] }> {
  const client = new Client({ name: 'canary-http', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { Authorization: `Bearer ${BEARER}` } },
    }),
  );
  const runs: Array<[string, Ran, string | undefined]> = [];
  const run = async (name: string, args: Record<string, unknown>, expected?: string) =>
    runs.push([name, await call(client, name, args), expected]);
  await run('get-user', { user: JANE });
  await run('create-user', { ...(await examples['create-user'](sandbox)) });
  await run('set-password', { user: JANE, password: INPUT_SECRET, confirm: true });
  const fault = sandbox.faults.add({ fault: { kind: 'status', status: 500 } });
  await run('list-users', {}, 'UPSTREAM');
  fault();
  await client.close();
  return {
    evidence: runs.flatMap(([name, ran]) => evidenceOf(`HTTP ${name}`, ran)),
    wrong: runs
      .filter(([, ran, expected]) => ran.thrown || errorCodeOf(ran) !== expected)
      .map(([name, ran]) => `HTTP ${name}: ${JSON.stringify(ran)}`),
  };
}

describe('canary MCP: over Streamable HTTP', () => {
  it('answers, errors and refusals of a wrong bearer token carry no secret', async () => {
    const found = await inSandbox('HTTP', async (sandbox) => {
      const server = await startMcpHttp({
        port: 0,
        token: BEARER,
        catalog: await catalogFor(sandbox, API_TOKEN, true),
      });
      try {
        const { evidence, wrong } = await httpCalls(sandbox, server.url);
        const wrongBearers = [
          undefined,
          `Bearer ${BEARER}x`,
          `Bearer ${BEARER.slice(0, -1)}`,
          `Bearer ${API_TOKEN}`,
        ];
        const refusals = await Promise.all(wrongBearers.map((bearer) => initializeWith(server.url, bearer)));
        for (const refusal of refusals)
          if (!refusal.startsWith('401 ')) wrong.push(`not refused: ${refusal}`);
        evidence.push({ where: 'HTTP refusals (status, headers, body)', text: refusals.join('\n') });
        return { evidence, answers: 4 + refusals.length, wrong };
      } finally {
        await server.close();
      }
    });
    expect(found).toEqual({ answers: 8, problems: [] });
  });
});
