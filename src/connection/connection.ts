/**
 * Checks a connection completely, without any network, before a client is built for it. The SDK would
 * otherwise fill missing settings from OKTA_CLIENT_* variables or okta.yaml files, so nothing half-valid
 * may ever reach it.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { ActionError, type InputProblem } from '../errors/action-error.js';
import { type ConnectionTypeName, manifest } from '../manifest/manifest.js';
import type { Credentials } from '../oauth/credentials.js';
import { parsePrivateKey } from '../oauth/private-key.js';
import { loadValidators } from '../schema/validation.js';
import { normalizeApiAddress } from './api-address.js';

export interface ConnectionOptions {
  /** Lets http(s)://127.0.0.1, localhost or [::1] through, for local sandboxes. Default false. */
  allowLoopback?: boolean;
}

// Fingerprints key the client cache. A keyed hash with a per-process key means the cache never holds
// the secrets themselves, and a fingerprint seen elsewhere cannot be used to guess one.
const FINGERPRINT_KEY = randomBytes(32);

/** A validated connection. Its secrets are held privately and never serialized or printed. */
export class ResolvedConnection {
  readonly fingerprint: string;
  readonly #credentials: Credentials;
  readonly #secrets: string[];

  constructor(
    readonly type: ConnectionTypeName,
    readonly orgUrl: string,
    credentials: Credentials,
    secretTexts: string[],
  ) {
    this.#credentials = credentials;
    this.#secrets = secretTexts.flatMap(secretNeedles);
    const identity = JSON.stringify([type, orgUrl, ...secretTexts, credentialIdentity(credentials)]);
    this.fingerprint = createHmac('sha256', FINGERPRINT_KEY).update(identity).digest('hex');
  }

  /** The credentials themselves, for the one place that needs them: building the SDK client. */
  credentials(): Credentials {
    return this.#credentials;
  }

  /** Strings that must never appear in anything we return, used by the final redaction pass. */
  secrets(): string[] {
    return this.#secrets;
  }

  toJSON(): object {
    return { type: this.type, orgUrl: this.orgUrl };
  }

  [inspect.custom](): string {
    return `ResolvedConnection { type: '${this.type}', orgUrl: '${this.orgUrl}', secrets: [redacted] }`;
  }
}

/** The non-secret fields that tell two connections apart (client id, scopes, key id). */
function credentialIdentity(credentials: Credentials): unknown {
  switch (credentials.kind) {
    case 'ssws':
      return [];
    case 'client_secret':
      return [credentials.clientId, credentials.scopes];
    case 'private_key':
      return [credentials.clientId, credentials.keyId, credentials.scopes];
    case 'access_token':
      return [credentials.clientId, credentials.expiresAt, credentials.scopes];
  }
}

/**
 * A secret, and for a private key each long line of it too: an error that quoted part of a PEM would
 * still be caught by the redaction pass.
 */
function secretNeedles(secret: string): string[] {
  const lines = secret.split(/\r?\n/).map((line) => line.trim());
  return [secret, ...lines.filter((line) => line.length >= 16 && !line.startsWith('-----'))];
}

/**
 * Connections already resolved, by a keyed hash of the raw connection and the options (never the secrets
 * themselves, as with fingerprints). Resolving is a pure function of both, and a host passes the same
 * connection with every run: checking its schema and address again each time was most of execute()'s own
 * cost on a warm call (bench/warm-overhead.mjs). Bounded; the least recently used goes first.
 */
const resolved = new Map<string, ResolvedConnection>();
const MAX_RESOLVED = 256;
export async function resolveConnection(
  raw: unknown,
  options: ConnectionOptions = {},
): Promise<ResolvedConnection> {
  const fields = fieldsOf(raw);
  const allowLoopback = options.allowLoopback === true;
  const earlier = fields ? seen.get(raw as object) : undefined;
  if (earlier && earlier.allowLoopback === allowLoopback && sameFields(earlier.fields, fields!))
    return earlier.connection;
  const key = cacheKey(raw, options);
  let connection = key === undefined ? undefined : resolved.get(key);
  if (connection && key !== undefined) {
    resolved.delete(key);
    resolved.set(key, connection);
  } else {
    connection = await resolveAnew(raw, options);
    if (key !== undefined) {
      resolved.set(key, connection);
      if (resolved.size > MAX_RESOLVED) resolved.delete(resolved.keys().next().value as string);
    }
  }
  if (fields) seen.set(raw as object, { fields, allowLoopback, connection });
  return connection;
}

