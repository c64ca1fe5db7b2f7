/** Applications, app users and group assignments as Okta's JSON writes them. */
import type { SandboxOrg } from '../../org.js';
import { link } from '../../route.js';
import { groupsOf } from '../groups/model.js';
import { groupJson } from '../groups/render.js';
import type { UserRecord } from '../users/model.js';
import { userJson } from '../users/render.js';
import {
  type Access,
  type AppKind,
  type AppRecord,
  appsOf,
  defaultUserName,
  derivedId,
  type GroupAssignmentRecord,
  mappedProfile,
  provisions,
  type UserNameTemplate,
} from './model.js';

const USER_NAME_TEMPLATES: Record<UserNameTemplate, string> = {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Okta's expression language, not a JS template.
  login: '${source.login}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Okta's expression language, not a JS template.
  email: '${source.email}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Okta's expression language, not a JS template.
  loginPrefix: '${fn:substringBefore(source.login, "@")}',
};

export function appUserJson(
  org: SandboxOrg,
  app: AppRecord,
  user: UserRecord,
  access: Access,
  expand?: string | null,
): Record<string, unknown> {
  const { scope, record, grant } = access;
  const created = record?.created ?? grant?.created ?? app.created;
  const lastUpdated = record?.lastUpdated ?? created;
  const synced = provisions(app);
  return {
    id: user.id,
    // The id the target app gave the user. Okta writes `externalId: null` for an app that does not
    // provision, but the description types it as a string: it is left out instead.
    ...(synced ? { externalId: derivedId('005', app.id, user.id).slice(0, 18) } : {}),
    created,
    lastUpdated,
    scope,
    status: synced ? 'PROVISIONED' : 'ACTIVE',
    statusChanged: created,
    passwordChanged: record?.passwordChanged ?? null,
    syncState: synced ? 'SYNCHRONIZED' : 'DISABLED',
    ...(synced ? { lastSync: lastUpdated } : {}),
    credentials: {
      userName: record?.userName ?? defaultUserName(app, user),
      ...(record?.password !== undefined ? { password: {} } : {}),
    },
    profile: {
      ...mappedProfile(app, user),
      ...(scope === 'GROUP' && grant ? grant.profile : {}),
      ...record?.profile,
    },
    ...(expand === 'user' ? { _embedded: { user: userJson(org, user) } } : {}),
    _links: {
      app: link(org, `/api/v1/apps/${app.id}`),
      user: link(org, `/api/v1/users/${user.id}`),
      ...(scope === 'GROUP' && grant ? { group: link(org, `/api/v1/groups/${grant.groupId}`) } : {}),
    },
  };
}

export function groupAssignmentJson(
  org: SandboxOrg,
  app: AppRecord,
  assignment: GroupAssignmentRecord,
  expand?: string | null,
): Record<string, unknown> {
  const group = groupsOf(org).byId.get(assignment.groupId);
  return {
    id: assignment.groupId,
    lastUpdated: assignment.lastUpdated,
    priority: assignment.priority,
    profile: assignment.profile,
    ...(expand === 'group' && group ? { _embedded: { group: groupJson(org, group) } } : {}),
    _links: {
      app: link(org, `/api/v1/apps/${app.id}`),
      self: link(org, `/api/v1/apps/${app.id}/groups/${assignment.groupId}`),
      group: link(org, `/api/v1/groups/${assignment.groupId}`),
    },
  };
}

/** The name of the app's one dashboard link, as Okta names them for each kind of app. */
function appLinkName(app: AppRecord): string {
  return app.kind === 'oidc' ? 'oidc_client_link' : 'login';
}

export function dashboardUrl(org: SandboxOrg, app: AppRecord): string {
  return `${org.baseUrl}/home/${app.name}/${app.id}/${app.linkId}`;
}

export function logoUrl(org: SandboxOrg, app: AppRecord): string {
  return `${org.baseUrl}/assets/img/logos/${app.name}.png`;
}

/**
 * Okta answers an app in the shape of its sign-on mode: `name`, `credentials` and `settings` differ for
 * SAML, OpenID Connect, bookmark and SWA apps (SamlApplication, OpenIdConnectApplication, ... in the
 * description). Values Okta writes as null are left out: the description types them as strings.
 */
