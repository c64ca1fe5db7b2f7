import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import { cli } from '../helpers/cli.js';

async function listTools(stdout: string, token: string) {
  const url = /(http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(stdout)![1]!;
  const client = new Client({ name: 'cli-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  const { tools } = await client.listTools();
  await client.close();
  return tools;
}

async function toolNames(stdout: string, token: string): Promise<string[]> {
  return (await listTools(stdout, token)).map((tool) => tool.name);
}

describe('okta-actions mcp', () => {
  it('serves the selected tools over HTTP with the sandbox and the token from the environment', async () => {
    let names: string[] = [];
    const { code, stderr } = await cli(
      ['mcp', '--http', '--sandbox', '--actions', 'get-user,delete-group'],
      { OKTA_ACTIONS_MCP_TOKEN: 'token-from-env' },
      {},
      {
        whileRunning: async (stdout) => {
          names = await toolNames(stdout, 'token-from-env');
        },
      },
    );
    expect(code).toBe(0);
    expect(names).toEqual(['delete-group', 'get-user', 'explain-hidden-tools']);
    expect(stderr).not.toContain('token-from-env');
  });

  it('generates a token when none is given and prints it to stderr; --read-only and --categories select', async () => {
    let stdoutSeen = '';
    const { code, stderr } = await cli(
      ['mcp', '--http', '--sandbox', '--read-only', '--categories', 'Groups'],
      {},
      {},
      {
        whileRunning: async (stdout) => {
          stdoutSeen = stdout;
        },
      },
    );
    expect(code).toBe(0);
    const token = /Bearer token: (\S+)/.exec(stderr)?.[1];
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(stdoutSeen).toMatch(/\(\d+ tools\)/);
  });

  it('refuses an unknown action or category, and --port without --http', async () => {
    const unknown = await cli(['mcp', '--sandbox', '--actions', 'get-usr']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('There is no action "get-usr"');
    const category = await cli(['mcp', '--sandbox', '--categories', 'Nope']);
    expect(category.code).toBe(2);
    expect((await cli(['mcp', '--sandbox', '--port', '8080'])).code).toBe(2);
    expect((await cli(['mcp'])).stderr).toContain('No Okta connection');
  });

  it('serves several named orgs from --connection name=file, tests each, and names them in every tool', async () => {
    const [acme, globex] = await Promise.all([startSandbox(), startSandbox({ randomSeed: 99 })]);
    const files = {
      'acme.json': JSON.stringify({ type: 'api_token', apiAddress: acme.url, apiToken: acme.token }),
      'other.json': JSON.stringify({ type: 'api_token', apiAddress: globex.url, apiToken: globex.token }),
    };
    let enums: unknown;
    try {
      const { code, stderr } = await cli(
        [
          'mcp',
          '--http',
          '--allow-loopback',
          '--connection',
          'acme.json',
          '--connection',
          'globex=other.json',
        ],
        { OKTA_ACTIONS_MCP_TOKEN: 't0ken' },
        files,
        {
          whileRunning: async (stdout) => {
            const tools = await listTools(stdout, 't0ken');
            const getUser = tools.find((tool) => tool.name === 'get-user')!;
            enums = (getUser.inputSchema.properties as { connection: { enum: string[] } }).connection.enum;
          },
        },
      );
      expect(code).toBe(0);
      expect(enums).toEqual(['acme', 'globex']);
      expect(stderr).toMatch(/Connection acme: Connected to .* 1 tool is hidden for it/);
      expect(stderr).toMatch(/Connection globex: Connected to /);
      expect(stderr).not.toContain(acme.token);
    } finally {
      await Promise.all([acme.close(), globex.close()]);
    }
  });

  it('refuses two connections of one name, and a name it cannot use', async () => {
    const file = JSON.stringify({ type: 'api_token', apiAddress: 'acme.okta.com', apiToken: '00x' });
    const files = { 'a/prod.json': file, 'b/prod.json': file, 'my org.json': file };
    const twice = await cli(['mcp', '--connection', 'a/prod.json', '--connection', 'b/prod.json'], {}, files);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('Two connections are named "prod"');
    const spaced = await cli(['mcp', '--connection', 'my org.json'], {}, files);
    expect(spaced.code).toBe(2);
    expect(spaced.stderr).toContain('The connection name "my org"');
    const run = await cli(
      ['run', 'get-user', '--connection', 'a/prod.json', '--connection', 'b/prod.json'],
      {},
      files,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--connection is given more than once');
  });
});