/**
 * The very object a run passed before, its fields unchanged since: a host passes one connection object
 * with every run, and keying it again (its JSON, then a keyed hash) was ~5% of a warm execute()'s CPU
 * (bench/warm-overhead.mjs, scenario 2b). An entry lives as long as the host keeps its object, and holds
 * the object's own field values (compared by identity), no copy of them.
 */
const seen = new WeakMap<
  object,
  { fields: unknown[]; allowLoopback: boolean; connection: ResolvedConnection }
>();

/** Marks a list among an object's fields (its length and items follow). */
const LIST = Symbol('list');

/** An object's own fields as name, value pairs; undefined when one holds an object other than a list of texts. */
function fieldsOf(raw: unknown): unknown[] | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const fields: unknown[] = [];
  try {
    for (const name of Object.keys(raw)) {
      const value = (raw as Record<string, unknown>)[name];
      if (value !== null && typeof value === 'object') {
        if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) return undefined;
        fields.push(name, LIST, value.length, ...value);
      } else fields.push(name, value);
    }
  } catch {
    return undefined; // a field that cannot be read: resolved, and refused, as any such connection
  }
  return fields;
}

function sameFields(earlier: unknown[], now: unknown[]): boolean {
  if (earlier.length !== now.length) return false;
  for (let i = 0; i < now.length; i++) if (!Object.is(earlier[i], now[i])) return false;
  return true;
}

/** Undefined for what cannot be keyed (not plain JSON): it is resolved, and refused, every time. */
function cacheKey(raw: unknown, options: ConnectionOptions): string | undefined {
  let text: string;
  try {
    text = JSON.stringify([raw, options.allowLoopback === true]);
  } catch {
    return undefined;
  }
  return createHmac('sha256', FINGERPRINT_KEY).update(text).digest('base64');
}

async function resolveAnew(raw: unknown, options: ConnectionOptions): Promise<ResolvedConnection> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw invalidConnection([
      { path: 'connection', message: 'is missing: pass { type, apiAddress, apiToken }' },
    ]);
  }
  const type = (raw as { type?: unknown }).type;
  // Own keys only: a type like "constructor" must not find something on Object.prototype.
  const connectionType =
    typeof type === 'string' && Object.hasOwn(manifest.connections, type)
      ? manifest.connections[type]
      : undefined;
  if (!connectionType) {
    const known = Object.keys(manifest.connections).join(', ');
    throw invalidConnection([
      {
        path: 'type',
        message: `${type === undefined ? 'is required' : `"${String(type)}" is not supported`}; use one of: ${known}`,
      },
    ]);
  }

  const validators = await loadValidators();
  const { value, problems } = validators.checkInput(`connection:${type}`, connectionType.schema, raw);
  if (problems.length > 0) throw invalidConnection(problems);
  const checked = value as ConnectionFields;

  const address = normalizeApiAddress(checked.apiAddress, {
    allowLoopback: options.allowLoopback,
    customDomain: checked.customDomain,
  });
  if (!address.ok) throw invalidConnection([{ path: 'apiAddress', message: address.reason }]);
  return fromFields(type as ConnectionTypeName, address.orgUrl, checked);
}

/** The fields of any connection type, as the schemas allow them (the schema said which are present). */
interface ConnectionFields {
  apiAddress: string;
  customDomain?: boolean;
  apiToken?: string;
  clientId?: string;
  clientSecret?: string;
  privateKey?: string;
  keyId?: string;
  scopes?: string[];
  accessToken?: string;
  refreshToken?: string;
  expiresAt?: string;
}

function fromFields(type: ConnectionTypeName, orgUrl: string, fields: ConnectionFields): ResolvedConnection {
  const secretsOf = (...values: Array<string | undefined>) => values.filter((v): v is string => !!v);
  switch (type) {
    case 'api_token': {
      const token = checkedField('apiToken', normalizeApiToken(fields.apiToken!));
      return new ResolvedConnection(type, orgUrl, { kind: 'ssws', token }, [token]);
    }
    case 'oauth_client_secret': {
      const clientSecret = checkedField('clientSecret', normalizeClientSecret(fields.clientSecret!));
      return new ResolvedConnection(
        type,
        orgUrl,
        { kind: 'client_secret', clientId: fields.clientId!, clientSecret, scopes: fields.scopes! },
        [clientSecret],
      );
    }
    case 'oauth_private_key': {
      const parsed = parsePrivateKey(fields.privateKey!);
      if (!parsed.ok) throw invalidConnection([{ path: 'privateKey', message: parsed.reason }]);
      return new ResolvedConnection(
        type,
        orgUrl,
        {
          kind: 'private_key',
          clientId: fields.clientId!,
          key: parsed.key,
          algorithm: parsed.algorithm,
          keyId: fields.keyId ?? parsed.kid,
          scopes: fields.scopes!,
        },
        [fields.privateKey!, ...jwkPrivateParts(fields.privateKey!)],
      );
    }
    case 'oauth_access_token': {
      const accessToken = checkedField('accessToken', normalizeAccessToken(fields.accessToken!));
      const credentials: Credentials = {
        kind: 'access_token',
        accessToken,
        refreshToken: fields.refreshToken?.trim(),
        clientId: fields.clientId,
        clientSecret: fields.clientSecret,
        expiresAt: fields.expiresAt ? Date.parse(fields.expiresAt) : undefined,
        scopes: fields.scopes,
      };
      return new ResolvedConnection(
        type,
        orgUrl,
        credentials,
        secretsOf(accessToken, credentials.refreshToken, fields.clientSecret),
      );
    }
  }
}

