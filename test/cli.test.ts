import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run-cli.js';
import { manifest } from '../src/index.js';
import { fakeUser } from './helpers/fixtures.js';
import { oktaError, oktaMock, TOKEN } from './helpers/okta-mock.js';

async function cli(argv: string[], env: Record<string, string> = {}, files: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env,
    readFile: async (path) => {
      if (path in files) return files[path]!;
      throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    },
    writeFile: async (path, text) => {
      files[path] = text;
    },
    untilStopped: async () => undefined,
  });
  return { code, stdout, stderr };
}

const env = { OKTA_API_ADDRESS: 'acme.okta.com', OKTA_API_TOKEN: TOKEN };

describe('okta-actions CLI', () => {
  it('lists actions with key, title and category', async () => {
    const { code, stdout } = await cli(['actions']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^add-user-to-group\s+Add User To Group\s+Groups$/m);
    expect(stdout.trim().split('\n')).toHaveLength(manifest.actions.length);
  });

  it('describes an action with its schemas and a runnable example', async () => {
    const { code, stdout } = await cli(['describe', 'get-user']);
    expect(code).toBe(0);
    expect(stdout).toContain('Get User (get-user), Users: reads only; scopes okta.users.read');
    expect(stdout).toContain('Input schema:');
    expect(stdout).toContain('Output schema:');
    expect(stdout).toContain(`okta-actions run get-user --input '{"user":"jane.doe@example.com"}'`);
  });

  it('prints the scopes a set of actions needs, one per line; an unknown action is a usage error', async () => {
    const { code, stdout } = await cli(['scopes', 'get-user', 'update-user', 'add-user-to-group']);
    expect(code).toBe(0);
    expect(stdout).toBe('okta.groups.manage\nokta.users.manage\n');
    const unknown = await cli(['scopes', 'get-usr']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/No such action: get-usr/);
    expect((await cli(['scopes'])).code).toBe(2);
  });

  it('runs an action and prints its output as JSON', async () => {
    oktaMock().get('/api/v1/users/jane.doe%40example.com').reply(200, fakeUser());
    const { code, stdout } = await cli(
      ['run', 'get-user', '--input', '{"user":"jane.doe@example.com"}'],
      env,
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ login: 'jane.doe@example.com' });
  });

  it('reads the input and the connection from files', async () => {
    oktaMock().get('/api/v1/users/00ub0oNGTSWTBKOLGLNR').reply(200, fakeUser());
    const files = {
      'in.json': '{"user":"00ub0oNGTSWTBKOLGLNR"}',
      'conn.json': JSON.stringify({ type: 'api_token', apiAddress: 'acme.okta.com', apiToken: TOKEN }),
    };
    const { code } = await cli(
      ['run', 'get-user', '--input-file', 'in.json', '--connection', 'conn.json'],
      {},
      files,
    );
    expect(code).toBe(0);
  });

  it('reads an input file and a connection file that start with a UTF-8 byte order mark', async () => {
    // Windows editors (Notepad, PowerShell's Out-File -Encoding utf8) write one; JSON.parse refuses it.
    oktaMock().get('/api/v1/users/00ub0oNGTSWTBKOLGLNR').reply(200, fakeUser());
    const files = {
      'in.json': '\uFEFF{"user":"00ub0oNGTSWTBKOLGLNR"}',
      'conn.json': `\uFEFF${JSON.stringify({ type: 'api_token', apiAddress: 'acme.okta.com', apiToken: TOKEN })}`,
    };
    const { code, stdout, stderr } = await cli(
      ['run', 'get-user', '--input-file', 'in.json', '--connection', 'conn.json'],
      {},
      files,
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ id: '00ub0oNGTSWTBKOLGLNR' });
  });

  it('writes tokens a run refreshed back to the connection file, and prints none of them', async () => {
    const stored = {
      type: 'oauth_access_token',
      apiAddress: 'acme.okta.com',
      accessToken: 'cli-at-1',
      refreshToken: 'cli-rt-1',
      clientId: '0oaCliPkceApp00000001',
      expiresAt: '2020-01-01T00:00:00.000Z',
    };
    const files = { 'conn.json': JSON.stringify(stored) };
    nock('https://acme.okta.com')
      .post('/oauth2/v1/token', (form) => form.refresh_token === 'cli-rt-1')
      .reply(200, {
        token_type: 'Bearer',
        access_token: 'cli-at-2',
        refresh_token: 'cli-rt-2',
        expires_in: 3600,
        scope: 'okta.users.read',
      });
    oktaMock().get('/api/v1/users/00ub0oNGTSWTBKOLGLNR').reply(200, fakeUser());
    const { code, stdout, stderr } = await cli(
      ['run', 'get-user', '--input', '{"user":"00ub0oNGTSWTBKOLGLNR"}', '--connection', 'conn.json'],
      {},
      files,
    );
    expect(code).toBe(0);
    expect(JSON.parse(files['conn.json'])).toMatchObject({
      ...stored,
      accessToken: 'cli-at-2',
      refreshToken: 'cli-rt-2',
      expiresAt: expect.not.stringMatching(/^2020/),
    });
    expect(stderr).toContain('conn.json now holds the new tokens');
    for (const secret of ['cli-at-2', 'cli-rt-2']) expect(stdout + stderr).not.toContain(secret);
  });

  it('prints the error envelope to stderr and exits 1 when the action fails', async () => {
    oktaMock()
      .get('/api/v1/users/x%40example.com')
      .reply(404, oktaError('E0000007', 'Not found: Resource not found: x@example.com (User)'));
    const { code, stdout, stderr } = await cli(
      ['run', 'get-user', '--input', '{"user":"x@example.com"}'],
      env,
    );
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(JSON.parse(stderr)).toMatchObject({ error: { code: 'NOT_FOUND' }, meta: { action: 'get-user' } });
    expect(stderr).not.toContain(TOKEN);
  });

  it('tests a connection', async () => {
    oktaMock()
      .get('/api/v1/users/me')
      .reply(200, fakeUser({ profile: { login: 'admin@example.com' } }));
    const { code, stdout } = await cli(['test-connection'], env);
    expect(code).toBe(0);
    expect(stdout).toContain('Connected to https://acme.okta.com as admin@example.com;');
  });

  it('says which connection settings are missing', async () => {
    const { code, stderr } = await cli(['run', 'get-user', '--input', '{"user":"x"}'], {
      OKTA_API_ADDRESS: 'acme.okta.com',
    });
    expect(code).toBe(2);
    expect(stderr).toContain('No Okta connection: OKTA_API_TOKEN is not set');
  });

  it('refuses bad command lines with a usage message', async () => {
    expect((await cli(['frobnicate'])).stderr).toContain('Unknown command "frobnicate"');
    expect((await cli(['run'])).code).toBe(2);
    expect((await cli(['run', 'get-user', '--input', '{oops'], env)).stderr).toContain(
      '--input is not valid JSON',
    );
    expect((await cli(['run', 'get-user', '--input', '{}', '--input-file', 'x'], env)).code).toBe(2);
    expect((await cli(['run', 'get-user', '--input-file', 'missing.json'], env)).stderr).toContain(
      'Cannot read missing.json: ENOENT',
    );
    expect((await cli(['describe', 'nope'])).stderr).toContain('There is no action "nope"');
    expect((await cli(['actions', '--bogus'])).code).toBe(2);
  });

  it('has --help on every command', async () => {
    for (const command of ['actions', 'describe', 'run', 'test-connection', 'sandbox', 'demo']) {
      const { code, stdout } = await cli([command, '--help']);
      expect(code, command).toBe(0);
      expect(stdout, command).toContain(`okta-actions ${command}`);
    }
    const general = await cli(['--help']);
    expect(general.code).toBe(0);
    expect(general.stdout).toContain('OKTA_API_TOKEN');
  });
});
