/** Factors and grants as Okta's JSON writes them. */
import type { SandboxOrg } from '../../org.js';
import { link } from '../../route.js';
import type { FactorRecord, GrantRecord } from './model.js';

export function factorJson(org: SandboxOrg, factor: FactorRecord): Record<string, unknown> {
  const userPath = `/api/v1/users/${factor.userId}`;
  const factorPath = `${userPath}/factors/${factor.id}`;
  return {
    id: factor.id,
    factorType: factor.factorType,
    provider: factor.provider,
    vendorName: factor.vendorName,
    status: factor.status,
    created: factor.created,
    lastUpdated: factor.lastUpdated,
    profile: factor.profile,
    _links: {
      self: link(org, factorPath, ['GET', 'DELETE']),
      verify: link(org, `${factorPath}/verify`, ['POST']),
      // A security question factor links to the questions a user may choose from.
      ...(factor.factorType === 'question'
        ? { questions: link(org, `${userPath}/factors/questions`, ['GET']) }
        : {}),
      user: link(org, userPath, ['GET']),
    },
  };
}

export function grantJson(
  org: SandboxOrg,
  grant: GrantRecord,
  expandScope: boolean,
): Record<string, unknown> {
  const serverPath = `/api/v1/authorizationServers/${grant.authorizationServerId}`;
  return {
    id: grant.id,
    status: 'ACTIVE',
    created: grant.created,
    lastUpdated: grant.lastUpdated,
    createdBy: grant.createdBy,
    issuer: `${org.baseUrl}/oauth2/${grant.authorizationServerId}`,
    clientId: grant.clientId,
    userId: grant.userId,
    scopeId: grant.scopeId,
    source: grant.source,
    ...(expandScope ? { _embedded: { scope: { id: grant.scopeId, name: grant.scopeName } } } : {}),
    _links: {
      self: link(org, `/api/v1/users/${grant.userId}/grants/${grant.id}`, ['GET', 'DELETE']),
      app: { href: `${org.baseUrl}/api/v1/apps/${grant.clientId}`, title: grant.clientName },
      client: { href: `${org.baseUrl}/oauth2/v1/clients/${grant.clientId}`, title: grant.clientName },
      scope: { href: `${org.baseUrl}${serverPath}/scopes/${grant.scopeId}`, title: grant.scopeName },
      user: { href: `${org.baseUrl}/api/v1/users/${grant.userId}` },
      authorizationServer: { href: `${org.baseUrl}${serverPath}` },
    },
  };
}
