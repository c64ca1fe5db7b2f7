import { request as httpRequest } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { manifest } from '../../src/manifest/manifest.js';
import { type McpHttpServer, startMcpHttp } from '../../src/mcp/http.js';
import { buildToolCatalog } from '../../src/mcp/server.js';
import { useSandbox } from '../helpers/sandbox.js';
import { SANDBOX_HOST, sandboxConnection } from '../helpers/sandbox-actions.js';

const env = useSandbox();
let server: McpHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const catalog = () =>
  buildToolCatalog({
    connections: [{ name: 'sandbox', connection: sandboxConnection(env.sandbox) }],
    hostOptions: SANDBOX_HOST,
  });

async function start() {
  server = await startMcpHttp({ port: 0, catalog: await catalog() });
  return server;
}

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
};

function post(url: string, headers: Record<string, string>) {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify(initialize),
  });
}

describe('MCP over Streamable HTTP', () => {
  it('serves the tools to a client with the bearer token, and runs one', async () => {
    const { url, token } = await start();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const client = new Client({ name: 'http-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(url), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(manifest.actions.length);
    const result = await client.callTool({ name: 'get-user', arguments: { user: 'jane.doe@example.com' } });
    expect(result.isError).toBeFalsy();
    expect(JSON.stringify(result)).not.toContain(env.sandbox.token);
    await client.close();
  });

  it('asks a client with elicitation to confirm a destructive tool over the same session', async () => {
    const { url, token } = await start();
    const groupId = (await env.api.post('/api/v1/groups', { profile: { name: 'Doomed over HTTP' } })).body.id;
    const client = new Client({ name: 'http-test', version: '1.0.0' }, { capabilities: { elicitation: {} } });
    const asked: string[] = [];
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      asked.push(request.params.message);
      return { action: 'accept', content: { confirm: true } };
    });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(url), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    const result = await client.callTool({ name: 'delete-group', arguments: { groupId } });
    expect(asked).toHaveLength(1);
    expect(result.isError).toBeFalsy();
    expect((await env.api.get(`/api/v1/groups/${groupId}`)).status).toBe(404);
    await client.close();
  });

  it('refuses a missing or wrong bearer token', async () => {
    const { url, token } = await start();
    // What the connection's test read when the server started; a refused request adds nothing to it.
    const servedAtStart = env.sandbox.served.length;
    expect((await post(url, {})).status).toBe(401);
    expect((await post(url, { authorization: `Bearer ${token}x` })).status).toBe(401);
    expect((await post(url, { authorization: 'Bearer short' })).status).toBe(401);
    expect(env.sandbox.served).toHaveLength(servedAtStart);
  });

  it('refuses a foreign Origin, even with the token; accepts its own', async () => {
    const { url, token } = await start();
    const authorization = `Bearer ${token}`;
    expect((await post(url, { authorization, origin: 'https://evil.example' })).status).toBe(403);
    const own = new URL(url).origin;
    expect((await post(url, { authorization, origin: own })).status).toBe(200);
  });

  it('refuses a Host other than its loopback address (a rebound DNS name)', async () => {
    const { url, token } = await start();
    const port = new URL(url).port;
    const answer = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path: '/mcp',
          method: 'POST',
          headers: {
            host: `evil.example:${port}`,
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
          },
        },
        (response) => resolve(response.statusCode ?? 0),
      );
      request.on('error', reject);
      request.end(JSON.stringify(initialize));
    });
    expect(answer).toBe(403);
  });

  it('uses the token it was given', async () => {
    server = await startMcpHttp({
      port: 0,
      token: 'given-token-123',
      catalog: await catalog(),
    });
    expect(server.token).toBe('given-token-123');
    expect((await post(server.url, { authorization: 'Bearer given-token-123' })).status).toBe(200);
  });
});
