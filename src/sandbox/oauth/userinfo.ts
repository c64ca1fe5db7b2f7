/**
 * GET /oauth2/v1/userinfo (operation `userinfo`): the OpenID Connect claims of the user an access token was
 * issued to (OpenID Connect Core 5.3), from the user's Okta profile. The description requires `openid` and,
 * in its 403 example, at least one of profile, email, address or phone; each granted scope adds its
 * claims (5.4). A client-credentials token can hold neither (no person), so it gets 403 insufficient_scope;
 * an API token is no access token at all: 401 invalid_token. Refusals have no body, only the challenge,
 * as the description documents them.
 */
import { findUser, type UserRecord } from '../resources/users/model.js';
import { ok } from '../route.js';
import { challengeHeader, OAuthHttpError } from './errors.js';
import type { OAuthRouteHandler } from './oauth-route.js';
import { shortHash } from './oauth-route.js';
import {
  insufficientScope,
  type PresentedAccessToken,
  ResourceRefused,
  verifyPresentedToken,
} from './resource-auth.js';

const CLAIM_SCOPES = ['profile', 'email', 'address', 'phone'];
const USERINFO_PATH = '/oauth2/v1/userinfo';

export const userinfo: OAuthRouteHandler = (context) => {
  const { server, org, headers } = context;
  const [, scheme, accessToken] = /^(Bearer|DPoP)\s+(\S+)$/i.exec(headers.authorization ?? '') ?? [];
  if (!scheme || !accessToken) {
    const description = 'The access token is invalid.';
    throw bodiless(
      401,
      challengeHeader({
        scheme: 'Bearer',
        orgUrl: org.baseUrl,
        scopes: ['openid'],
        error: 'invalid_token',
        description,
        resource: USERINFO_PATH,
      }),
    );
  }
  const presented: PresentedAccessToken = {
    scheme: scheme.toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer',
    token: accessToken,
    proof: headers.dpop,
    method: context.method,
    path: USERINFO_PATH,
    origins: context.origins,
    orgUrl: org.baseUrl,
    requiredScopes: ['openid'],
  };
  Object.assign(context.notes, { authScheme: presented.scheme, tokenHash: shortHash(accessToken) });
  try {
    const record = verifyPresentedToken(server, presented);
    context.notes.clientId = record.clientId;
    const granted = record.scopes;
    if (!granted.includes('openid') || !granted.some((scope) => CLAIM_SCOPES.includes(scope))) {
      throw insufficientScope(
        presented,
        record,
        'The access token must provide access to at least one of these scopes - profile, email, address or phone',
      );
    }
    const user = record.userId ? findUser(org, record.userId) : undefined;
    if (!user) throw insufficientScope(presented, record);
    return ok(claimsOf(user, granted));
  } catch (error) {
    if (error instanceof ResourceRefused)
      throw bodiless(error.status, error.challenge, error.error, error.description);
    throw error;
  }
};

function bodiless(
  status: number,
  challenge: string,
  error = 'invalid_token',
  description = '',
): OAuthHttpError {
  return new OAuthHttpError(status, error, description, { 'WWW-Authenticate': challenge }, false);
}

function defined(claims: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(claims).filter(([, value]) => value !== undefined && value !== null),
  );
}

/** The claims each granted scope adds (OpenID Connect Core 5.4), from the user's Okta profile. */
function claimsOf(user: UserRecord, scopes: string[]): Record<string, unknown> {
  const profile = user.profile as Record<string, string | undefined>;
  const claims: Record<string, unknown> = { sub: user.id };
  if (scopes.includes('profile')) {
    Object.assign(
      claims,
      defined({
        name: [profile.firstName, profile.lastName].filter(Boolean).join(' ') || undefined,
        preferred_username: profile.login,
        nickname: profile.nickName,
        given_name: profile.firstName,
        middle_name: profile.middleName,
        family_name: profile.lastName,
        profile: profile.profileUrl,
        locale: profile.locale,
        zoneinfo: profile.timezone,
        updated_at: Math.floor(Date.parse(user.lastUpdated) / 1000),
      }),
    );
  }
  if (scopes.includes('email') && profile.email) {
    // Okta verifies a user's primary email when the user activates it.
    Object.assign(claims, { email: profile.email, email_verified: user.status === 'ACTIVE' });
  }
  if (scopes.includes('phone') && profile.mobilePhone) claims.phone_number = profile.mobilePhone;
  if (scopes.includes('address')) {
    const address = defined({
      street_address: profile.streetAddress,
      locality: profile.city,
      region: profile.state,
      postal_code: profile.zipCode,
      country: profile.countryCode,
    });
    if (Object.keys(address).length > 0) claims.address = address;
  }
  return claims;
}
