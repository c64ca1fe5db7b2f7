/**
 * The host's side of the contract: execute(), stream(), testConnection() and inputSchema() never throw,
 * whatever they are given; the request object and the host options are checked like inputs (INVALID_OPTIONS naming the
 * field, nothing sent); a defect of okta-actions itself is INTERNAL, never UPSTREAM.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toErrorEnvelope } from '../src/errors/map-error.js';
import { ERROR_CODES, execute, inputSchema, StreamError, stream, testConnection } from '../src/index.js';
import { fakeUser } from './helpers/fixtures.js';
import { connection, oktaMock, recordedRequests, TOKEN } from './helpers/okta-mock.js';

const JANE = fakeUser();
const request = { connection, input: { user: JANE.id } };

/** A value whose every property read throws, as a badly built host object might. */
const exploding = new Proxy(
  {},
  {
    get(_target, key) {
      // fast-check may print it as a counterexample; everything else that reads it meets the throw.
      if (key === fc.toStringMethod) return () => 'exploding proxy';
      throw new Error('boom');
    },
    ownKeys() {
      throw new Error('boom');
    },
  },
);

describe('host options', () => {
  it('treats null options as none', async () => {
    oktaMock().get(`/api/v1/users/${JANE.id}`).reply(200, JANE);
    const result = await execute('get-user', request, null as never);
    expect(result).toMatchObject({ ok: true, output: { id: JANE.id } });
  });

  const invalid: Array<[string, unknown, string, RegExp]> = [
    ['a negative request timeout', { requestTimeoutMs: -5 }, 'options.requestTimeoutMs', />= 1/],
    ['retries given as text', { maxRetries: 'lots' }, 'options.maxRetries', /whole number/],
    ['a timeout past what a timer can wait', { actionTimeoutMs: 2 ** 31 }, 'options.actionTimeoutMs', /<=/],
    ['no concurrency at all', { maxConcurrency: 0 }, 'options.maxConcurrency', />= 1/],
    ['a capacity of 0 %', { maxApiCapacity: 0 }, 'options.maxApiCapacity', /> 0/],
    ['allowLoopback as text', { allowLoopback: 'yes' }, 'options.allowLoopback', /true or false/],
    [
      'a misspelled option',
      { requestTimeout: 5000 },
      'options.requestTimeout',
      /did you mean "requestTimeoutMs"/,
    ],
    ['options that are no object', 5, 'options', /must be an object, not a number/],
  ];
  for (const [what, options, path, message] of invalid) {
    it(`refuses ${what} before anything is sent, naming the option`, async () => {
      const result = await execute('get-user', request, options as never);
      expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_OPTIONS', retryable: false } });
      if (result.ok) return;
      expect(result.error.details).toEqual([{ path, message: expect.stringMatching(message) }]);
      expect(result.error.message).toContain(path);
      expect(recordedRequests()).toEqual([]);
    });
  }

  it('checks testConnection options the same way, its signal included', async () => {
    const timeout = await testConnection(connection, { requestTimeoutMs: -5 });
    expect(timeout).toMatchObject({ ok: false, details: { code: 'INVALID_OPTIONS' } });
    const signal = await testConnection(connection, { signal: 'stop' as never });
    expect(signal).toMatchObject({
      ok: false,
      details: { code: 'INVALID_OPTIONS', problems: [{ path: 'options.signal' }] },
    });
    expect(recordedRequests()).toEqual([]);
  });
});

