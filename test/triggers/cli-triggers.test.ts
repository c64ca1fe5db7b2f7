/** The trigger commands of the CLI against a sandbox: triggers, poll (once and --follow), listen. */
import { describe, expect, it } from 'vitest';
import { execute } from '../../src/index.js';
import { manifest } from '../../src/manifest/manifest.js';
import { cli } from '../helpers/cli.js';
import { useSandbox } from '../helpers/sandbox.js';
import { SANDBOX_HOST, sandboxConnection } from '../helpers/sandbox-actions.js';

const context = useSandbox();
const env = () => ({ OKTA_API_ADDRESS: context.sandbox.url, OKTA_API_TOKEN: context.sandbox.token });

async function createUser(login: string) {
  const created = await execute(
    'create-user',
    {
      connection: sandboxConnection(context.sandbox),
      input: { profile: { email: login, firstName: 'Cli', lastName: 'Test' } },
    },
    SANDBOX_HOST,
  );
  if (!created.ok) throw new Error(created.error.message);
}

describe('okta-actions trigger commands', () => {
  it('lists every trigger with its key, title and event types', async () => {
    const { code, stdout } = await cli(['triggers']);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(manifest.triggers.length);
    expect(lines.find((l) => l.startsWith('user-added-to-group'))).toMatch(
      /User Added to Group\s+group\.user_membership\.add/,
    );
  });

  it('polls: events as JSON lines on stdout, the cursor on stderr; the next poll from it repeats nothing', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    await createUser('cli.one@example.com');
    const first = await cli(['poll', 'user-created', '--since', since, '--allow-loopback'], env());
    expect(first.code).toBe(0);
    const events = first.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events.map((e) => e.user.login)).toEqual(['cli.one@example.com']);
    const { cursor } = JSON.parse(first.stderr.trim().split('\n').at(-1)!);
    await createUser('cli.two@example.com');
    const second = await cli(['poll', 'user-created', '--cursor', cursor, '--allow-loopback'], env());
    expect(
      second.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).user.login),
    ).toEqual(['cli.two@example.com']);
  });

  it('refuses an unknown trigger (with the closest key) and --since with --cursor, before any request', async () => {
    const unknown = await cli(['poll', 'user-create', '--allow-loopback'], env());
    expect(unknown).toMatchObject({ code: 2 });
    expect(unknown.stderr).toContain('Did you mean "user-created"?');
    const both = await cli(
      ['poll', 'user-created', '--since', '2026-12-01T00:00:00Z', '--cursor', 'abc', '--allow-loopback'],
      env(),
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--since and --cursor both give where to start/);
    expect(context.sandbox.served).toHaveLength(0);
  });

  it('listen: serves a receiver, subscribes, prints each event, and removes its hook when stopped', async () => {
    const result = await cli(
      ['listen', 'user-created', 'user-deactivated', '--allow-loopback'],
      env(),
      {},
      {
        whileRunning: async () => {
          await createUser('cli.listen@example.com');
          await context.sandbox.eventHookDeliveries.idle();
        },
      },
    );
    expect(result.code).toBe(0);
    const printed = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(printed).toEqual([
      expect.objectContaining({
        trigger: 'user-created',
        event: expect.objectContaining({
          user: expect.objectContaining({ login: 'cli.listen@example.com' }),
        }),
      }),
    ]);
    expect(result.stderr).toMatch(/Listening on port \d+/);
    expect(result.stderr).toContain('Unsubscribed');
    const hooks = await execute(
      'list-event-hooks',
      { connection: sandboxConnection(context.sandbox), input: {} },
      SANDBOX_HOST,
    );
    expect(hooks.ok && hooks.output.eventHooks.map((h) => h.name)).not.toContain('okta-actions-cli-listen');
  });
});
