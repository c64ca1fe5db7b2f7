import { describe, expect, it } from 'vitest';
import { execute } from '../../src/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { sandboxClient } from '../helpers/sandbox.js';

// Correctness at scale; speed is measured by bench/sandbox.mjs, never asserted here.
describe('sandbox at scale', () => {
  it('holds 100,000 generated users and lists every one exactly once through its pages', async () => {
    const sandbox = await startSandbox({ seed: 100_000 });
    try {
      const api = sandboxClient(sandbox);
      const seen = new Set<string>();
      let pages = 0;
      let next: string | undefined = '/api/v1/users?limit=200';
      while (next) {
        const page = await api.get(next);
        expect(page.status).toBe(200);
        for (const user of page.body as Array<{ id: string; status: string }>) seen.add(user.id);
        pages += 1;
        next = /<([^>]+)>; rel="next"/.exec(page.headers.get('link') ?? '')?.[1]?.replace(sandbox.url, '');
      }
      const deprovisioned = (
        await api.get(`/api/v1/users?filter=${encodeURIComponent('status eq "DEPROVISIONED"')}`)
      ).body.length;
      expect(seen.size).toBe(100_008 - deprovisioned);
      expect(pages).toBe(Math.ceil(seen.size / 200));
      const sample = (
        await api.get(`/api/v1/users?search=${encodeURIComponent('profile.department eq "Finance"')}&limit=5`)
      ).body[0];
      expect(sample.profile).toMatchObject({
        department: 'Finance',
        costCenter: 'CC-3100',
        badgeNumber: expect.stringMatching(/^B-/),
      });
      expect(sandbox.contractViolations).toEqual([]);
      expect(sandbox.requestViolations).toEqual([]);
    } finally {
      await sandbox.close();
    }
  }, 60_000);

  it('serves 200 concurrent clients without an error when its in-flight limit allows them', async () => {
    const sandbox = await startSandbox({ seed: 1000, maxConcurrent: 250 });
    try {
      const connection = { type: 'api_token', apiAddress: sandbox.url, apiToken: sandbox.token };
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          execute(
            'list-users',
            { connection, input: { maxItems: 20, search: `profile.employeeNumber eq "E-${100000 + i}"` } },
            { allowLoopback: true },
          ),
        ),
      );
      expect(results.filter((r) => !r.ok)).toEqual([]);
      expect(results.every((r) => r.ok && r.output.count === 1)).toBe(true);
      expect(sandbox.contractViolations).toEqual([]);
      expect(sandbox.requestViolations).toEqual([]);
    } finally {
      await sandbox.close();
    }
  });

  it("keeps its requests in flight under Okta's limit (75): 200 runs at once, no 429 at all", async () => {
    const sandbox = await startSandbox({ latencyMs: 20 });
    try {
      const connection = { type: 'api_token', apiAddress: sandbox.url, apiToken: sandbox.token };
      const results = await Promise.all(
        Array.from({ length: 200 }, () =>
          execute('get-user', { connection, input: { user: 'jane.doe' } }, { allowLoopback: true }),
        ),
      );
      expect(results.filter((r) => !r.ok)).toEqual([]);
      // The governor held the org's requests to its default concurrency (20), so the sandbox's
      // in-flight limit was never reached.
      expect(sandbox.served.filter((s) => s.status === 429)).toEqual([]);
      expect(sandbox.served).toHaveLength(200);
    } finally {
      await sandbox.close();
    }
  }, 30_000);

  it('when a host raises maxConcurrency past the limit, every run succeeds or says RATE_LIMITED with when to retry', async () => {
    // An org whose other integrations leave 10 requests in flight: one connection's 32 sockets overrun
    // that at once (with Okta's 75 and 32 sockets, only nock's pass-through, which ignores the pool, did).
    const sandbox = await startSandbox({ latencyMs: 20, maxConcurrent: 10 });
    try {
      const connection = { type: 'api_token', apiAddress: sandbox.url, apiToken: sandbox.token };
      const results = await Promise.all(
        Array.from({ length: 200 }, () =>
          execute(
            'get-user',
            { connection, input: { user: 'jane.doe' } },
            { allowLoopback: true, maxConcurrency: 200 },
          ),
        ),
      );
      expect(sandbox.served.filter((s) => s.status === 429).length).toBeGreaterThan(0);
      for (const result of results) {
        if (result.ok) expect(result.output.login).toBe('jane.doe@example.com');
        else
          expect(result.error).toMatchObject({
            code: 'RATE_LIMITED',
            retryable: true,
            retryAfterMs: expect.any(Number),
          });
      }
      // The plugin waited for the announced reset and retried: far more than the first 75 got through.
      expect(results.filter((r) => r.ok).length).toBeGreaterThan(75);
    } finally {
      await sandbox.close();
    }
  }, 30_000);
});
