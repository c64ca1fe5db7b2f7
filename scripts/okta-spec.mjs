/**
 * Okta's published API descriptions, the Management API (schemas/okta/management-minimal.yaml) and the
 * OpenID Connect & OAuth 2.0 API (schemas/okta/oauth-minimal.yaml): loading each with its known defects
 * mended (schemas/okta/NOTICE.md), and trimming it to the operations the sandbox serves.
 *
 * Parsing the 89,000-line YAML takes over a second, so each mended document is cached as JSON under
 * node_modules/.cache and reused while its YAML is unchanged.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SPEC_YAML = join(root, 'schemas/okta/management-minimal.yaml');
export const OAUTH_SPEC_YAML = join(root, 'schemas/okta/oauth-minimal.yaml');
const CACHE_DIR = join(root, 'node_modules/.cache/okta-actions');

/** Where the description comes from, kept in every derived copy (Apache-2.0 asks for the notice). */
export const SPEC_SOURCE = {
  repository: 'https://github.com/okta/okta-management-openapi-spec',
  file: 'dist/current/management-minimal.yaml',
  commit: 'fdda229e82940cf5af4611ad673ca6a27974e31b',
  license: 'Apache-2.0 (Copyright Okta, Inc.); see schemas/okta/NOTICE.md',
};

/** The OAuth description comes from the same repository and commit. */
export const OAUTH_SPEC_SOURCE = { ...SPEC_SOURCE, file: 'dist/current/oauth-minimal.yaml' };

export function loadMendedSpec() {
  return loadMended(SPEC_YAML, 'management-minimal.json', mend);
}

/** The OpenID Connect & OAuth 2.0 description (/oauth2/v1/token, /authorize, /userinfo, ...), mended. */
export function loadMendedOAuthSpec() {
  return loadMended(OAUTH_SPEC_YAML, 'oauth-minimal.json', mendOAuth);
}

function loadMended(yamlPath, cacheName, mendDocument) {
  const cache = join(CACHE_DIR, cacheName);
  // The cache is stale when the description or the mending code (this file) changed after it was written.
  const newestSource = Math.max(statSync(yamlPath).mtimeMs, statSync(fileURLToPath(import.meta.url)).mtimeMs);
  if (existsSync(cache) && statSync(cache).mtimeMs >= newestSource) {
    return JSON.parse(readFileSync(cache, 'utf8'));
  }
  const document = mendDocument(parse(readFileSync(yamlPath, 'utf8')));
  mkdirSync(dirname(cache), { recursive: true });
  writeFileSync(cache, JSON.stringify(document));
  return document;
}

function mend(document) {
  const mended = mendNode(document);
  // Defect 2: a path parameter must be required; this one is not marked so.
  for (const parameter of mended.paths['/api/v1/hook-keys/{id}']?.get?.parameters ?? []) {
    if (parameter.in === 'path') parameter.required = true;
  }
  // Defect 5: the body of updateApplicationUser is a oneOf of two schemas that both accept any object, so
  // no body can match exactly one of them; Okta accepts either form, which is what anyOf says.
  // Defect 6: the ISO 8601 duration pattern writes (?:$) and (?:\d) where lookaheads were meant, so it
  // accepts only "P"; a token window like P30D (what Okta sends) must pass, "P" and "PT" must not.
  const duration = mended.components.schemas.TimeDuration;
  if (duration?.pattern)
    duration.pattern = duration.pattern.replace('P(?:$)', 'P(?!$)').replace('T(?:\\d)', 'T(?=\\d)');
  const appUserUpdate = mended.components.schemas.AppUserUpdateRequest;
  if (appUserUpdate?.oneOf) {
    appUserUpdate.anyOf = appUserUpdate.oneOf;
    delete appUserUpdate.oneOf;
  }
  return mended;
}

/**
 * The OAuth description's own defects (schemas/okta/NOTICE.md, OAuth 1 and 2), after the shared ones.
 */
function mendOAuth(document) {
  const mended = mendNode(document);
  const schemas = mended.components.schemas;
  // OAuth 1: Okta answers token_type "DPoP" for a DPoP-bound access token (RFC 9449 5; Okta's DPoP guide),
  // which the token response's enum (Bearer, N_A) leaves out.
  const tokenType = schemas.TokenResponseTokenType;
  if (Array.isArray(tokenType?.enum) && !tokenType.enum.includes('DPoP')) tokenType.enum.push('DPoP');
  // OAuth 2: the token request tells its grant types apart only by a discriminator, with no oneOf to pick
  // from, so a checker ignores the mapping and never sees that a grant lacks its parameters (a
  // client_credentials request without scope). Each mapped schema becomes an if/then on grant_type.
  const tokenRequest = schemas.TokenRequestOrgAs;
  const mapping = tokenRequest?.discriminator?.mapping;
  if (mapping) {
    const property = tokenRequest.discriminator.propertyName;
    tokenRequest.allOf = Object.entries(mapping).map(([value, $ref]) => ({
      if: { required: [property], properties: { [property]: { const: value } } },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable.
      then: { $ref },
    }));
    delete tokenRequest.discriminator;
  }
  return mended;
}

