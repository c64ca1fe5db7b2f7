/**
 * Loads the vendored Okta Management API description and mends its known defects (see
 * test/contract/okta/NOTICE.md). Parsing the 89,000-line YAML takes over a second, so vitest's global
 * setup does it once and leaves a JSON copy that every test worker reads.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SPEC_YAML = join(root, 'test/contract/okta/management-minimal.yaml');
const CACHE = join(root, 'node_modules/.cache/okta-actions/management-minimal.json');

export type OpenApiDocument = {
  paths: Record<string, Record<string, unknown>>;
  components: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
};

export function loadMendedSpec(): OpenApiDocument {
  if (existsSync(CACHE) && statSync(CACHE).mtimeMs >= statSync(SPEC_YAML).mtimeMs) {
    return JSON.parse(readFileSync(CACHE, 'utf8')) as OpenApiDocument;
  }
  const document = mend(parse(readFileSync(SPEC_YAML, 'utf8')) as OpenApiDocument);
  mkdirSync(dirname(CACHE), { recursive: true });
  writeFileSync(CACHE, JSON.stringify(document));
  return document;
}

function mend(document: OpenApiDocument): OpenApiDocument {
  const mended = mendNode(document) as OpenApiDocument;
  // Defect 2: a path parameter must be required; this one is not marked so.
  const hookKey = mended.paths['/api/v1/hook-keys/{id}'] as {
    get?: { parameters?: Array<Record<string, unknown>> };
  };
  for (const parameter of hookKey?.get?.parameters ?? []) {
    if (parameter.in === 'path') parameter.required = true;
  }
  return mended;
}

/** Defect 1 (stray $refs in examples) and the OpenAPI 3.0 forms Ajv's draft-07 mode does not take. */
function mendNode(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(mendNode);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'example' || key === 'examples' || key === 'x-okta-lifecycle') continue;
    out[key] = mendNode(value);
  }
  if (out.nullable === true && out.type === undefined) delete out.nullable;
  for (const bound of ['exclusiveMinimum', 'exclusiveMaximum'] as const) {
    if (typeof out[bound] === 'boolean') {
      const limit = bound === 'exclusiveMinimum' ? 'minimum' : 'maximum';
      if (out[bound] && typeof out[limit] === 'number') out[bound] = out[limit];
      else delete out[bound];
      if (out[bound] !== undefined) delete out[limit];
    }
  }
  return out;
}
