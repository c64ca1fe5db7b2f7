/** The org's seeded network zones and identity providers. */
import type { SandboxOrg } from '../../org.js';
import type { SeededOrg } from '../../seeded-org.js';
import { insertIdentityProvider, insertZone } from './model.js';

/** Addresses from the ranges reserved for documentation (RFC 5737, RFC 3849): they reach no one. */
function seedZones(org: SandboxOrg): void {
  insertZone(org, {
    type: 'IP',
    name: 'LegacyIpZone',
    usage: 'POLICY',
    system: true,
    gateways: [
      { type: 'CIDR', value: '203.0.113.0/24' },
      { type: 'RANGE', value: '198.51.100.10-198.51.100.20' },
    ],
    proxies: [{ type: 'RANGE', value: '198.51.100.250' }],
  });
  insertZone(org, {
    type: 'IP',
    name: 'BlockedIpZone',
    usage: 'BLOCKLIST',
    system: true,
    gateways: [
      { type: 'RANGE', value: '192.0.2.66' },
      { type: 'CIDR', value: '2001:db8:bad::/48' },
    ],
  });
  // Okta ships this zone inactive: blocking every anonymizer is the admin's decision.
  insertZone(org, {
    type: 'DYNAMIC_V2',
    name: 'DefaultEnhancedDynamicZone',
    usage: 'BLOCKLIST',
    system: true,
    status: 'INACTIVE',
    dynamic: {
      locations: { include: [], exclude: [] },
      ipServiceCategories: { include: ['ALL_ANONYMIZERS'], exclude: [] },
      asns: { include: [], exclude: [] },
    },
  });
  insertZone(org, {
    type: 'IP',
    name: 'Branch Offices',
    usage: 'POLICY',
    system: false,
    gateways: [{ type: 'CIDR', value: '198.51.100.128/25' }],
  });
}

function seedIdentityProviders(org: SandboxOrg): void {
  const autoProvisioning = {
    action: 'AUTO',
    profileMaster: false,
    groups: { action: 'NONE' },
    conditions: { deprovisioned: { action: 'NONE' }, suspended: { action: 'NONE' } },
  };
  insertIdentityProvider(org, {
    type: 'GOOGLE',
    name: 'Google Workspace',
    protocol: {
      type: 'OIDC',
      endpoints: {
        authorization: { url: 'https://accounts.google.com/o/oauth2/auth', binding: 'HTTP-REDIRECT' },
        token: { url: 'https://www.googleapis.com/oauth2/v3/token', binding: 'HTTP-POST' },
      },
      scopes: ['openid', 'email', 'profile'],
      // Okta would also return the client secret; the sandbox never answers with a secret.
      credentials: { client: { client_id: '771230960148-sandbox.apps.googleusercontent.com' } },
    },
    policy: {
      provisioning: autoProvisioning,
      accountLink: { action: 'AUTO' },
      subject: { userNameTemplate: { template: 'idpuser.email' }, matchType: 'USERNAME' },
      maxClockSkew: 0,
    },
  });
  insertIdentityProvider(org, {
    type: 'SAML2',
    name: 'Partner SAML IdP',
    protocol: {
      type: 'SAML2',
      endpoints: {
        sso: {
          url: 'https://idp.partner.example/saml/sso',
          binding: 'HTTP-POST',
          destination: 'https://idp.partner.example/saml/sso',
        },
        acs: { binding: 'HTTP-POST', type: 'INSTANCE' },
      },
      algorithms: {
        request: { signature: { algorithm: 'SHA-256', scope: 'REQUEST' } },
        response: { signature: { algorithm: 'SHA-256', scope: 'ANY' } },
      },
      settings: { nameFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress' },
      credentials: {
        trust: {
          issuer: 'https://idp.partner.example/saml/metadata',
          audience: 'https://www.okta.com/saml2/service-provider/sandbox',
          kid: 'a1b2c3d4-0000-4000-8000-5a4db0c5e7f1',
        },
      },
    },
    policy: {
      provisioning: { ...autoProvisioning, action: 'DISABLED' },
      accountLink: { action: 'AUTO' },
      subject: { userNameTemplate: { template: 'idpuser.subjectNameId' }, matchType: 'EMAIL' },
      maxClockSkew: 120_000,
    },
  });
}

/**
 * The system zones (LegacyIpZone with gateways and proxies, the BlockedIpZone blocklist, the inactive
 * DefaultEnhancedDynamicZone), one admin-made IP zone, and a Google and a SAML identity provider. API token
 * records come from index.ts, which knows the tokens (see registerApiToken).
 */
export function seedSecurity(org: SandboxOrg, _base: SeededOrg): void {
  seedZones(org);
  seedIdentityProviders(org);
}
