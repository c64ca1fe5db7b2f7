/**
 * Property-based fuzz over every action's input schema (manifest.actions), with a fixed seed.
 *
 * Broken inputs (one thing wrong, see brokenInput): execute() answers INVALID_INPUT naming the broken field,
 * never throws, and sends nothing at all: nock has net connect disabled and a trap interceptor per method
 * on the connection's org, which must still be pending afterwards.
 *
 * Valid inputs (validValue, with the sandbox's real ids mixed in so runs get past the first 404): execute()
 * against a fresh sandbox per action never throws, always answers the result envelope, fails only for
 * reasons Okta may give (NOT_FOUND, CONFLICT, a value Okta refuses...), and every request it sends is one
 * Okta's published API description allows: the sandbox refuses any other with 400 and records it in
 * requestViolations; a path that is no operation of the description at all is caught from sandbox.served.
 *
 * Every generated value is first checked against the schema with Ajv, so a generator mistake fails as
 * such instead of passing for a plugin bug.
 */
import type { AnySchema, ValidateFunction } from 'ajv';
import fc from 'fast-check';
import nock from 'nock';
import { beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, execute, manifest } from '../src/index.js';
import { type Sandbox, startSandbox } from '../src/sandbox/index.js';
import { credentialsOf } from '../src/sandbox/resources/credentials/model.js';
import { rolesOf } from '../src/sandbox/resources/roles/model.js';
import { ADMIN_LOGIN } from '../src/sandbox/seed.js';
import { newAjv } from '../src/schema/validation.js';
import { connection, oktaMock, recordedRequests, resetRecordedRequests } from './helpers/okta-mock.js';
import { oktaApiDescription } from './helpers/openapi.js';
import { sandboxClient } from './helpers/sandbox.js';
import { brokenInput, type Hints, type Schema, validValue } from './helpers/schema-arbitrary.js';

/**
 * Fixed, so a failure names an input that reproduces it. To explore beyond what CI runs:
 * FUZZ_SEED=123 FUZZ_VALID_RUNS=200 npx vitest run test/fuzz.test.ts
 */
const SEED = Number(process.env.FUZZ_SEED ?? 50_511);
const BROKEN_RUNS = Number(process.env.FUZZ_BROKEN_RUNS ?? 15);
const VALID_RUNS = Number(process.env.FUZZ_VALID_RUNS ?? 8);

/**
 * Failures a valid input may legitimately get: from Okta (a random id, a state that forbids it, a value Okta
 * refuses), or from a handler, for combinations the schema cannot express (filter with search).
 */
const OKTA_REASONS = new Set(['INVALID_INPUT', 'NOT_FOUND', 'CONFLICT', 'UNSUPPORTED']);

// The generous limits keep the run about the requests, not about rate limits or slow answers.
const HOST = { allowLoopback: true, requestTimeoutMs: 5_000, maxRetries: 0 };

const validators = new Map<string, ValidateFunction>();
let ajv: Awaited<ReturnType<typeof newAjv>>;
beforeAll(async () => {
  ajv = await newAjv({ useDefaults: false });
});
function schemaAccepts(key: string, schema: Schema, value: unknown): { ok: boolean; errors: string } {
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(schema as AnySchema);
    validators.set(key, validate);
  }
  const ok = validate(structuredClone(value));
  return { ok, errors: JSON.stringify(validate.errors ?? []) };
}

/** The error names the broken field: its dotted path, or a path inside it. */
function names(detailPath: string, brokenPath: string): boolean {
  return (
    detailPath === brokenPath ||
    detailPath.startsWith(`${brokenPath}.`) ||
    detailPath.startsWith(`${brokenPath}[`)
  );
}

// ---------------------------------------------------------------------------------------------------------

