#!/usr/bin/env node
/**
 * Builds the playground's page (src/playground/page: React and react-jsonschema-form) into
 * dist/playground/: one script bundled and minified with esbuild, the HTML and the stylesheet. The page
 * ships built in the package, so `okta-actions playground` installs and downloads nothing at run time;
 * React and RJSF are devDependencies, in the bundle only.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const page = join(root, 'src/playground/page');
const out = join(root, 'dist/playground');

await mkdir(out, { recursive: true });
await build({
  entryPoints: [join(page, 'app.tsx')],
  outfile: join(out, 'app.js'),
  bundle: true,
  minify: true,
  format: 'iife',
  platform: 'browser',
  target: ['chrome120', 'firefox120', 'safari17'],
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  legalComments: 'eof',
  logLevel: 'warning',
});
await copyFile(join(page, 'index.html'), join(out, 'index.html'));
await copyFile(join(page, 'app.css'), join(out, 'app.css'));
console.log('built dist/playground/ (index.html, app.js, app.css)');
