/**
 * `okta-actions playground`: a local web page to try okta-actions as a host draws it (forms from the
 * schemas, pickers, the org's own fields, dry runs and runs), served on 127.0.0.1 with the guard of
 * guard.ts. The page (page/, bundled at build time into dist/playground/) talks to api.ts.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HostOptions } from '../runtime/host-call.js';
import { API_ROUTES, describeConnection, type PlaygroundSession } from './api.js';
import { newSessionToken, refusal } from './guard.js';

export interface PlaygroundOptions {
  port?: number;
  /** A connection to start with (the CLI's, or the built-in sandbox's); the page can set another. */
  connection?: Record<string, unknown>;
  hostOptions?: HostOptions;
  /** Where the built page is (index.html, app.js). */
  assetsDir: URL;
}

export interface Playground {
  /** The URL to open, with the session token. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1_000_000;
const ASSETS: Record<string, string> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/app.js': 'app.js',
  '/app.css': 'app.css',
};
const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

export async function startPlayground(options: PlaygroundOptions): Promise<Playground> {
  const token = newSessionToken();
  const session: PlaygroundSession = { connection: options.connection, options: options.hostOptions ?? {} };
  const state = { port: 0 };
  const server = createServer((request, response) => {
    void serve(request, response, { token, session, port: state.port, assetsDir: options.assetsDir });
  });
  state.port = await listen(server, options.port ?? 0);
  return {
    url: `http://127.0.0.1:${state.port}/?token=${token}`,
    port: state.port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Context {
  token: string;
  session: PlaygroundSession;
  port: number;
  assetsDir: URL;
}

async function serve(request: IncomingMessage, response: ServerResponse, context: Context): Promise<void> {
  try {
    const path = new URL(request.url ?? '/', 'http://placeholder').pathname;
    const api = API_ROUTES[path];
    // The scripts hold no secret; the page and every API call need the session token.
    const refused = refusal(request, context.port, context.token, path === '/' || path.startsWith('/api/'));
    if (refused) return send(response, refused.status, { error: refused.reason });
    if (api) {
      if (request.method !== 'POST') return send(response, 405, { error: 'use POST' });
      const body = await readJson(request);
      if (body === undefined)
        return send(response, 400, { error: 'the body must be a JSON object of at most 1 MB' });
      const answer = await api(body, context.session);
      return send(response, 200, answer);
    }
    if (path === '/api/session' && request.method === 'GET')
      return send(response, 200, { connection: describeConnection(context.session.connection) });
    const asset = ASSETS[path];
    if (!asset || request.method !== 'GET') return send(response, 404, { error: 'not found' });
    const text = await readFile(new URL(asset, context.assetsDir));
    response.writeHead(200, {
      'content-type': TYPES[asset.split('.').pop() ?? ''] ?? 'application/octet-stream',
      // The page may not be framed by another site, and runs only its own scripts.
      'x-frame-options': 'DENY',
      // That script compiles JSON Schemas into functions (Ajv, the form renderer's validator), which CSP
      // counts as eval; it runs no other code than its own.
      'content-security-policy':
        "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
      'cache-control': 'no-store',
    });
    response.end(text);
  } catch {
    send(response, 500, { error: 'the playground failed to answer this request' });
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  try {
    const value = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // Loopback only: nobody else on the network can reach it.
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}
