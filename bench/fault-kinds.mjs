/**
 * The fault kinds of the reliability drills and the rule each outcome is judged by, shared by the drill
 * (bench/fault-drill.mjs, every action) and its fast CI version (test/sandbox/faults.test.ts, a subset), so
 * both apply one definition of "the right envelope".
 *
 * Two families of faults:
 *   - the sandbox's own faults (`sandbox.faults`, rate limits): they strike BEFORE the sandbox runs the
 *     operation, so Okta never acted on the request. They test retries, timeouts and honest envelopes.
 *   - "lost answer" faults, from a proxy in front of the sandbox (startLossyProxy): the request reaches the
 *     sandbox and is carried out, then the answer is lost (connection reset, no answer before the timeout,
 *     a gateway's 502). That is the ambiguous failure that turns a blind re-send of a create into a
 *     duplicate, which the sandbox's faults cannot produce.
 *
 * Nothing here imports the plugin: the callers pass in a sandbox (from dist/ or from src/).
 */
import { createServer, request } from 'node:http';

/** How long a 429 storm keeps the operation's budget at zero (the sandbox runs with a 1 s minute). */
export const STORM_MS = 1500;
/** The per-window budget during a storm (all of it spent by the other integration). */
const STORM_BUDGET = 10;
/** The host's request timeout when a request hangs (or its answer is held), and the slow responses' delay. */
export const TIMEOUT_MS = 500;
export const SLOW_MS = 400;
export const SLOW_TIMEOUT_MS = 2000;
/** The host's request timeout under a truncated body (see the kind). */
export const TRUNCATE_TIMEOUT_MS = 1000;

const retryable = (code) => ({ code, retryable: true });

/**
 * Each kind: `arm(target)` programs the fault for one run and returns `{ struck(), disarm() }`; `host` is
 * the host options the run needs; `expect` the error envelopes that are right when the run fails (an
 * empty list: the run must succeed); `lists`/`changes` limit the kind to list actions or to actions that
 * change Okta (a proxy is needed for the latter).
 *
 * target: { sandbox, proxy?, ops: operationIds to strike, perMinute?: the budget to restore }
 */
export const FAULT_KINDS = [
  {
    name: '429 storm',
    // Another integration spends the operations' budget as soon as each window opens, for STORM_MS: Okta
    // answers 429 E0000047 with X-Rate-Limit-Limit/-Remaining: 0/-Reset as it does. Waiting it out and
    // retrying is right; so is RATE_LIMITED with retryAfterMs when the wait is too long. (setLimit(op, 0)
    // would be simpler, but it announces a limit of 0, which Okta never does.)
    arm({ sandbox, ops, perMinute = 600 }) {
      const from = sandbox.served.length;
      const refused = () => sandbox.served.slice(from).filter((served) => served.status === 429).length;
      let timer;
      const end = () => {
        clearInterval(hog);
        clearTimeout(timer);
        for (const op of ops) sandbox.rateLimits.setLimit(op, perMinute);
      };
      const spend = () => {
        for (const op of ops) while (sandbox.rateLimits.take(op).allowed);
        // The storm lasts STORM_MS from the first request it refuses, not from arming: a run's first
        // request can come late (the first run in a process loads the Okta SDK).
        if (timer === undefined && refused() > 0) timer = setTimeout(end, STORM_MS);
      };
      for (const op of ops) sandbox.rateLimits.setLimit(op, STORM_BUDGET);
      const hog = setInterval(spend, 10);
      spend();
      return { struck: refused, disarm: end };
    },
    expect: [retryable('RATE_LIMITED')],
  },
  {
    name: '5xx burst',
    // The first two requests of each operation fail (500, then 503); a retry with backoff gets through.
    arm: ({ sandbox, ops }) =>
      sandboxRules(
        sandbox,
        ops.flatMap((operationId) => [
          { operationId, times: 1, fault: { kind: 'status', status: 500 } },
          { operationId, after: 1, times: 1, fault: { kind: 'status', status: 503 } },
        ]),
      ),
    expect: [retryable('UPSTREAM')],
  },
  {
    name: 'connection reset',
    arm: ({ sandbox, ops }) =>
      sandboxRules(
        sandbox,
        ops.map((operationId) => ({ operationId, times: 1, fault: { kind: 'reset' } })),
      ),
    expect: [retryable('NETWORK'), retryable('UPSTREAM')],
  },
  {
    name: 'timeout',
    // The first request of each operation never answers; the host's request timeout is short.
    arm: ({ sandbox, ops }) =>
      sandboxRules(
        sandbox,
        ops.map((operationId) => ({ operationId, times: 1, fault: { kind: 'hang' } })),
      ),
    host: { requestTimeoutMs: TIMEOUT_MS },
    expect: [retryable('TIMEOUT')],
  },
  {
    name: 'malformed JSON',
    arm: ({ sandbox, ops }) =>
      sandboxRules(
        sandbox,
        // After the operation ran: Okta acted, and its 200 arrived garbled (a 200 without acting is not real).
        ops.map((operationId) => ({
          operationId,
          times: 1,
          lostAnswer: true,
          fault: { kind: 'malformed-json' },
        })),
      ),
    // Not Okta's way of answering: UPSTREAM, retryable or not.
    expect: [{ code: 'UPSTREAM' }],
  },
  {
    name: 'truncated body',
    arm: ({ sandbox, ops }) =>
      sandboxRules(
        sandbox,
        ops.map((operationId) => ({ operationId, times: 1, fault: { kind: 'truncate' } })),
      ),
    // A body cut short must fail the request at once (the socket is closed): the transport checks that the
    // answer was complete (src/http/http-exchange.ts). The request timeout is kept short anyway, so a
    // regression shows as flagged slow runs, not a stalled drill.
    host: { requestTimeoutMs: TRUNCATE_TIMEOUT_MS },
    flagSlowerThan: TRUNCATE_TIMEOUT_MS,
    expect: [retryable('NETWORK'), retryable('UPSTREAM')],
  },
  {
    name: 'page-2 failure',
    // Every request for page 2 fails (503), so no retry can get it: the only right outcomes are the whole
    // list (impossible here) or an error. A shorter list reported as ok is the silent partial result.
    lists: true,
    arm: ({ sandbox, ops }) =>
      sandboxRules(
        sandbox,
        ops.map((operationId) => ({ operationId, page: 2, fault: { kind: 'status', status: 503 } })),
      ),
    expect: [retryable('UPSTREAM')],
  },
  {
    name: 'slow responses',
    // Every request of the operations is slower, but within the timeout: nothing may fail.
    arm: ({ sandbox, ops }) =>
      sandboxRules(
        sandbox,
        ops.map((operationId) => ({ operationId, fault: { kind: 'latency', ms: SLOW_MS } })),
      ),
    host: { requestTimeoutMs: SLOW_TIMEOUT_MS },
    expect: [],
  },
  {
    name: 'lost answer: reset',
    // Each distinct change request (method and path) is carried out once with its answer lost.
    changes: true,
    arm: ({ proxy }) => proxy.loseAnswers('reset'),
    expect: [retryable('NETWORK'), retryable('UPSTREAM')],
  },
  {
    name: 'lost answer: timeout',
    changes: true,
    arm: ({ proxy }) => proxy.loseAnswers('hold'),
    host: { requestTimeoutMs: TIMEOUT_MS },
    expect: [retryable('TIMEOUT')],
  },
  {
    name: 'lost answer: 502',
    changes: true,
    arm: ({ proxy }) => proxy.loseAnswers('502'),
    expect: [retryable('UPSTREAM')],
  },
  {
    name: 'lost answer: malformed JSON',
    // Okta acted and answered 200, but the body arrives garbled. (The sandbox's own malformed-json fault
    // answers 200 WITHOUT acting, which no real Okta does; this is the realistic variant.)
    changes: true,
    arm: ({ proxy }) => proxy.loseAnswers('malformed'),
    expect: [{ code: 'UPSTREAM' }],
  },
];

