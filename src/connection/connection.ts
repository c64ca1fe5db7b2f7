/**
 * Checks a connection completely, without any network, before a client is built for it. The SDK would
 * otherwise fill missing settings from OKTA_CLIENT_* variables or okta.yaml files, so nothing half-valid
 * may ever reach it.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { ActionError, type InputProblem } from '../errors/action-error.js';
import { manifest } from '../manifest.js';
import { loadValidators } from '../runtime/validation.js';
import { normalizeApiAddress } from './api-address.js';

export interface ConnectionOptions {
  /** Lets http(s)://127.0.0.1, localhost or [::1] through, for local sandboxes. Default false. */
  allowLoopback?: boolean;
}

// Fingerprints key the client cache. A keyed hash with a per-process key means the cache never holds
// the token itself, and a fingerprint seen elsewhere cannot be used to guess a token.
const FINGERPRINT_KEY = randomBytes(32);

/** A validated API-token connection. The token is held privately and never serialized or printed. */
export class ApiTokenConnection {
  readonly type = 'api_token' as const;
  readonly orgUrl: string;
  readonly fingerprint: string;
  readonly #apiToken: string;

  constructor(orgUrl: string, apiToken: string) {
    this.orgUrl = orgUrl;
    this.#apiToken = apiToken;
    this.fingerprint = createHmac('sha256', FINGERPRINT_KEY)
      .update(`api_token\n${orgUrl}\n${apiToken}`)
      .digest('hex');
  }

  /** The token itself, for the one place that needs it: building the SDK client. */
  revealApiToken(): string {
    return this.#apiToken;
  }

  /** Strings that must never appear in anything we return, used by the final redaction pass. */
  secrets(): string[] {
    return [this.#apiToken];
  }

  toJSON(): object {
    return { type: this.type, orgUrl: this.orgUrl };
  }

  [inspect.custom](): string {
    return `ApiTokenConnection { orgUrl: '${this.orgUrl}', apiToken: [redacted] }`;
  }
}

export type ResolvedConnection = ApiTokenConnection;

export async function resolveConnection(
  raw: unknown,
  options: ConnectionOptions = {},
): Promise<ResolvedConnection> {
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
  const checked = value as { apiAddress: string; apiToken: string; customDomain?: boolean };

  const address = normalizeApiAddress(checked.apiAddress, {
    allowLoopback: options.allowLoopback,
    customDomain: checked.customDomain,
  });
  if (!address.ok) throw invalidConnection([{ path: 'apiAddress', message: address.reason }]);

  const token = normalizeApiToken(checked.apiToken);
  if (!token.ok) throw invalidConnection([{ path: 'apiToken', message: token.reason }]);

  return new ApiTokenConnection(address.orgUrl, token.value);
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
        'looks like an OAuth access token, not an API token; create an API token under Security > API > Tokens in the Okta Admin Console',
    };
  }
  if (/\s/.test(value))
    return { ok: false, reason: 'contains spaces or line breaks; paste only the token itself' };
  if (!/^[\x21-\x7e]+$/.test(value))
    return { ok: false, reason: 'contains characters an Okta API token never has' };
  return { ok: true, value };
}

function invalidConnection(problems: InputProblem[]): ActionError {
  const summary = problems.map((p) => `"${p.path}" ${p.message}`).join('; ');
  return new ActionError('INVALID_CONNECTION', `The Okta connection is not usable: ${summary}.`, {
    details: problems,
  });
}
