import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { routes } from '../../src/sandbox/routes.js';
import { takeRequestViolations, useSandbox } from '../helpers/sandbox.js';
import { type Api, EXPECTED_REFUSALS, samples } from './operation-samples.js';

const served: string[] = JSON.parse(
  readFileSync(new URL('../../src/sandbox/operations.json', import.meta.url), 'utf8'),
).operations;
const ctx = useSandbox();

/** The same client, with one more query parameter, one Okta's description does not have, on every request. */
function withUndeclaredParameter(api: Api): Api {
  const probe = (path: string) => `${path}${path.includes('?') ? '&' : '?'}contractProbe=1`;
  return {
    get: (path) => api.get(probe(path)),
    post: (path, body) => api.post(probe(path), body),
    put: (path, body) => api.put(probe(path), body),
    delete: (path) => api.delete(probe(path)),
  };
}

describe('sandbox routes', () => {
  it('has a sample request for every operation', () => {
    expect(Object.keys(samples).sort()).toEqual([...served].sort());
  });

  it('has a route for every operation it claims to serve, and none it does not claim', () => {
    expect(Object.keys(routes).sort()).toEqual([...served].sort());
  });

  describe.each(served)('%s', (operationId) => {
    it('answers a valid request with what the description documents', async () => {
      const answer = await samples[operationId]!(ctx.api, ctx.sandbox);
      const expected = EXPECTED_REFUSALS[operationId];
      if (expected) expect(answer.status).toBe(expected);
      else expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
      // useSandbox fails the test if the answer broke Okta's description.
    });

    it('serves a request with an undeclared query parameter as Okta does, and records the violation', async () => {
      const answer = await samples[operationId]!(withUndeclaredParameter(ctx.api), ctx.sandbox);
      // Okta ignores query parameters it does not know: the answer is the one without the parameter.
      const expected = EXPECTED_REFUSALS[operationId];
      if (expected) expect(answer.status).toBe(expected);
      else expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
      expect(takeRequestViolations(ctx.sandbox)).toContainEqual(
        expect.stringMatching(
          new RegExp(`\\(${operationId}\\): query parameter "contractProbe" is not in the description$`),
        ),
      );
    });
  });
});
