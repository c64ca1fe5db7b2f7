/**
 * The MCP server over Streamable HTTP, on 127.0.0.1 only: every request must carry the bearer token
 * (compared in constant time), the Host must be its loopback address and a browser's Origin its own (a
 * page elsewhere must not drive the tools through a person's browser, even by rebinding a DNS name). One session per client: its server and transport.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { createMcpServer, type ToolCatalog } from './server.js';

export interface McpHttpOptions {
  /** Built once (test-connection runs once), shared by every session. */
  catalog: ToolCatalog;
  port: number;
  /** The bearer token clients must send; one is generated when absent (read it from the result). */
  token?: string;
}

export interface McpHttpServer {
  url: string;
  token: string;
  close(): Promise<void>;
}

const BODY_LIMIT = 1024 * 1024;

/** A random token good for an Authorization header. */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export async function startMcpHttp(options: McpHttpOptions): Promise<McpHttpServer> {
  const token = options.token ?? newToken();
  const expected = digest(token);
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  // This server's own origins (and Host headers), known once it listens.
  let origins: Set<string> = new Set();

  const http = createServer((request, response) => {
    const refusal = refuse(request, origins, expected);
    if (refusal) return answer(response, refusal.status, refusal.message, refusal.status === 401);
    serve(request, response, sessions, options.catalog).catch(() => {
      if (!response.headersSent) answer(response, 500, 'The MCP request failed.');
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  origins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    token,
    close: async () => {
      await Promise.all([...sessions.values()].map((transport) => transport.close()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

function refuse(request: IncomingMessage, origins: Set<string>, expected: Buffer) {
  // A DNS name rebound to 127.0.0.1 arrives with its own Host: refused, as a foreign Origin is.
  if (!origins.has(`http://${request.headers.host ?? ''}`)) {
    return { status: 403, message: 'This Host may not use this server: use its 127.0.0.1 address.' };
  }
  const origin = request.headers.origin;
  if (origin !== undefined && !origins.has(origin)) {
    return { status: 403, message: 'This Origin may not use this server.' };
  }
  const [scheme, given] = (request.headers.authorization ?? '').split(' ');
  if (scheme?.toLowerCase() !== 'bearer' || !given || !timingSafeEqual(digest(given), expected)) {
    return { status: 401, message: 'A bearer token is needed: the one the server printed when it started.' };
  }
  if (!request.url?.startsWith('/mcp')) return { status: 404, message: 'The MCP endpoint is /mcp.' };
  return undefined;
}

/** Both sides hashed first, so that timingSafeEqual compares equal lengths whatever was sent. */
function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  sessions: Map<string, StreamableHTTPServerTransport>,
  catalog: ToolCatalog,
): Promise<void> {
  const sessionId = request.headers['mcp-session-id'];
  const existing = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
  if (existing) return existing.handleRequest(request, response);
  if (request.method !== 'POST') return answer(response, 400, 'No such session: initialize first.');
  const body = await readBody(request);
  if (body === undefined || !isInitializeRequest(body)) {
    return answer(response, 400, 'No such session: start one with an initialize request.');
  }
  const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (id) => {
      sessions.set(id, transport);
    },
  });
  transport.onclose = () => {
    if (transport.sessionId) sessions.delete(transport.sessionId);
  };
  await createMcpServer(catalog).connect(transport);
  await transport.handleRequest(request, response, body);
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT) return undefined;
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

function answer(response: ServerResponse, status: number, message: string, challenge = false): void {
  response.writeHead(status, {
    'content-type': 'application/json',
    ...(challenge ? { 'www-authenticate': 'Bearer' } : {}),
  });
  response.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}
