import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

async function toolNames(stdout: string, token: string): Promise<string[]> {
  const url = /(http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(stdout)![1]!;
  const client = new Client({ name: 'cli-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  const { tools } = await client.listTools();
  await client.close();
  return tools.map((tool) => tool.name);
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
    expect(names).toEqual(['delete-group', 'get-user']);
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
});
