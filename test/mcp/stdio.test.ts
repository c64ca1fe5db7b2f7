import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

// The built command, started by the client as an MCP client config does (npm test builds dist/ first).
describe('okta-actions mcp over stdio (dist/cli.js)', () => {
  it('serves the read-only tools of a sandbox and runs one', async () => {
    expect(existsSync(`${root}dist/cli.js`), 'dist/ is missing: npm run build').toBe(true);
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [`${root}dist/cli.js`, 'mcp', '--sandbox', '--read-only'],
      stderr: 'pipe',
    });
    const client = new Client({ name: 'stdio-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.length).toBeGreaterThan(0);
      expect(tools.every((tool) => tool.annotations?.readOnlyHint === true)).toBe(true);
      const result = await client.callTool({ name: 'get-user', arguments: { user: 'jane.doe@example.com' } });
      expect(result.isError).toBeFalsy();
      expect((result.structuredContent as { login: string }).login).toBe('jane.doe@example.com');
    } finally {
      await client.close();
    }
  });
});