export function appJson(org: SandboxOrg, app: AppRecord): Record<string, unknown> {
  const base = `/api/v1/apps/${app.id}`;
  return {
    id: app.id,
    orn: `orn:okta:idp:${appsOf(org).orgId}:apps:${app.name}:${app.id}`,
    name: app.name,
    label: app.label,
    status: app.status,
    lastUpdated: app.lastUpdated,
    created: app.created,
    accessibility: { selfService: false },
    visibility: {
      autoLaunch: false,
      autoSubmitToolbar: false,
      hide: { iOS: app.hidden, web: app.hidden },
      appLinks: { [appLinkName(app)]: true },
    },
    features: app.features,
    signOnMode: SIGN_ON_MODES[app.kind],
    credentials: credentialsJson(app),
    settings: settingsJson(app),
    _links: {
      ...(app.kind === 'saml'
        ? {
            help: {
              href: `${org.baseUrl}/app/${app.name}/${app.id}/setup/help/SAML_2_0/external-doc`,
              type: 'text/html',
            },
            metadata: { href: `${org.baseUrl}${base}/sso/saml/metadata`, type: 'application/xml' },
          }
        : {}),
      appLinks: [{ name: appLinkName(app), href: dashboardUrl(org, app), type: 'text/html' }],
      groups: link(org, `${base}/groups`),
      logo: [{ name: 'medium', href: logoUrl(org, app), type: 'image/png' }],
      users: link(org, `${base}/users`),
      ...(app.status === 'ACTIVE'
        ? { deactivate: link(org, `${base}/lifecycle/deactivate`, ['POST']) }
        : { activate: link(org, `${base}/lifecycle/activate`, ['POST']) }),
    },
  };
}

const SIGN_ON_MODES: Record<AppKind, string> = {
  saml: 'SAML_2_0',
  oidc: 'OPENID_CONNECT',
  bookmark: 'BOOKMARK',
  swa: 'BROWSER_PLUGIN',
};

function credentialsJson(app: AppRecord): Record<string, unknown> {
  const userNameTemplate = { template: USER_NAME_TEMPLATES[app.userNameTemplate], type: 'BUILT_IN' };
  switch (app.kind) {
    case 'saml':
      return { userNameTemplate, signing: { kid: app.signingKid } };
    case 'oidc':
      return {
        userNameTemplate,
        signing: { kid: app.signingKid },
        oauthClient: {
          autoKeyRotation: true,
          client_id: app.id,
          token_endpoint_auth_method: 'client_secret_basic',
          pkce_required: true,
        },
      };
    case 'bookmark':
      return { userNameTemplate, signing: {} };
    case 'swa':
      return { scheme: app.swaScheme, userNameTemplate, revealPassword: false, signing: {} };
  }
}

function settingsJson(app: AppRecord): Record<string, unknown> {
  const common = {
    notifications: { vpn: { network: { connection: 'DISABLED' } } },
    implicitAssignment: false,
    notes: {},
  };
  const site = new URL(app.url);
  switch (app.kind) {
    case 'saml':
      return {
        ...common,
        app: {},
        signOn: {
          ssoAcsUrl: app.url,
          audience: site.origin,
          recipient: app.url,
          destination: app.url,
          idpIssuer: `http://www.okta.com/${app.externalKey}`,
          // biome-ignore lint/suspicious/noTemplateCurlyInString: Okta's expression language, not a JS template.
          subjectNameIdTemplate: '${user.userName}',
          subjectNameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
          responseSigned: true,
          assertionSigned: true,
          signatureAlgorithm: 'RSA_SHA256',
          digestAlgorithm: 'SHA256',
          honorForceAuthn: true,
          authnContextClassRef: 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
          requestCompressed: false,
          allowMultipleAcsEndpoints: false,
          acsEndpoints: [],
          attributeStatements: [],
          slo: { enabled: false },
        },
      };
    case 'oidc':
      return {
        ...common,
        app: {},
        oauthClient: {
          client_uri: site.origin,
          initiate_login_uri: `${site.origin}/login`,
          redirect_uris: [`${site.origin}/authorization-code/callback`],
          post_logout_redirect_uris: [site.origin],
          response_types: ['code'],
          grant_types: ['authorization_code', 'refresh_token'],
          application_type: 'web',
          consent_method: 'TRUSTED',
          issuer_mode: 'DYNAMIC',
          idp_initiated_login: { mode: 'SPEC', default_scope: [] },
          refresh_token: { rotation_type: 'ROTATE', leeway: 30 },
          wildcard_redirect: 'DISABLED',
          dpop_bound_access_tokens: false,
        },
      };
    case 'bookmark':
      return { ...common, app: { requestIntegration: false, url: app.url } };
    case 'swa':
      return {
        ...common,
        app: {
          url: app.url,
          usernameField: '#username',
          passwordField: '#password',
          buttonField: 'button[type=submit]',
          loginUrlRegex: `^${site.origin.replace(/[.]/g, '\\.')}/login`,
        },
      };
  }
}