describe('fuzz: broken inputs are refused before anything is sent', () => {
  for (const action of manifest.actions) {
    const schema = action.input as Schema;
    it(action.key, async () => {
      // One trap per method on the org: any request would consume it (and be recorded by oktaMock).
      const trap = oktaMock();
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])
        trap.intercept(/.*/, method).reply(599, {});
      const armed = nock.pendingMocks();
      expect(armed).toHaveLength(5);

      await fc.assert(
        fc.asyncProperty(brokenInput(schema), async ({ input, path }) => {
          const check = schemaAccepts(`input:${action.key}`, schema, input);
          expect(check.ok, `generator bug: this "broken" input is valid: ${JSON.stringify(input)}`).toBe(
            false,
          );
          resetRecordedRequests();
          let result: Awaited<ReturnType<typeof execute>>;
          try {
            result = await execute(action.key, { connection, input });
          } catch (error) {
            throw new Error(`execute() threw on ${JSON.stringify(input)}: ${String(error)}`);
          }
          const detail = JSON.stringify({ input, path, result });
          expect(result.ok, detail).toBe(false);
          if (result.ok) return;
          expect(result.error.code, detail).toBe('INVALID_INPUT');
          const paths = (result.error.details ?? []).map((problem) => problem.path);
          expect(paths.length, detail).toBeGreaterThan(0);
          // Exactly one thing is wrong, so every problem reported must be about it.
          expect(
            paths.every((p) => names(p, path)),
            detail,
          ).toBe(true);
          expect(result.meta.requests, detail).toBe(0);
          expect(recordedRequests(), detail).toEqual([]);
          expect(nock.pendingMocks(), detail).toEqual(armed);
        }),
        { seed: SEED, numRuns: BROKEN_RUNS },
      );
    });
  }
});

// ---------------------------------------------------------------------------------------------------------

/** Real values of a fresh sandbox, by definition or property name (see Hints). */
async function sandboxHints(sandbox: Sandbox): Promise<Hints> {
  const api = sandboxClient(sandbox);
  const list = async (path: string): Promise<Array<Record<string, unknown>>> => {
    const answer = await api.get(path);
    expect(answer.status, path).toBe(200);
    return answer.body;
  };
  const ids = async (path: string) => (await list(path)).map((item) => String(item.id));
  // Not the token's own admin: deactivating them is allowed and rightly makes every later run UNAUTHORIZED.
  const users = (
    (await list('/api/v1/users?limit=200')) as Array<{ id: string; profile: { login: string } }>
  ).filter((user) => user.profile.login !== ADMIN_LOGIN);
  const logins = users.map((user) => user.profile.login);
  const roles = rolesOf(sandbox.org);
  const zoneIds = await ids('/api/v1/zones');
  const values: Record<string, string[]> = {
    // Ids, logins and a login shortname (Okta resolves "jane.doe" too).
    userIdOrLogin: [...logins, ...users.map((user) => user.id), logins[0]!.split('@')[0]!],
    groupId: await ids('/api/v1/groups'),
    appId: await ids('/api/v1/apps'),
    deviceId: await ids('/api/v1/devices'),
    eventHookId: await ids('/api/v1/eventHooks'),
    groupRuleId: await ids('/api/v1/groups/rules'),
    realmId: await ids('/api/v1/realms'),
    networkZoneId: zoneIds,
    zoneId: zoneIds,
    userTypeId: [...(await ids('/api/v1/meta/types/user')), 'default'],
    customRoleId: [...roles.customRoles.keys()],
    resourceSetId: [...roles.resourceSets.keys()],
    factorId: [...credentialsOf(sandbox.org).factors.values()].flat().map((factor) => factor.id),
  };
  const hints: Record<string, Hints[string]> = {};
  const smallest = (schema: Schema) => {
    const min = schema.minimum ?? 1;
    return fc.integer({ min, max: Math.min(min + 2, schema.maximum ?? min + 2) });
  };
  for (const [name, found] of Object.entries(values)) {
    if (found.length > 0) hints[name] = fc.constantFrom(...found);
  }
  return {
    ...hints,
    // Small pages and windows over the sandbox's few objects, so lists answer a nextCursor to follow.
    maxItems: smallest,
    limit: smallest,
    ipAddresses: fc.uniqueArray(
      fc.constantFrom('192.0.2.7', '198.51.100.0/24', '203.0.113.9', '2001:db8::1'),
      {
        minLength: 1,
        maxLength: 3,
      },
    ),
    search: fc.constantFrom(
      'profile.department eq "Engineering"',
      'status eq "ACTIVE"',
      'profile.name sw "Eng"',
      'type eq "OKTA_GROUP"',
      'profile.lastName sw "D" and status eq "ACTIVE"',
    ),
    filter: fc.constantFrom(
      'status eq "ACTIVE"',
      'type eq "OKTA_GROUP"',
      'lastUpdated gt "2020-01-01T00:00:00.000Z"',
      'eventType eq "user.lifecycle.create"',
    ),
  };
}