function checkedField(path: string, result: TokenResult): string {
  if (!result.ok) throw invalidConnection([{ path, message: result.reason }]);
  return result.value;
}

/** The private members of a JWK private key, each a secret on its own. */
function jwkPrivateParts(text: string): string[] {
  if (!text.trim().startsWith('{')) return [];
  try {
    const parsed = JSON.parse(text) as Record<string, unknown> & { keys?: Array<Record<string, unknown>> };
    const jwk = parsed.keys?.[0] ?? parsed;
    return ['d', 'p', 'q', 'dp', 'dq', 'qi']
      .map((name) => jwk[name])
      .filter((value): value is string => typeof value === 'string');
  } catch {
    return [];
  }
}

type TokenResult = { ok: true; value: string } | { ok: false; reason: string };

/**
 * Accepts the token as people paste it (with or without the "SSWS " prefix, with stray whitespace around
 * it) and catches the usual mix-ups. Reasons never quote the token.
 */
export function normalizeApiToken(raw: string): TokenResult {
  const value = raw.trim().replace(/^SSWS\s+/i, '');
  if (value === '')
    return { ok: false, reason: 'is empty: paste the token created under Security > API > Tokens' };
  if (/^Bearer\s/i.test(value) || /^eyJ[\w-]*\.[\w-]+\.[\w-]*$/.test(value)) {
    return {
      ok: false,
      reason:
        'looks like an OAuth access token, not an API token; use the oauth_access_token connection type for it, or create an API token under Security > API > Tokens in the Okta Admin Console',
    };
  }
  if (/\s/.test(value))
    return { ok: false, reason: 'contains spaces or line breaks; paste only the token itself' };
  if (!/^[\x21-\x7e]+$/.test(value))
    return { ok: false, reason: 'contains characters an Okta API token never has' };
  return { ok: true, value };
}

/** Okta API tokens: "00" and 40 more URL-safe characters. A secret of that shape is in the wrong field. */
const API_TOKEN_SHAPE = /^00[\w-]{40}$/;

export function normalizeClientSecret(raw: string): TokenResult {
  const value = raw.trim();
  return checkOAuthSecret(
    value,
    'a client secret',
    API_TOKEN_SHAPE.test(value),
    'use the api_token connection type for it, or copy the client secret from Applications > the app > General > Client Credentials',
  );
}

export function normalizeAccessToken(raw: string): TokenResult {
  const value = raw.trim().replace(/^(Bearer|DPoP)\s+/i, '');
  const apiToken = API_TOKEN_SHAPE.test(value) || /^SSWS\s/i.test(value);
  return checkOAuthSecret(
    value,
    'an OAuth access token',
    apiToken,
    'use the api_token connection type for it',
  );
}

/** The checks both OAuth secrets share: not an API token (the usual mix-up), and one piece of text. */
function checkOAuthSecret(value: string, what: string, isApiToken: boolean, advice: string): TokenResult {
  if (isApiToken)
    return { ok: false, reason: `looks like an Okta API token (00...), not ${what}; ${advice}` };
  if (value === '') return { ok: false, reason: `is empty: paste ${what}` };
  if (/\s/.test(value))
    return {
      ok: false,
      reason: `contains spaces or line breaks; paste only ${what.replace(/^an? /, 'the ')} itself`,
    };
  return { ok: true, value };
}

function invalidConnection(problems: InputProblem[]): ActionError {
  const summary = problems.map((p) => `"${p.path}" ${p.message}`).join('; ');
  return new ActionError('INVALID_CONNECTION', `The Okta connection is not usable: ${summary}.`, {
    details: problems,
  });
}
