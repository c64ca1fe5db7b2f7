/** `okta-actions lookup` against a sandbox org: options one a line or as JSON, search, pages, dependencies. */
import { describe, expect, it } from 'vitest';
import { cli } from './helpers/cli.js';
import { useSandbox } from './helpers/sandbox.js';
import { appIdOf } from './helpers/sandbox-data.js';

// Generated users besides the base cast, so that the users' picker has more than one page.
const ctx = useSandbox({ seed: 30 });

/** The sandbox's admin token, from the environment as a person would set it. */
const adminEnv = () => ({ OKTA_API_ADDRESS: ctx.sandbox.url, OKTA_API_TOKEN: ctx.sandbox.token });
const lookup = (...argv: string[]) => cli(['lookup', ...argv, '--allow-loopback'], adminEnv());

describe('okta-actions lookup', () => {
  it('documents itself in --help and in the general help', async () => {
    const help = await cli(['lookup', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(
      'okta-actions lookup <action-key> <field> [--search <text>] [--cursor <c>]',
    );
    expect(help.stdout).toContain('Connection: --connection <file.json>');
    expect((await cli(['--help'])).stdout).toContain('okta-actions lookup <action-key> <field>');
  });

  it('prints one option a line: the value, a tab, the label and the description', async () => {
    const { code, stdout, stderr } = await lookup('add-user-to-group', 'groupId', '--search', 'Eng');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^00g\w{17}\tEngineering\tEveryone in Engineering\n$/);
  });

  it('prints the cursor of the next page on stderr, and reads that page with --cursor', async () => {
    const first = await lookup('suspend-user', 'user');
    expect(first.code).toBe(0);
    expect(first.stdout.trimEnd().split('\n')).toHaveLength(20);
    const cursor = /^More options: add --cursor (\S+)$/m.exec(first.stderr)?.[1];
    expect(cursor).toBeDefined();
    const second = await lookup('suspend-user', 'user', '--cursor', cursor!, '--json');
    expect(second.code).toBe(0);
    const page = JSON.parse(second.stdout) as {
      options: Array<{ value: string }>;
      nextCursor: string | null;
    };
    expect(page.options.length).toBeGreaterThan(0);
    const firstValues = new Set(first.stdout.split('\n').map((line) => line.split('\t')[0]));
    for (const option of page.options) expect(firstValues.has(option.value)).toBe(false);
  });

  it('takes the fields a lookup depends on from --input', async () => {
    const input = JSON.stringify({ appId: appIdOf(ctx.sandbox, 'Slack') });
    const { code, stdout } = await lookup(
      'unassign-user-from-app',
      'user',
      '--input',
      input,
      '--search',
      'jane',
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/^00u\w{17}\tjane\.doe@example\.com\t/m);
    for (const line of stdout.trimEnd().split('\n')) expect(line).toMatch(/^00u\w{17}\tjane/);
  });

  it('a missing dependency fails with the error as JSON on stderr, exit 1', async () => {
    const { code, stdout, stderr } = await lookup('unassign-user-from-app', 'user');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(JSON.parse(stderr).error).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('needs "appId" first'),
    });
  });

  it('refuses an unknown action or field, or a field without a picker, before reading the connection (exit 2)', async () => {
    const cases: Array<[string[], string]> = [
      [
        ['add-user-to-grup', 'groupId'],
        'There is no action "add-user-to-grup". Did you mean "add-user-to-group"?',
      ],
      [
        ['add-user-to-group', 'grupId'],
        'add-user-to-group has no input field "grupId". Did you mean "groupId"? Fields of add-user-to-group with a lookup: groupId, user.',
      ],
      [
        ['create-group', 'name'],
        'The field "name" of create-group has no lookup: it is not an Okta object\'s id or login.',
      ],
      [['list-user-grants', 'scopeId'], 'no list offers its values: The id of an authorization server'],
      [['add-user-to-group'], 'okta-actions lookup takes an action key and a field'],
    ];
    for (const [argv, message] of cases) {
      // No connection in the environment: the command line is refused before it would be missed.
      const { code, stderr } = await cli(['lookup', ...argv]);
      expect(code, argv.join(' ')).toBe(2);
      expect(stderr).toContain(message);
      expect(stderr).not.toContain('No Okta connection');
    }
  });
});
