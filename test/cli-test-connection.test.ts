/** `okta-actions test-connection` against a sandbox org: a short summary, the table and JSON on request. */
import { describe, expect, it } from 'vitest';
import { manifest } from '../src/index.js';
import { cli } from './helpers/cli.js';
import { useSandbox } from './helpers/sandbox.js';

const ctx = useSandbox();

/** The sandbox's admin token, from the environment as a person would set it. */
const adminEnv = () => ({ OKTA_API_ADDRESS: ctx.sandbox.url, OKTA_API_TOKEN: ctx.sandbox.token });

/** Actions an API token cannot run, whatever its admin's roles: those limited to other connection types. */
const notForApiTokens = manifest.actions
  .filter((action) => action.connectionTypes && !action.connectionTypes.includes('api_token'))
  .map((action) => action.key);

/** The rows of the per-action table: key, expectation, reason. */
const tableRows = (text: string) => [...text.matchAll(/^([a-z0-9-]+) +(yes|no|unknown)\b *(.*)$/gm)];

describe('okta-actions test-connection', () => {
  it('documents the summary, --actions and --json in its --help', async () => {
    const { code, stdout } = await cli(['test-connection', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('okta-actions test-connection [--actions | --json]');
    expect(stdout).toContain('--actions adds every action with whether it is expected to work');
    expect(stdout).toContain('--json prints the whole result as JSON instead');
  });

  it('prints a short summary: who, roles, what will not work and why, the rate limit; no table', async () => {
    const { code, stdout, stderr } = await cli(['test-connection', '--allow-loopback'], adminEnv());
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const total = manifest.actions.length;
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(
      `Connected to ${ctx.sandbox.url} as sandbox.admin@example.com (SUPER_ADMIN); ${total - notForApiTokens.length} of ${total} actions are expected to work, ${notForApiTokens.length} ${notForApiTokens.length === 1 ? 'is' : 'are'} not.`,
    );
    expect(stdout).toMatch(
      /^ {2}Acts as: +the user sandbox\.admin@example\.com \(00u\w+\), with an API token$/m,
    );
    expect(stdout).toMatch(/^ {2}Admin roles: +SUPER_ADMIN$/m);
    expect(stdout).toMatch(/^ {2}Features: +Devices API available, Realms available$/m);
    expect(stdout).toMatch(
      new RegExp(
        `^ {2}Will not work: +${notForApiTokens.length} actions?, because it runs only with oauth_access_token connections:\\n +${notForApiTokens.join(', ')}$`,
        'm',
      ),
    );
    expect(stdout).toMatch(
      /^ {2}Rate limit: +\d+ of 600 requests left on the last endpoint read; resets at \d{4}-/m,
    );
    expect(lines.at(-1)).toBe(
      'Every action and whether it is expected to work: --actions. The whole result as JSON: --json.',
    );
    // The summary, not the 92 actions: the issue saw 393 lines here.
    expect(lines.length).toBeLessThan(12);
    expect(tableRows(stdout)).toEqual([]);
  });

  it('adds the table of every action with --actions', async () => {
    const { code, stdout } = await cli(['test-connection', '--allow-loopback', '--actions'], adminEnv());
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Connected to /);
    expect(stdout).toMatch(/^Action +Expected +Why not$/m);
    const rows = tableRows(stdout);
    expect(rows.map((row) => row[1])).toEqual(manifest.actions.map((action) => action.key));
    expect(rows.find((row) => row[1] === 'get-user')?.[2]).toBe('yes');
    for (const key of notForApiTokens) {
      expect(rows.find((row) => row[1] === key)?.slice(2)).toEqual([
        'no',
        'it runs only with oauth_access_token connections',
      ]);
    }
    expect(stdout).not.toContain('--actions.');
  });

  it('prints the whole result as JSON with --json, and refuses --json with --actions', async () => {
    const { code, stdout } = await cli(['test-connection', '--allow-loopback', '--json'], adminEnv());
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({
      ok: true,
      message: expect.stringMatching(/^Connected to /),
      details: { connectionType: 'api_token', adminRoles: ['SUPER_ADMIN'] },
    });
    expect(result.details.actions).toHaveLength(manifest.actions.length);
    expect(Object.keys(result)).toEqual(['ok', 'message', 'details']);

    const both = await cli(['test-connection', '--allow-loopback', '--json', '--actions'], adminEnv());
    expect(both.code).toBe(2);
    expect(both.stdout).toBe('');
    expect(both.stderr).toContain('--actions and --json both give the actions');
  });

  it('prints a failure to stderr in a few lines, with the error code, and exits 1', async () => {
    const env = { ...adminEnv(), OKTA_API_TOKEN: '00notTheSandboxTokenAtAll' };
    const { code, stdout, stderr } = await cli(['test-connection', '--allow-loopback'], env);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^Okta rejected the API token \(E0000011 /);
    expect(stderr).toMatch(
      /^ {2}Error: +UNAUTHORIZED, HTTP 401, Okta E0000011; trying again as is will not help$/m,
    );
    expect(stderr.trimEnd().split('\n')).toHaveLength(2);
    expect(stderr).not.toContain('00notTheSandboxTokenAtAll');

    const json = await cli(['test-connection', '--allow-loopback', '--json'], env);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stderr)).toMatchObject({
      ok: false,
      details: { code: 'UNAUTHORIZED', status: 401 },
    });
  });

  it('names the problem of a connection that is not usable', async () => {
    const files = { 'conn.json': JSON.stringify({ type: 'api_token', apiAddress: '', apiToken: 'x' }) };
    const { code, stderr } = await cli(['test-connection', '--connection', 'conn.json'], {}, files);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^ {2}Problem: +apiAddress must not be empty$/m);
  });

  it('shows an OAuth app its scopes, names the actions they do not cover, and counts those it cannot tell', async () => {
    const scopes = ['okta.users.read'];
    const app = ctx.sandbox.oauth.addClient({
      tokenEndpointAuthMethod: 'client_secret_basic',
      grantTypes: ['client_credentials'],
      scopes,
      apiServiceIntegration: true,
    });
    const connection = {
      type: 'oauth_client_secret',
      apiAddress: ctx.sandbox.url,
      clientId: app.clientId,
      clientSecret: app.clientSecret!,
      scopes,
    };
    const files = { 'conn.json': JSON.stringify(connection) };
    const { code, stdout } = await cli(
      ['test-connection', '--allow-loopback', '--connection', 'conn.json'],
      {},
      files,
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(
      new RegExp(`^ {2}Acts as: +the service app ${app.clientId}, with oauth_client_secret$`, 'm'),
    );
    expect(stdout).toMatch(/^ {2}Scopes: +okta\.users\.read$/m);
    // Without okta.roles.read the app's roles cannot be read, so the actions its scope covers cannot be told.
    expect(stdout).toMatch(/^ {2}Admin roles: +could not be read$/m);
    // Some 80 actions will not work, for some 20 reasons: the commonest are counted, --actions names them.
    expect(stdout).toMatch(
      /^ {2}Will not work: +\d+ actions, because the token lacks the scope okta\.users\.manage$/m,
    );
    expect(stdout).toMatch(/^ {2}Will not work: +\d+ more, for \d+ other reasons$/m);
    expect(stdout.match(/Will not work:/g)).toHaveLength(6);
    expect(stdout).toMatch(/^ {2}Cannot tell: +\d+ actions?, because the admin roles could not be read$/m);
    expect(stdout).not.toContain(app.clientSecret!);
    expect(stdout.trimEnd().split('\n').length).toBeLessThan(15);
  });
});