describe('the request object', () => {
  const invalid: Array<[string, unknown, string]> = [
    ['null', null, 'request'],
    ['a string', 'get-user', 'request'],
    ['an array', [connection], 'request'],
    ['a misspelled field', { connection, inputs: { user: JANE.id } }, 'request.inputs'],
    ['a signal that is none', { connection, input: {}, signal: 'stop' }, 'request.signal'],
    ['dryRun as text', { connection, input: {}, dryRun: 'yes' }, 'request.dryRun'],
  ];
  for (const [what, value, path] of invalid) {
    it(`refuses ${what}, naming ${path}`, async () => {
      const result = await execute('get-user', value as never);
      expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_OPTIONS', details: [{ path }] } });
      expect(recordedRequests()).toEqual([]);
    });
  }

  it('says "did you mean input" for inputs, instead of running with no input at all', async () => {
    const result = await execute('list-users', { connection, inputs: {} } as never);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain('did you mean "input"?');
  });

  it('refuses a stream request the same way, as a StreamError', async () => {
    const users = stream('list-users', { connection, inputs: {} } as never);
    const thrown = await (async () => {
      try {
        for await (const _ of users) break;
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(StreamError);
    expect((thrown as StreamError).envelope).toMatchObject({ code: 'INVALID_OPTIONS' });
  });
});

describe('never throws', () => {
  const anyArgument = fc.oneof(
    fc.anything(),
    fc.constant(exploding),
    fc.constant(undefined),
    fc.constant(null),
    fc.record({ connection: fc.anything(), input: fc.anything() }),
    fc.constant({ connection, input: exploding }),
    fc.constant({ connection: exploding }),
  );

  it('execute() answers an envelope with a known code for any arguments', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constant('get-user'), fc.anything()),
        anyArgument,
        anyArgument,
        async (key, req, options) => {
          const result = await execute(key as string, req as never, options as never);
          expect(result.ok).toBe(false);
          if (!result.ok) expect(ERROR_CODES).toContain(result.error.code);
          expect(typeof result.meta.action).toBe('string');
          expect(JSON.stringify(result)).not.toContain(TOKEN);
        },
      ),
      { seed: 1206, numRuns: 150 },
    );
    expect(recordedRequests()).toEqual([]);
  });

  it('testConnection() answers a result for any arguments', async () => {
    await fc.assert(
      fc.asyncProperty(anyArgument, anyArgument, async (conn, options) => {
        const result = await testConnection(conn, options as never);
        expect(result.ok).toBe(false);
        expect(typeof result.message).toBe('string');
      }),
      { seed: 1206, numRuns: 100 },
    );
  });

  it('inputSchema() answers a result, or an envelope with a known code, for any arguments', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constant('assign-user-to-app'), fc.constant('create-user'), fc.anything()),
        anyArgument,
        anyArgument,
        async (key, req, options) => {
          const result = await inputSchema(key as string, req as never, options as never);
          if (!result.ok) expect(ERROR_CODES).toContain(result.error.code);
          expect(typeof result.meta.action).toBe('string');
          expect(JSON.stringify(result)).not.toContain(TOKEN);
        },
      ),
      { seed: 1206, numRuns: 150 },
    );
  });

  it('stream() throws nothing but StreamError, for any arguments', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constant('list-users'), fc.anything()), anyArgument, async (key, req) => {
        try {
          for await (const _ of stream(key as string, req as never)) break;
        } catch (error) {
          expect(error).toBeInstanceOf(StreamError);
        }
      }),
      { seed: 1206, numRuns: 100 },
    );
  });
});

describe('a defect of okta-actions', () => {
  it('is INTERNAL, not retryable, and says to report it', () => {
    const envelope = toErrorEnvelope(new TypeError("Cannot read properties of undefined (reading 'login')"));
    expect(envelope).toMatchObject({ code: 'INTERNAL', retryable: false });
    expect(envelope.message).toContain('This is a bug in okta-actions');
    expect(envelope.message).toContain('please report it');
  });

  it('is told apart from an Okta 5xx in a run', async () => {
    // Okta answers a user without a profile: offboard-user reads user.profile.login and breaks. Our bug
    // (it trusts the shape), not Okta's failure, so not UPSTREAM.
    oktaMock().get(`/api/v1/users/${JANE.id}`).reply(200, { id: JANE.id, status: 'ACTIVE' });
    const result = await execute('offboard-user', {
      connection,
      input: {
        user: JANE.id,
        clearSessions: false,
        resetFactors: false,
        deactivateDevices: false,
        unassignApps: false,
        removeFromGroups: false,
        mode: 'deactivate',
      },
      dryRun: true,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL', retryable: false } });
  });

  it('cannot make the error mapper throw', () => {
    expect(toErrorEnvelope(exploding).code).toBe('INTERNAL');
  });
});

describe('an input that cannot be read', () => {
  it('is INVALID_INPUT, not a crash', async () => {
    const result = await execute('get-user', { connection, input: exploding as never });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});

describe('types from the action key', () => {
  it('types the input: a misspelled field does not compile, and is refused at run time too', async () => {
    // tsc (npm test's type-check) fails on an unused @ts-expect-error: this line must stay a type error.
    // @ts-expect-error: "usr" is no field of get-user's input.
    const misspelled = await execute('get-user', { connection, input: { usr: JANE.id } });
    expect(misspelled).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });

    // @ts-expect-error: limit is a whole number, not text.
    const wrongType = await execute('list-users', { connection, input: { limit: 'fifty' } });
    expect(wrongType).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });

    // A key known only at run time (from the host's storage) takes any input, checked when it runs.
    const stored: string = 'get-user';
    const untyped = await execute(stored, { connection, input: { usr: JANE.id } });
    expect(untyped).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