/** Defect 1 (stray $refs in examples) and the OpenAPI 3.0 forms Ajv's draft-07 mode does not take. */
function mendNode(node) {
  if (Array.isArray(node)) return node.map(mendNode);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'example' || key === 'examples' || key === 'x-okta-lifecycle') continue;
    out[key] = mendNode(value);
  }
  // `nullable` means something only beside `type`; elsewhere (next to a $ref) Ajv refuses to compile it.
  if (out.nullable !== undefined && out.type === undefined) delete out.nullable;
  // A oneOf whose branches overlap relies on its discriminator to pick one; Ajv ignores OpenAPI's mapping,
  // so every answer would match several branches and fail. The mapping becomes part of each branch instead:
  // a branch applies only when the discriminating property holds one of its mapped values.
  const mapping = out.discriminator?.mapping;
  if (Array.isArray(out.oneOf) && mapping) {
    const property = out.discriminator.propertyName;
    out.anyOf = out.oneOf.map((branch) => {
      const values = Object.keys(mapping).filter((value) => mapping[value] === branch.$ref);
      return values.length === 0
        ? branch
        : { allOf: [{ required: [property], properties: { [property]: { enum: values } } }, branch] };
    });
    delete out.oneOf;
    delete out.discriminator;
  }
  for (const bound of ['exclusiveMinimum', 'exclusiveMaximum']) {
    if (typeof out[bound] === 'boolean') {
      const limit = bound === 'exclusiveMinimum' ? 'minimum' : 'maximum';
      if (out[bound] && typeof out[limit] === 'number') {
        out[bound] = out[limit];
        delete out[limit];
      } else delete out[bound];
    }
  }
  return out;
}

/**
 * The same document with only the given operations (by operationId) and the components they refer to,
 * transitively. Descriptions are dropped: the copy is for validation, the full file is for reading.
 */
export function trimSpec(document, operationIds, source = SPEC_SOURCE) {
  const wanted = new Set(operationIds);
  const paths = {};
  const found = new Set();
  for (const [path, item] of Object.entries(document.paths)) {
    const kept = {};
    for (const [key, value] of Object.entries(item)) {
      if (key === 'parameters') kept.parameters = value;
      else if (value?.operationId && wanted.has(value.operationId)) {
        kept[key] = value;
        found.add(value.operationId);
      }
    }
    if (Object.keys(kept).some((key) => key !== 'parameters')) paths[path] = kept;
  }
  const missing = [...wanted].filter((id) => !found.has(id));
  if (missing.length > 0) throw new Error(`operations not in Okta's API description: ${missing.join(', ')}`);

  const components = {};
  const pending = [paths];
  const seen = new Set();
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) pending.push(...node);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string' && !seen.has(value)) {
          seen.add(value);
          const [, kind, name] = /^#\/components\/(\w+)\/(.+)$/.exec(value) ?? [];
          const target = document.components[kind]?.[name];
          if (!target) throw new Error(`unresolved ${value}`);
          components[kind] ??= {};
          components[kind][name] = target;
          pending.push(target);
        } else pending.push(value);
      }
    }
  }
  const sortKeys = (object) =>
    Object.fromEntries(Object.entries(object).sort(([a], [b]) => a.localeCompare(b)));
  return withoutDescriptions({
    openapi: document.openapi,
    info: { title: document.info.title, version: document.info.version, license: document.info.license },
    'x-source': source,
    paths: sortKeys(paths),
    components: sortKeys(
      Object.fromEntries(Object.entries(components).map(([kind, items]) => [kind, sortKeys(items)])),
    ),
  });
}

function withoutDescriptions(node) {
  if (Array.isArray(node)) return node.map(withoutDescriptions);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(
        ([key, value]) =>
          !(
            ['description', 'summary', 'x-codegen-request-body-name'].includes(key) &&
            typeof value === 'string'
          ),
      )
      .map(([key, value]) => [key, withoutDescriptions(value)]),
  );
}

/**
 * Okta's response examples, which the mended documents leave out: for each operation, every JSON example
 * of a success (2xx) response, `$ref`s to `#/components/examples` resolved. They are the nearest thing to
 * recorded real answers the description has; the sandbox's fidelity test holds its answers to them.
 * Cached like the mended documents. `which` is 'management' or 'oauth'.
 */
export function loadResponseExamples(which = 'management') {
  const yamlPath = which === 'oauth' ? OAUTH_SPEC_YAML : SPEC_YAML;
  return loadMended(yamlPath, `${which}-response-examples.json`, responseExamples);
}

function responseExamples(document) {
  const resolve = (node, kind) => {
    let current = node;
    while (current?.$ref) {
      const [, refKind, name] = /^#\/components\/(\w+)\/(.+)$/.exec(current.$ref) ?? [];
      current = refKind === kind ? document.components[kind]?.[name] : undefined;
    }
    return current;
  };
  const byOperation = {};
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item)) {
      if (!operation?.operationId) continue;
      const examples = [];
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (!/^2\d\d$/.test(status)) continue;
        const content = resolve(response, 'responses')?.content?.['application/json'];
        if (!content) continue;
        if (content.example !== undefined)
          examples.push({ status: Number(status), name: 'example', value: content.example });
        for (const [name, example] of Object.entries(content.examples ?? {})) {
          const value = resolve(example, 'examples')?.value;
          if (value !== undefined) examples.push({ status: Number(status), name, value });
        }
      }
      if (examples.length > 0) byOperation[operation.operationId] = examples;
    }
  }
  return byOperation;
}
