/**
 * Asks the org's token endpoint (/oauth2/v1/token) for an access token, handling DPoP the way Okta asks
 * for it: an app that requires DPoP answers `invalid_dpop_proof` to a request without a proof, and
 * `use_dpop_nonce` (with a DPoP-Nonce header) to a proof without its current nonce; both are answered
 * with a new request. Token errors are reported as what they are (invalid_client, invalid_scope, ...),
 * never as an invalid API token: the SDK's own OAuth mode hides them (OKTA-PITFALLS.md).
 */
import { ActionError, type ErrorCode } from '../errors/action-error.js';
import type { DpopProver } from './dpop.js';

export interface TokenAnswer {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** Sends one form POST to the token endpoint through the connection's guarded transport. */
export type TokenTransport = (
  url: string,
  form: string,
  headers: Record<string, string>,
) => Promise<TokenAnswer>;

export interface TokenSet {
  accessToken: string;
  tokenType: 'Bearer' | 'DPoP';
  /** Epoch ms; undefined when Okta did not say. */
  expiresAt: number | undefined;
  /** The granted scopes, when Okta listed them. */
  scopes: string[] | undefined;
  refreshToken: string | undefined;
}

export interface TokenRequest {
  tokenUrl: string;
  /** Built anew for every attempt (a client assertion may be used once). */
  form: () => Record<string, string>;
  headers?: () => Record<string, string>;
  dpop: DpopProver;
  /** Send a proof from the first attempt (an earlier answer said the app requires DPoP). */
  dpopRequired: boolean;
  /** What the request is for, in messages: "the client credentials", "the refresh token". */
  purpose: string;
}

export async function requestToken(send: TokenTransport, request: TokenRequest): Promise<TokenSet> {
  let withProof = request.dpopRequired;
  // At most: without a proof, with a proof, with the nonce asked for.
  for (let attempt = 1; ; attempt += 1) {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'Content-Type': 'application/x-www-form-urlencoded',
      ...request.headers?.(),
      ...(withProof ? { DPoP: request.dpop.proof('POST', request.tokenUrl) } : {}),
    };
    const answer = await send(request.tokenUrl, new URLSearchParams(request.form()).toString(), headers);
    const body = parseBody(await answer.text());
    if (answer.status === 200 && typeof body?.access_token === 'string') return tokenSet(body);
    const error = typeof body?.error === 'string' ? body.error : undefined;
    if (attempt < 3 && error === 'invalid_dpop_proof' && !withProof) {
      withProof = true; // the app requires DPoP
      continue;
    }
    if (
      attempt < 3 &&
      error === 'use_dpop_nonce' &&
      request.dpop.rememberNonce(request.tokenUrl, answer.headers.get('dpop-nonce'))
    ) {
      withProof = true;
      continue;
    }
    throw tokenError(
      answer.status,
      error,
      typeof body?.error_description === 'string' ? body.error_description : undefined,
      request.purpose,
    );
  }
}

function parseBody(text: string): Record<string, unknown> | undefined {
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function tokenSet(body: Record<string, unknown>): TokenSet {
  const expiresIn = Number(body.expires_in);
  return {
    accessToken: String(body.access_token),
    tokenType: String(body.token_type).toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer',
    expiresAt: expiresIn > 0 ? Date.now() + expiresIn * 1000 : undefined,
    scopes: typeof body.scope === 'string' ? body.scope.split(' ').filter(Boolean) : undefined,
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
  };
}

/** What each OAuth error means for the person fixing the connection. */
const TOKEN_ERRORS: Record<string, { code: ErrorCode; advice: string }> = {
  invalid_client: {
    code: 'UNAUTHORIZED',
    advice:
      'Check the client ID and the client secret, or for a private key that its public key is registered in the app (Applications > the app > General > Client Credentials) and the key ID matches',
  },
  unauthorized_client: {
    code: 'UNAUTHORIZED',
    advice:
      'The app may not use this grant: a service connection needs an API Services app with the client credentials grant; a signed-in user connection needs the refresh token grant enabled',
  },
  invalid_scope: {
    code: 'FORBIDDEN',
    advice:
      "Grant the scopes to the app in the Admin Console (Applications > the app > Okta API Scopes), or remove them from the connection's scopes",
  },
  invalid_grant: {
    code: 'UNAUTHORIZED',
    advice:
      'The refresh token was revoked, has expired or was already used: the person must reconnect (sign in again)',
  },
  invalid_dpop_proof: {
    code: 'UNAUTHORIZED',
    advice: "Okta refused the DPoP proof; check the host's clock (proofs are dated) and try again",
  },
  use_dpop_nonce: {
    code: 'UNAUTHORIZED',
    advice: 'Okta kept asking for a new DPoP nonce; try again',
  },
  invalid_request: {
    code: 'UPSTREAM',
    advice: 'Okta found the token request malformed; this is likely a bug in okta-actions, please report it',
  },
};

function tokenError(
  status: number,
  error: string | undefined,
  description: string | undefined,
  purpose: string,
): ActionError {
  if (!error) {
    // No OAuth error body: a 5xx, a 429 past the waiting budget, or not Okta at all.
    if (status === 429)
      return new ActionError('RATE_LIMITED', `Okta's token endpoint is rate limited; try again shortly.`, {
        retryable: true,
        status,
      });
    if (status >= 500)
      return new ActionError(
        'UPSTREAM',
        `Okta's token endpoint failed (HTTP ${status}) while exchanging ${purpose}; try again later.`,
        { retryable: true, status },
      );
    return new ActionError(
      'UPSTREAM',
      `The token endpoint answered HTTP ${status} without an OAuth error, which is not how Okta answers. Check the API address.`,
      { retryable: false, status },
    );
  }
  const known = TOKEN_ERRORS[error] ?? { code: 'UNAUTHORIZED' as const, advice: 'Check the connection' };
  return new ActionError(
    known.code,
    `Okta refused ${purpose} (${error}${description ? `: ${description}` : ''}). ${known.advice}.`,
    {
      retryable: false,
      status,
      okta: { errorCode: error, errorSummary: description ?? error, errorCauses: [] },
    },
  );
}
