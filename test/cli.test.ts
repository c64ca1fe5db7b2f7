import { createServer } from 'node:net';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { explainListenFailure } from '../src/cli/sandbox-command.js';
import { manifest } from '../src/index.js';
import { cli } from './helpers/cli.js';
import { fakeUser } from './helpers/fixtures.js';
import { oktaError, oktaMock, TOKEN } from './helpers/okta-mock.js';

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
    expect((await cli(['constructor'])).stderr).toContain('Unknown command "constructor"');
    expect((await cli(['tset-connection'])).stderr).toContain('Did you mean "test-connection"?');
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
    expect(general.stdout).toContain(
      'Exit codes: 0 success; 1 the action or the connection test failed, or the sandbox could not start (its port in use, say); 2 the command line was wrong',
    );
  });

  it('refuses an input that is not a JSON object, before reading any connection', async () => {
    // No connection at all: the input's mistake must be the one reported.
    const array = await cli(['run', 'get-user', '--input', '[{"user":"x"}]']);
    expect(array.code).toBe(2);
    expect(array.stderr).toContain('The input must be a JSON object ({...}), got an array (in --input).');
    expect(array.stderr).not.toContain('No Okta connection');
    const text = await cli(['run', 'get-user', '--input-file', 'in.json'], env, { 'in.json': '"jane"' });
    expect(text.code).toBe(2);
    expect(text.stderr).toContain(
      'The input must be a JSON object ({...}), got a string (in the file in.json).',
    );
    for (const [json, kind] of [
      ['null', 'null'],
      ['42', 'a number'],
      ['true', 'true'],
    ]) {
      expect((await cli(['run', 'get-user', '--input', json!], env)).stderr).toContain(
        `got ${kind} (in --input)`,
      );
    }
    const connection = await cli(
      ['run', 'get-user', '--input', '{"user":"x"}', '--connection', 'c.json'],
      {},
      {
        'c.json': '[]',
      },
    );
    expect(connection.code).toBe(2);
    expect(connection.stderr).toContain('The connection must be a JSON object ({...}), got an array');
  });

  it('says where JSON is broken without quoting it: the text can hold a token or a password', async () => {
    const files = {
      'conn.json': '{"type":"api_token",\n "apiAddress":"acme.okta.com",\n "apiToken":x00SecretTokenValue"}',
    };
    const connection = await cli(['test-connection', '--connection', 'conn.json'], {}, files);
    expect(connection.code).toBe(2);
    expect(connection.stderr).toMatch(
      /^the connection file conn\.json is not valid JSON: Unexpected token 'x'\n/,
    );
    expect(connection.stderr).not.toContain('SecretToken');
    const input = await cli(
      ['run', 'set-password', '--input', '{"user":"x","password":"Hunter2Hunter2"'],
      env,
    );
    expect(input.stderr).toMatch(
      /^--input is not valid JSON: Expected ',' or '}' after property value \(line 1, column 40\)\n/,
    );
    expect(input.stderr).not.toContain('Hunter2');
    const trailingComma = await cli(['run', 'get-user', '--input-file', 'in.json'], env, {
      'in.json': '{\n  "user": "x",\n}',
    });
    expect(trailingComma.stderr).toContain(
      'the file in.json is not valid JSON: Expected double-quoted property name (line 3, column 1)',
    );
  });

  it('says a UTF-16 file is not UTF-8 instead of failing to parse it', async () => {
    // What Windows PowerShell's `>` writes, read as UTF-8: a NUL after every ASCII character.
    const utf16 = Buffer.from('\uFEFF{"user":"x"}', 'utf16le').toString('utf8');
    const { code, stderr } = await cli(['run', 'get-user', '--input-file', 'in.json'], env, {
      'in.json': utf16,
    });
    expect(code).toBe(2);
    expect(stderr).toContain('in.json is not UTF-8 text (it looks like UTF-16); save it as UTF-8.');
  });

  it('reports an unknown action first, with the closest key, whether or not a connection is set', async () => {
    for (const environment of [{}, env]) {
      const { code, stdout, stderr } = await cli(['run', 'get-usr', '--input', '{}'], environment);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^There is no action "get-usr"\. Did you mean "get-user"\?/);
      expect(stderr).not.toContain('No Okta connection');
    }
    expect((await cli(['describe', 'list-user'])).stderr).toContain('Did you mean "list-users"?');
    expect((await cli(['run', 'frobnicate-everything'])).stderr).not.toContain('Did you mean');
  });

  it('refuses a value option given twice, or two options that give the same thing, naming them', async () => {
    const twice = await cli(['run', 'get-user', '--input', '{"user":"a"}', '--input', '{"user":"b"}'], env);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('--input is given more than once; give it once.');
    const both = await cli(['run', 'get-user', '--input', '{}', '--input-file', 'x.json'], env);
    expect(both.stderr).toContain('--input and --input-file both give the input; give one of them.');
    const ports = await cli(['sandbox', '--port', '0', '--port=0']);
    expect(ports.code).toBe(2);
    expect(ports.stderr).toContain('--port is given more than once');
    expect(ports.stdout).toBe('');
    const connections = await cli(['test-connection', '--connection', 'a.json', '--connection', 'b.json']);
    expect(connections.stderr).toContain('--connection is given more than once');
    // A flag said twice says the same thing twice: not an error.
    oktaMock().get('/api/v1/users/x').reply(200, fakeUser());
    expect(
      (await cli(['run', 'get-user', '--input', '{"user":"x"}', '--dry-run', '--dry-run'], env)).code,
    ).toBe(0);
  });

  it('checks the numbers the sandbox takes, naming the option and its range', async () => {
    const refused: Array<[string[], string]> = [
      [
        ['--port', '70000'],
        '--port must be a whole number from 0 to 65535 (0 picks a free port); got "70000".',
      ],
      [['--port', '80.5'], '--port must be a whole number from 0 to 65535'],
      [['--port=-1'], '--port must be a whole number from 0 to 65535'],
      [['--port='], '--port must be a whole number from 0 to 65535'],
      [['--port', '0x50'], '--port must be a whole number'],
      [
        ['--rate-limit', '0'],
        '--rate-limit must be a whole number of 1 or more (requests per minute for each endpoint;',
      ],
      [
        ['--latency=-5'],
        '--latency must be a whole number from 0 to 2147483647 (milliseconds added to every answer)',
      ],
      [
        ['--seed', '1e3'],
        '--seed must be a whole number from 0 to 1000000 (generated users to add); got "1e3".',
      ],
      [['--seed', '1000001'], '--seed must be a whole number from 0 to 1000000'],
      [['--port'], '--port needs a value'],
      [['--token', 'two words'], '--token must be printable characters without spaces.'],
    ];
    for (const [options, message] of refused) {
      const { code, stdout, stderr } = await cli(['sandbox', ...options]);
      expect(code, options.join(' ')).toBe(2);
      expect(stderr, options.join(' ')).toContain(message);
      expect(stdout, options.join(' ')).toBe('');
    }
  });

  it('starts the sandbox with the numbers given, the rate limit included', async () => {
    let limit: string | null = null;
    const { code, stdout } = await cli(
      [
        'sandbox',
        '--port',
        '0',
        '--rate-limit',
        '7',
        '--seed',
        '3',
        '--latency',
        '0',
        '--token',
        'cli-test-token',
      ],
      {},
      {},
      {
        whileRunning: async (out) => {
          const url = /listening on (\S+)/.exec(out)![1];
          const answer = await fetch(`${url}/api/v1/users?limit=1`, {
            headers: { authorization: 'SSWS cli-test-token', accept: 'application/json' },
          });
          limit = answer.headers.get('x-rate-limit-limit');
        },
      },
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Okta sandbox listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(limit).toBe('7');
  });

  it('says which port is in use and what to do, and exits 1 (a failure to start, not a usage mistake)', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const { code, stdout, stderr } = await cli(['sandbox', '--port', String(port)]);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toBe(
        `Port ${port} is already in use; choose another with --port, or --port 0 for a free one.\n`,
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    expect(explainListenFailure(Object.assign(new Error('listen EACCES'), { code: 'EACCES' }), 80)).toBe(
      'Port 80 may not be used by this user (ports below 1024 usually need privileges); choose another with --port, or --port 0 for a free one.',
    );
    expect(explainListenFailure(new Error('something else'), 80)).toBeUndefined();
  });

  it('refuses options a command does not take, unknown options, and misplaced values, naming them', async () => {
    const cases: Array<[string[], string]> = [
      [
        ['run', 'get-user', '--port', '8080'],
        'okta-actions run does not take --port (it takes --input, --input-file, --dry-run, --connection, --allow-loopback).',
      ],
      [['actions', '--dry-run'], 'okta-actions actions does not take --dry-run.'],
      [['run', 'get-user', '--dryrun'], 'Unknown option --dryrun. Did you mean --dry-run?'],
      [['run', 'get-user', '--dry-run=yes'], '--dry-run takes no value (got "yes").'],
      // Names every object has: an option table read with `in` would take them for options.
      [['run', 'get-user', '--constructor', 'x'], 'Unknown option --constructor.'],
      [['run', 'get-user', '--toString'], 'Unknown option --toString.'],
      [['run', 'get-user', '--input'], '--input needs a value.'],
      [
        ['run', 'get-user', '--input', '--dry-run'],
        '--input needs a value, and "--dry-run" looks like an option',
      ],
      [
        ['run', 'get-user', '{"user":"x"}'],
        `okta-actions run takes one action key; "{"user":"x"}" is one too many (the input goes in --input '<json>').`,
      ],
      [['run'], 'okta-actions run takes one action key; none was given.'],
      [['actions', 'extra'], 'okta-actions actions takes no arguments; "extra" is one too many.'],
    ];
    for (const [argv, message] of cases) {
      const { code, stdout, stderr } = await cli(argv, env);
      expect(code, argv.join(' ')).toBe(2);
      expect(stdout, argv.join(' ')).toBe('');
      expect(stderr, argv.join(' ')).toContain(message);
      expect(stderr, argv.join(' ')).toContain(`Usage: okta-actions ${argv[0]}`);
    }
  });
});
