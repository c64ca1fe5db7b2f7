/**
 * A browser page made from a TypeScript entry: bundled with esbuild (React and the rest included, for
 * browsers) and served with a bare HTML shell by a loopback HTTP server on a free port. Nothing here
 * knows about forms or tests; a playground can serve its own entry the same way.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';

/** Bundles `entry` (and everything it imports) into one browser script, kept in memory. */
export async function bundleBrowserEntry(entry: string, options: { minify?: boolean } = {}): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: options.minify ?? true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const [file] = result.outputFiles;
  if (!file) throw new Error(`esbuild produced nothing for ${entry}`);
  return file.text;
}

export interface PageOptions {
  title: string;
  /** The bundled script, served as /page.js and loaded at the end of the body. */
  script: string;
  /** Extra markup for <head>, like a <style> element. */
  head?: string;
}

export interface ServedPage {
  /** http://127.0.0.1:<port>/ */
  url: string;
  close(): Promise<void>;
}

/** Serves the page on 127.0.0.1 at a port the system picks; anything but / and /page.js is a 404. */
export async function servePage(options: PageOptions): Promise<ServedPage> {
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(options.title)}</title>${options.head ?? ''}</head>
<body><div id="root"></div><script src="/page.js"></script></body>
</html>
`;
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const [type, body] =
      path === '/'
        ? ['text/html; charset=utf-8', html]
        : path === '/page.js'
          ? ['text/javascript; charset=utf-8', options.script]
          : ['text/plain; charset=utf-8', undefined];
    response.writeHead(body === undefined ? 404 : 200, {
      'content-type': type,
      'cache-control': 'no-store',
    });
    response.end(body ?? 'not found');
  });
  await listen(server);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}
