/**
 * Checks compiled ahead of time: npm run gen compiles the manifest's input and output schemas (and the
 * connection types' and the host options') with Ajv's standalone code generator (scripts/validators.mjs)
 * into validators/ at the package root, beside manifest.json, which both builds read. A fresh process then
 * runs its first action without loading Ajv (~75 ms) or compiling anything (bench/cold-start.mjs).
 *
 * A check is used only for the very schema it was compiled from: validators/index.json holds a hash of each
 * schema, compared with the schema the caller passes on first use. Anything else (a schema built at run
 * time, a manifest changed after the build, a package without validators/) is compiled by Ajv as before.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, URL } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { moduleUrl, packageRootUrl } from '../package/module-url.js';
import { formatTables } from './formats.js';

/** validators/index.json: by key (`input:get-user`), the file holding its check and its schema's hash. */
type PrecompiledIndex = Record<string, { file: string; hash: string }>;

/** What a file of validators/ exports: its checks, given the format tables they read. */
type ValidatorsModule = (formats: {
  inputFormats: unknown;
  outputFormats: unknown;
}) => Record<string, ValidateFunction>;

const folder = new URL('validators/', packageRootUrl);
let index: PrecompiledIndex | null | undefined;
const modules = new Map<string, Record<string, ValidateFunction>>();

/** The hash validators/index.json keeps of a schema (npm run gen computes it the same way). */
export function schemaHash(schema: unknown): string {
  return createHash('sha256').update(JSON.stringify(schema)).digest('base64url').slice(0, 22);
}

/** The precompiled check of `key`, when there is one for this very schema; otherwise undefined. */
export function precompiledCheck(key: string, schema: unknown): ValidateFunction | undefined {
  index ??= readIndex();
  const entry = index && Object.hasOwn(index, key) ? index[key] : undefined;
  if (!entry || entry.hash !== schemaHash(schema)) return undefined;
  let checks = modules.get(entry.file);
  if (!checks) {
    const { input, output } = formatTables();
    const load = createRequire(moduleUrl)(fileURLToPath(new URL(entry.file, folder))) as ValidatorsModule;
    checks = load({ inputFormats: input, outputFormats: output });
    modules.set(entry.file, checks);
  }
  return checks[key];
}

/** The index, or null when the package has no validators/ (checks are then compiled at run time). */
function readIndex(): PrecompiledIndex | null {
  try {
    return JSON.parse(readFileSync(new URL('index.json', folder), 'utf8')) as PrecompiledIndex;
  } catch {
    return null;
  }
}
