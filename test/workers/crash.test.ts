/**
 * A worker dies mid-request (SIGKILL while its create is with Okta: Okta carried it out, the answer never
 * came back); after its lock expires another worker takes the job over, and the create is not made twice:
 * the second attempt finds the object the first one created (since the job's first attempt started) and
 * returns it. A real `okta-actions worker` process (the built CLI), a real Redis, the sandbox. (Without
 * the job's first-attempt time, the group's job fails with CONFLICT and the realm's makes a second realm.)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { actionJobOptions } from '../../src/workers/index.js';
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js';
import { useSandbox } from '../helpers/sandbox.js';
import { finished, jobBench } from '../helpers/workers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ctx = useSandbox();
let redis: RedisServer;
let dir: string;
beforeAll(async () => {
  if (!existsSync(join(root, 'dist/cli.js')))
    throw new Error('dist/ is missing: npm test builds it first (npm run build)');
  redis = await startRedisServer();
  dir = mkdtempSync(join(tmpdir(), 'okta-actions-crash-'));
});
afterAll(async () => {
  await redis?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** `okta-actions worker` in a process of its own, once it has said it is running. */
async function workerProcess(queue: string, connections: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      join(root, 'dist/cli.js'),
      'worker',
      ...['--redis', redis.url, '--queue', queue, '--connections', connections, '--allow-loopback'],
      ...['--concurrency', '1', '--lock-duration', '1000'],
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let said = '';
    child.once('exit', (code) => reject(new Error(`the worker exited (${code}): ${said}`)));
    child.stderr!.on('data', (chunk) => {
      said += chunk;
      if (said.includes('okta-actions worker: queue')) resolve();
    });
  });
  return child;
}

/**
 * Group names are unique in Okta: a blind second POST would fail the job with CONFLICT although its group
 * exists. Realm names are not: a blind second POST would make a second realm.
 */
const CASES = [
  {
    action: 'create-group',
    operationId: 'addGroup',
    name: 'Crash Survivors',
    find: async (name: string) =>
      (await ctx.api.get(`/api/v1/groups?q=${encodeURIComponent(name)}`)).body as Array<{ id: string }>,
  },
  {
    action: 'create-realm',
    operationId: 'createRealm',
    name: 'Crash Realm',
    find: async (name: string) =>
      ((await ctx.api.get('/api/v1/realms')).body as Array<{ id: string; profile: { name: string } }>).filter(
        (realm) => realm.profile.name === name,
      ),
  },
];

it.each(CASES)(
  '$action: the job of a worker killed mid-create is finished by another, and the object exists once',
  async ({ action, operationId, name, find }) => {
    const connections = join(dir, `${action}.json`);
    writeFileSync(
      connections,
      JSON.stringify({
        org: { type: 'api_token', apiAddress: ctx.sandbox.url, apiToken: ctx.sandbox.token },
      }),
    );
    // Okta creates the object; its answer hangs until the worker is gone.
    const lost = ctx.sandbox.faults.add({
      operationId,
      lostAnswer: true,
      times: 1,
      fault: { kind: 'hang', ms: 60_000 },
    });
    const first = await workerProcess(action, connections);
    const takeover = await jobBench(
      redis.url,
      {
        resolveConnection: () => ({
          type: 'api_token',
          apiAddress: ctx.sandbox.url,
          apiToken: ctx.sandbox.token,
        }),
        hostOptions: { allowLoopback: true },
        // Paused until the first worker is dead: then it checks for stalled jobs every 300 ms.
        workerOptions: { autorun: false, stalledInterval: 300, lockDuration: 10_000 },
      },
      action,
    );
    try {
      const job = await takeover.queue.add(
        'action',
        { action, connectionRef: 'org', input: { name } },
        actionJobOptions(),
      );
      while (lost.fired === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      const exited = new Promise((resolve) => first.once('exit', resolve));
      first.kill('SIGKILL');
      await exited;
      const created = await find(name);
      expect(created).toHaveLength(1); // the first attempt's create was carried out

      void takeover.worker.run();
      const done = await finished(takeover.queue, job.id);
      expect(done.state).toBe('completed');
      expect(done.stalledCounter).toBe(1);
      expect(done.returnvalue).toMatchObject({
        action,
        output: { id: created[0]!.id, name, changed: true },
        meta: { resumed: true },
      });
      expect((await find(name)).map((object) => object.id)).toEqual([created[0]!.id]);
      // One POST in all (the killed worker's); the second attempt only looked.
      expect(ctx.sandbox.served.filter((r) => r.operationId === operationId)).toHaveLength(1);
    } finally {
      first.kill('SIGKILL');
      await takeover.close();
    }
  },
);