/**
 * call-okta-api sends the method, path, query and body its caller wrote: a request that breaks Okta's
 * description is then the caller's, and the sandbox's 400 is the right answer. So its valid inputs are
 * reads of real list and object paths, and what is checked is what the plugin adds (paging, encoding).
 */
const CALL_OKTA_API_LISTS = [
  '/api/v1/users',
  '/api/v1/groups',
  '/api/v1/apps',
  '/api/v1/devices',
  '/api/v1/groups/rules',
];
const CALL_OKTA_API_OTHERS = [
  '/api/v1/users/me',
  '/api/v1/eventHooks',
  '/api/v1/zones',
  '/api/v1/meta/types/user',
];

function validInputs(key: string, schema: Schema, hints: Hints): fc.Arbitrary<Record<string, unknown>> {
  const base = validValue(schema, schema, hints) as fc.Arbitrary<Record<string, unknown>>;
  if (key !== 'call-okta-api') return base;
  const read = fc.oneof(
    fc
      .tuple(
        fc.constantFrom(...CALL_OKTA_API_LISTS),
        fc.option(fc.integer({ min: 1, max: 200 }), { nil: undefined }),
      )
      .map(([path, limit]) => ({ path, ...(limit ? { query: { limit } } : {}) })),
    fc.constantFrom(...CALL_OKTA_API_OTHERS).map((path) => ({ path })),
  );
  return fc.tuple(base, read).map(([input, chosen]) => {
    const { body: _body, query: _query, ...rest } = input;
    return { ...rest, method: 'GET', ...chosen };
  });
}

interface Envelope {
  ok: unknown;
  output?: unknown;
  error?: { code: unknown; message: unknown; retryable: unknown; details?: unknown };
  meta: { action: unknown; durationMs: unknown; requests: unknown };
}

function expectEnvelope(key: string, result: Envelope, detail: string): void {
  expect(typeof result.ok, detail).toBe('boolean');
  expect(result.meta, detail).toMatchObject({ action: key });
  expect(Number.isInteger(result.meta.durationMs) && (result.meta.durationMs as number) >= 0, detail).toBe(
    true,
  );
  expect(Number.isInteger(result.meta.requests) && (result.meta.requests as number) >= 0, detail).toBe(true);
  if (result.ok) {
    expect(result.output, detail).toEqual(expect.any(Object));
    expect(result, detail).not.toHaveProperty('error');
    return;
  }
  expect(result, detail).not.toHaveProperty('output');
  expect(ERROR_CODES, detail).toContain(result.error?.code);
  expect(result.error?.message, detail).toEqual(expect.stringMatching(/\S/));
  expect(typeof result.error?.retryable, detail).toBe('boolean');
  if (result.error?.details !== undefined) expect(Array.isArray(result.error.details), detail).toBe(true);
}

/**
 * Everything that is wrong with one valid run, as sentences (empty when nothing is): an exception, a
 * malformed envelope, a request Okta's description does not allow, a failure Okta would not give.
 */
async function problemsOfValidRun(
  sandbox: Sandbox,
  key: string,
  input: unknown,
  dryRun: boolean,
): Promise<{ problems: string[]; result?: Envelope }> {
  const conn = { type: 'api_token', apiAddress: sandbox.url, apiToken: sandbox.token };
  // Reset per run, so that while fast-check shrinks a failure each run is judged on its own.
  sandbox.requestViolations.length = 0;
  sandbox.contractViolations.length = 0;
  const servedBefore = sandbox.served.length;
  let result: Envelope;
  try {
    result = (await execute(key, { connection: conn, input, dryRun }, HOST)) as Envelope;
  } catch (error) {
    return { problems: [`execute() threw on ${JSON.stringify(input)}: ${String(error)}`] };
  }
  const sent = sandbox.served.slice(servedBefore);
  const detail = JSON.stringify({ input, dryRun, result, sent });
  const problems: string[] = [];
  try {
    expectEnvelope(key, result, detail);
  } catch (error) {
    problems.push(`not the result envelope: ${String(error)}`);
  }
  if (sandbox.requestViolations.length > 0)
    problems.push(`requests that break Okta's description: ${sandbox.requestViolations.join('; ')}`);
  if (sandbox.contractViolations.length > 0)
    problems.push(`sandbox answers that break Okta's description: ${sandbox.contractViolations.join('; ')}`);
  const unknown = sent.filter((request) => !oktaApiDescription().match(request.method, request.path));
  if (unknown.length > 0)
    problems.push(
      `requests to no operation of Okta's API: ${unknown.map((r) => `${r.method} ${r.path}`).join(', ')}`,
    );
  if (result.meta.requests !== sent.length)
    problems.push(`meta.requests is ${result.meta.requests} but ${sent.length} requests reached Okta`);
  const changes = sent.filter((request) => request.method !== 'GET');
  if (dryRun && changes.length > 0)
    problems.push(`a dry run sent ${changes.map((r) => r.method).join(', ')}`);
  if (!result.ok && !OKTA_REASONS.has(String(result.error?.code)))
    problems.push(`failed with ${String(result.error?.code)}, which a valid input should not get`);
  return { problems: problems.map((problem) => `${problem}\n  in ${detail}`), result };
}

