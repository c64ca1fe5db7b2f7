/** Network zones, API tokens and identity providers as Okta's JSON writes them. */
import type { SandboxOrg } from '../../org.js';
import { link } from '../../route.js';
import type { ApiTokenRecord, IdentityProviderRecord, ZoneRecord } from './model.js';

export function zoneJson(org: SandboxOrg, zone: ZoneRecord): Record<string, unknown> {
  const path = `/api/v1/zones/${zone.id}`;
  const typeSpecific =
    zone.type === 'IP' ? { gateways: zone.gateways, proxies: zone.proxies } : { ...zone.dynamic };
  return {
    type: zone.type,
    id: zone.id,
    name: zone.name,
    status: zone.status,
    usage: zone.usage,
    created: zone.created,
    lastUpdated: zone.lastUpdated,
    system: zone.system,
    ...typeSpecific,
    _links: {
      self: link(org, path, ['GET', 'PUT', 'DELETE']),
      ...(zone.status === 'ACTIVE'
        ? { deactivate: link(org, `${path}/lifecycle/deactivate`, ['POST']) }
        : { activate: link(org, `${path}/lifecycle/activate`, ['POST']) }),
    },
  };
}

/**
 * The token's metadata, never its secret. `tokenWindow` (P30D) is left out: the TimeDuration pattern of
 * Okta's published description matches no duration but "P", so every real value would break the contract.
 */
export function apiTokenJson(org: SandboxOrg, token: ApiTokenRecord): Record<string, unknown> {
  return {
    id: token.id,
    name: token.name,
    userId: token.userId,
    clientName: token.clientName,
    created: token.created,
    lastUpdated: token.lastUpdated,
    expiresAt: token.expiresAt,
    tokenWindow: 'P30D',
    network: { connection: 'ANYWHERE' },
    _links: {
      self: link(org, `/api/v1/api-tokens/${token.id}`, ['GET', 'DELETE']),
      user: link(org, `/api/v1/users/${token.userId}`, ['GET']),
    },
  };
}

function identityProviderLinks(org: SandboxOrg, idp: IdentityProviderRecord): Record<string, unknown> {
  const path = `/api/v1/idps/${idp.id}`;
  const lifecycle =
    idp.status === 'ACTIVE'
      ? { deactivate: link(org, `${path}/lifecycle/deactivate`, ['POST']) }
      : { activate: link(org, `${path}/lifecycle/activate`, ['POST']) };
  if (idp.protocol.type === 'SAML2') {
    return {
      metadata: { ...link(org, `${path}/metadata.xml`, ['GET']), type: 'application/xml' },
      acs: { ...link(org, `/sso/saml2/${idp.id}`, ['POST']), type: 'application/xml' },
      users: link(org, `${path}/users`, ['GET']),
      ...lifecycle,
    };
  }
  const authorizeQuery =
    'client_id={clientId}&response_type={responseType}&response_mode={responseMode}' +
    '&scope={scopes}&redirect_uri={redirectUri}&state={state}&nonce={nonce}';
  return {
    authorize: {
      ...link(org, `/oauth2/v1/authorize?idp=${idp.id}&${authorizeQuery}`, ['GET']),
      templated: true,
    },
    clientRedirectUri: link(org, '/oauth2/v1/authorize/callback', ['POST']),
    users: link(org, `${path}/users`, ['GET']),
    ...lifecycle,
  };
}

export function identityProviderJson(org: SandboxOrg, idp: IdentityProviderRecord): Record<string, unknown> {
  return {
    id: idp.id,
    type: idp.type,
    issuerMode: 'DYNAMIC',
    name: idp.name,
    status: idp.status,
    created: idp.created,
    lastUpdated: idp.lastUpdated,
    protocol: idp.protocol,
    policy: idp.policy,
    properties: null,
    _links: identityProviderLinks(org, idp),
  };
}
