/**
 * stream(): a list action's items as an async iterator, against the sandbox: the whole list, the same
 * items execute() returns, reading only a page ahead of the loop, stopping when the loop stops, and
 * failing loudly (never ending early as if complete).
 */
import { describe, expect, it } from 'vitest';
import { execute } from '../../src/runtime/execute.js';
import { StreamError, stream } from '../../src/runtime/stream.js';
import { useSandbox } from '../helpers/sandbox.js';
import { sandboxConnection } from '../helpers/sandbox-actions.js';

const HOST = { allowLoopback: true, maxRetries: 0 };
const ctx = useSandbox({ seed: 1_000, rateLimit: { perMinute: 100_000 } });
const connection = () => sandboxConnection(ctx.sandbox);
const userPages = () => ctx.sandbox.served.filter((r) => r.operationId === 'listUsers');

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('stream()', () => {
  it('yields the whole list, the same items in the same order as execute() with a large maxItems', async () => {
    const users = stream('list-users', { connection: connection(), input: { limit: 200 } }, HOST);
    const streamed = await collect(users);
    const listed = await execute(
      'list-users',
      { connection: connection(), input: { maxItems: 100_000 } },
      HOST,
    );
    expect(listed.ok).toBe(true);
    if (!listed.ok) return;
    expect(streamed.length).toBeGreaterThan(1_000);
    expect(streamed.map((u) => u.id)).toEqual(listed.output.users.map((u) => u.id));
    expect(users.summary).toMatchObject({
      count: streamed.length,
      nextCursor: null,
      meta: { action: 'list-users' },
    });
  });

  it('stops at maxItems with a cursor that execute() continues from', async () => {
    const first = stream(
      'list-users',
      { connection: connection(), input: { maxItems: 250, limit: 100 } },
      HOST,
    );
    const head = await collect(first);
    expect(head).toHaveLength(250);
    const rest = await execute(
      'list-users',
      { connection: connection(), input: { cursor: first.summary!.nextCursor!, maxItems: 100_000 } },
      HOST,
    );
    const all = await execute('list-users', { connection: connection(), input: { maxItems: 100_000 } }, HOST);
    if (!rest.ok || !all.ok) throw new Error('list failed');
    expect([...head, ...rest.output.users].map((u) => u.id)).toEqual(all.output.users.map((u) => u.id));
  });

  it('reads one page ahead of the loop, and no more; leaving the loop stops the reading', async () => {
    const users = stream('list-users', { connection: connection(), input: { limit: 50 } }, HOST);
    let seen = 0;
    for await (const _user of users) {
      seen += 1;
      if (seen === 50) {
        // The loop is on page 1: page 2 may be read already, page 3 must wait for the loop.
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(userPages().length).toBeLessThanOrEqual(2);
      }
      if (seen === 120) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(userPages().length).toBeLessThanOrEqual(4);
    expect(users.summary).toBeUndefined();
  });

  it('a failing page throws a StreamError after the items read so far; never a quiet end', async () => {
    ctx.sandbox.faults.add({ operationId: 'listUsers', page: 3, fault: { kind: 'status', status: 500 } });
    const users = stream('list-users', { connection: connection(), input: { limit: 100 } }, HOST);
    let seen = 0;
    const failure = await (async () => {
      try {
        for await (const _user of users) seen += 1;
      } catch (error) {
        return error;
      }
    })();
    expect(seen).toBe(200);
    expect(failure).toBeInstanceOf(StreamError);
    expect((failure as StreamError).envelope).toMatchObject({ code: 'UPSTREAM', retryable: true });
    expect((failure as StreamError).message).toMatch(/2 pages \(200 items\)/);
  });

  it('refuses bad input, an action that is no list, and a bad connection, before any request', async () => {
    const refusals: Array<AsyncIterable<unknown>> = [
      stream('list-users', { connection: connection(), input: { limit: 0 } }, HOST),
      stream('get-user', { connection: connection(), input: { user: 'jane.doe@example.com' } }, HOST),
      stream('list-roles', { connection: connection(), input: {} }, HOST),
      stream('list-users', { connection: { ...connection(), apiToken: '' }, input: {} }, HOST),
    ];
    const codes: string[] = [];
    for (const refused of refusals) {
      await expect(collect(refused)).rejects.toBeInstanceOf(StreamError);
      await collect(refused).catch((error: StreamError) => codes.push(error.envelope.code));
    }
    expect(codes).toEqual(['INVALID_INPUT', 'UNSUPPORTED', 'UNSUPPORTED', 'INVALID_CONNECTION']);
    expect(ctx.sandbox.served).toEqual([]);
  });

  it('a cancelled signal ends the stream with CANCELLED', async () => {
    const controller = new AbortController();
    const users = stream(
      'list-users',
      { connection: connection(), input: { limit: 100 }, signal: controller.signal },
      HOST,
    );
    let seen = 0;
    const failure = await (async () => {
      try {
        for await (const _user of users) {
          seen += 1;
          if (seen === 150) controller.abort();
        }
      } catch (error) {
        return error as StreamError;
      }
    })();
    expect(failure?.envelope.code).toBe('CANCELLED');
    expect(seen).toBeLessThanOrEqual(300);
  });
});