/** Why a failed run's error envelope is wrong for the fault, or undefined when it is right. */
export function judgeEnvelope(kind, error) {
  const described = `${error?.code} (retryable: ${error?.retryable})`;
  if (kind.expect.length === 0) return `failed with ${described} although ${kind.name} should not fail a run`;
  const right = kind.expect.some(
    (allowed) =>
      allowed.code === error?.code &&
      (allowed.retryable === undefined || allowed.retryable === error?.retryable),
  );
  if (right) return undefined;
  const wanted = kind.expect
    .map((allowed) => `${allowed.code}${allowed.retryable === undefined ? '' : ' retryable'}`)
    .join(' or ');
  return `failed with ${described}; ${kind.name} calls for ${wanted}`;
}

/** Adds the rules to the sandbox; struck() counts how often they fired (read it before disarm()). */
function sandboxRules(sandbox, rules) {
  const handles = rules.map((rule) => sandbox.faults.add(rule));
  return {
    // How often the rules fired: the drill tells "handled the fault" from "the fault never struck".
    struck: () => handles.reduce((sum, handle) => sum + handle.fired, 0),
    disarm: () => {
      for (const remove of handles) remove();
    },
  };
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade']);

/**
 * A proxy on loopback in front of the sandbox that passes everything through, except that once armed it
 * loses the answer of every change request (not GET), once per distinct method and path, AFTER the
 * sandbox has carried it out: `reset` drops the connection, `hold` never answers (the client times out),
 * `502` answers like a load balancer whose upstream went away, `malformed` answers 200 with a garbled body. Set the sandbox's `org.baseUrl` to the
 * proxy's url so the links it returns (next pages) lead back through the proxy.
 */
export async function startLossyProxy(targetUrl) {
  const target = new URL(targetUrl);
  let mode;
  let struck = 0;
  const lost = new Set();
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const method = (req.method ?? 'GET').toUpperCase();
      const url = new URL(req.url ?? '/', target);
      const key = `${method} ${url.pathname}`;
      const strike = mode !== undefined && method !== 'GET' && !lost.has(key);
      if (strike) {
        lost.add(key);
        struck += 1;
      }
      const headers = { ...req.headers, host: target.host };
      const upstream = request(url, { method, headers }, (answer) => {
        answer.on('error', () => req.socket.destroy());
        answer.on('aborted', () => req.socket.destroy());
        if (!strike) {
          const relayed = Object.fromEntries(
            Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name)),
          );
          res.writeHead(answer.statusCode ?? 502, relayed);
          answer.pipe(res);
          return;
        }
        // Read the whole answer first: by then the sandbox has carried the request out.
        answer.resume();
        answer.on('end', () => lose(mode, req, res));
      });
      upstream.on('error', () => req.socket.destroy());
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    loseAnswers(kind) {
      mode = kind;
      const from = struck;
      return {
        struck: () => struck - from,
        disarm: () => {
          mode = undefined;
        },
      };
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function lose(mode, req, res) {
  if (mode === 'reset') {
    req.socket.destroy();
  } else if (mode === '502') {
    res.writeHead(502, { 'content-type': 'text/html' });
    res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
  } else if (mode === 'malformed') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"id": "00u0000000000malform", "status": ');
  }
  // 'hold': no answer at all; the client's timeout ends the request (and close() the socket).
}