/**
 * Bugs this fuzz found, now fixed: each input that showed one is kept as a regression test below. A login
 * of 1 to 4 characters was sent to Okta (its description has minLength 5); a user of "." or ".." made a
 * path segment that URL parsing removes, so the request went to another endpoint.
 */
const FOUND_BUGS: Array<{ title: string; key: string; input: Record<string, unknown>; field: string }> = [
  {
    title: 'a profile login shorter than 5 characters',
    key: 'create-user',
    input: { profile: { login: 'jd', email: 'jd@example.com', firstName: 'J', lastName: 'D' } },
    field: 'profile.login',
  },
  {
    title: 'a profile login shorter than 5 characters',
    key: 'update-user',
    input: { user: 'jane.doe@example.com', profile: { login: 'jd' } },
    field: 'profile.login',
  },
  { title: 'a user "."', key: 'get-user', input: { user: '.' }, field: 'user' },
  { title: 'a user ".."', key: 'list-apps', input: { user: '..' }, field: 'user' },
  { title: 'a user ".."', key: 'update-user', input: { user: '..', profile: { title: 'x' } }, field: 'user' },
];

describe('fuzz: valid inputs send only requests Okta describes', () => {
  for (const action of manifest.actions) {
    const schema = action.input as Schema;
    it(action.key, async () => {
      // A fresh org per action (a few milliseconds): one action's deletes cannot starve another's runs.
      const sandbox = await startSandbox({ rateLimit: { perMinute: 1_000_000 }, randomSeed: 7 });
      try {
        const hints = await sandboxHints(sandbox);
        const dryRuns = action.annotations.readOnly ? fc.constant(false) : fc.boolean();
        await fc.assert(
          fc.asyncProperty(validInputs(action.key, schema, hints), dryRuns, async (input, dryRun) => {
            const check = schemaAccepts(`input:${action.key}`, schema, input);
            expect(
              check.ok,
              `generator bug: invalid "valid" input ${JSON.stringify(input)}: ${check.errors}`,
            ).toBe(true);
            const { problems, result } = await problemsOfValidRun(sandbox, action.key, input, dryRun);
            expect(problems).toEqual([]);
            // A list that has more: follow its cursor once, as a flow would, so cursors are fuzzed too.
            const cursor = (result?.output as { nextCursor?: unknown } | undefined)?.nextCursor;
            if (typeof cursor === 'string') {
              const next = await problemsOfValidRun(sandbox, action.key, { ...input, cursor }, dryRun);
              expect(next.problems).toEqual([]);
            }
          }),
          { seed: SEED, numRuns: VALID_RUNS },
        );
      } finally {
        await sandbox.close();
      }
    });
  }
});

describe('bugs the fuzz found stay fixed: refused before anything is sent', () => {
  for (const bug of FOUND_BUGS) {
    it(`${bug.title}: ${bug.key} ${JSON.stringify(bug.input)}`, async () => {
      const sandbox = await startSandbox();
      try {
        const result = await execute(
          bug.key as never,
          {
            connection: { type: 'api_token', apiAddress: sandbox.url, apiToken: sandbox.token },
            input: bug.input,
          },
          { allowLoopback: true },
        );
        expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' }, meta: { requests: 0 } });
        if (!result.ok) expect(result.error.details?.map((d) => d.path)).toContain(bug.field);
        expect(sandbox.served).toEqual([]);
      } finally {
        await sandbox.close();
      }
    });
  }
});
