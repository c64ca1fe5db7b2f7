/**
 * Applications and their assignments: app instances of four sign-on modes (SAML 2.0, OpenID Connect,
 * bookmark, Secure Web Authentication), their ACTIVE/INACTIVE lifecycle, users assigned directly (scope
 * USER) or through a group (scope GROUP), group assignments in priority order, and each user's app links.
 *
 * Group-scoped app users are not stored: they follow from the app's group assignments and the groups'
 * current members, so a user who joins or leaves an assigned group (through any module) gains or loses the
 * app at once, as in Okta. What a request sets on such a user (a username, profile attributes) is kept
 * beside it until the user loses the app.
 */
import { createHash } from 'node:crypto';
import { notAllowedInStatus, notFound, OktaHttpError, validationFailed } from '../errors.js';
import {
  type Expression,
  type ExpressionRules,
  evaluate,
  type Operator,
  parseExpression,
} from '../expressions.js';
import type { SandboxOrg } from '../org.js';
import { compareKeys, type PageRules, type SortKey } from '../paging.js';
import { link, listPage, noContent, ok, type RouteContext, type RouteHandler } from '../route.js';
import type { SeededOrg } from '../seed.js';
import {
  type GroupRecord,
  groupHooks,
  groupIdsOfUser,
  groupJson,
  groupsOf,
  groupTarget,
  memberIds,
  requireGroup,
} from './groups.js';
import { requireUser, type UserRecord, userHooks, userJson, usersOf, userTarget } from './users.js';

export type AppKind = 'saml' | 'oidc' | 'bookmark' | 'swa';
export type AppStatus = 'ACTIVE' | 'INACTIVE';

/** How an app derives a user's app username from the Okta profile (Okta's built-in username templates). */
export type UserNameTemplate = 'login' | 'email' | 'loginPrefix';

/** How SWA users' credentials are kept: set by each user or the admin, or one shared account. */
export type SwaScheme =
  | 'EDIT_USERNAME_AND_PASSWORD'
  | 'ADMIN_SETS_CREDENTIALS'
  | 'SHARED_USERNAME_AND_PASSWORD';

export interface AppRecord {
  id: string;
  kind: AppKind;
  /** The catalog name: salesforce, slack, oidc_client, bookmark, template_swa, ... */
  name: string;
  label: string;
  /** Where the app lives: the SAML service provider, the OIDC client's site, the bookmark's target. */
  url: string;
  status: AppStatus;
  created: string;
  lastUpdated: string;
  features: string[];
  userNameTemplate: UserNameTemplate;
  swaScheme: SwaScheme | undefined;
  /** Hidden from the end-user dashboard: its app links are listed with `hidden: true`. */
  hidden: boolean;
  signingKid: string;
  /** The SAML IdP's external key (the issuer Okta puts in assertions). */
  externalKey: string;
  /** The number at the end of the app's dashboard link (`/home/{name}/{id}/{linkId}`). */
  linkId: number;
}

interface AppUserRecord {
  /** True for a direct assignment (scope USER); false for what a request set on a group-scoped user. */
  direct: boolean;
  created: string;
  lastUpdated: string;
  userName: string | undefined;
  /** Never sent back: Okta answers `password: {}` once one is set. */
  password: string | undefined;
  passwordChanged: string | null;
  /** Attributes set by requests, laid over the ones mapped from the Okta profile. */
  profile: Record<string, unknown>;
}

interface GroupAssignmentRecord {
  groupId: string;
  /** 0 is the highest: the first group, in priority order, that holds a user gives its profile. */
  priority: number;
  profile: Record<string, unknown>;
  created: string;
  lastUpdated: string;
}

interface AppSlice {
  /** The org's own id, which Okta writes into each app's ORN. */
  orgId: string;
  byId: Map<string, AppRecord>;
  /** Per app, per user: direct assignments, and what requests set on group-scoped users. */
  appUsers: Map<string, Map<string, AppUserRecord>>;
  /** Per app: its group assignments, kept in priority order (index = priority). */
  groupAssignments: Map<string, GroupAssignmentRecord[]>;
}

export function appsOf(org: SandboxOrg): AppSlice {
  return org.slice('apps', (o) => {
    const slice: AppSlice = {
      orgId: o.ids.id('00o'),
      byId: new Map(),
      appUsers: new Map(),
      groupAssignments: new Map(),
    };
    o.onDelete('user', (userId) => {
      for (const users of slice.appUsers.values()) users.delete(userId);
    });
    o.onDelete('group', (groupId) => {
      for (const app of slice.byId.values()) {
        const assignments = slice.groupAssignments.get(app.id) ?? [];
        const index = assignments.findIndex((a) => a.groupId === groupId);
        if (index < 0) continue;
        assignments.splice(index, 1);
        renumber(assignments);
        pruneLostOverrides(o, app);
      }
    });
    return slice;
  });
}

function requireApp(org: SandboxOrg, appId: string): AppRecord {
  const app = appsOf(org).byId.get(appId);
  if (!app) throw notFound(appId, 'AppInstance');
  return app;
}

/** A user named by id in a path or body: Okta looks these up by id only (not by login). */
function requireUserById(org: SandboxOrg, userId: string): UserRecord {
  const user = usersOf(org).byId.get(userId);
  if (!user) throw notFound(userId, 'User');
  return user;
}

function appTarget(app: AppRecord) {
  return { id: app.id, type: 'AppInstance', alternateId: app.name, displayName: app.label };
}

function appUsersOf(org: SandboxOrg, app: AppRecord): Map<string, AppUserRecord> {
  const slice = appsOf(org);
  let users = slice.appUsers.get(app.id);
  if (!users) {
    users = new Map();
    slice.appUsers.set(app.id, users);
  }
  return users;
}

function groupAssignmentsOf(org: SandboxOrg, app: AppRecord): GroupAssignmentRecord[] {
  const slice = appsOf(org);
  let assignments = slice.groupAssignments.get(app.id);
  if (!assignments) {
    assignments = [];
    slice.groupAssignments.set(app.id, assignments);
  }
  return assignments;
}

function renumber(assignments: GroupAssignmentRecord[]): void {
  assignments.forEach((assignment, index) => {
    assignment.priority = index;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Who has an app

interface Access {
  scope: 'USER' | 'GROUP';
  record: AppUserRecord | undefined;
  /** The highest-priority group assignment that holds the user, if any. */
  grant: GroupAssignmentRecord | undefined;
}

/**
 * Group assignments give an app only while it is ACTIVE: Okta's description of deactivateApplication says
 * deactivation reconciles group-assigned users and removes their assignments (activation brings them back).
 */
function grantOf(org: SandboxOrg, app: AppRecord, userId: string): GroupAssignmentRecord | undefined {
  if (app.status !== 'ACTIVE') return undefined;
  const assignments = appsOf(org).groupAssignments.get(app.id);
  if (!assignments || assignments.length === 0) return undefined;
  const groupsOfUser = new Set(groupIdsOfUser(org, userId));
  return assignments.find((assignment) => groupsOfUser.has(assignment.groupId));
}

/** The user's assignment to the app, whatever the user's status. */
function accessOf(org: SandboxOrg, app: AppRecord, userId: string): Access | undefined {
  const record = appsOf(org).appUsers.get(app.id)?.get(userId);
  const grant = grantOf(org, app, userId);
  if (record?.direct) return { scope: 'USER', record, grant };
  if (grant) return { scope: 'GROUP', record, grant };
  return undefined;
}

/** A deactivated (DEPROVISIONED) user has been deprovisioned from every app, group assignments included. */
function activeAccessOf(org: SandboxOrg, app: AppRecord, user: UserRecord | undefined): Access | undefined {
  if (!user || user.status === 'DEPROVISIONED') return undefined;
  return accessOf(org, app, user.id);
}

function requireAccess(
  org: SandboxOrg,
  app: AppRecord,
  userId: string,
): { user: UserRecord; access: Access } {
  const user = requireUserById(org, userId);
  const access = activeAccessOf(org, app, user);
  if (!access) throw notFound(userId, 'AppUser');
  return { user, access };
}

/** Every user the app is assigned to, directly or through a group, sorted by id. */
function assignedUserIds(org: SandboxOrg, app: AppRecord): string[] {
  const users = usersOf(org).byId;
  const ids = new Set<string>();
  for (const [userId, record] of appsOf(org).appUsers.get(app.id) ?? []) if (record.direct) ids.add(userId);
  if (app.status === 'ACTIVE') {
    const groups = groupsOf(org).byId;
    for (const assignment of appsOf(org).groupAssignments.get(app.id) ?? []) {
      const group = groups.get(assignment.groupId);
      if (group) for (const userId of memberIds(org, group)) ids.add(userId);
    }
  }
  return [...ids].filter((id) => (users.get(id)?.status ?? 'DEPROVISIONED') !== 'DEPROVISIONED').sort();
}

/** What a request set on a group-scoped user goes with the assignment once no group gives the app. */
function pruneLostOverrides(org: SandboxOrg, app: AppRecord, userIds?: Iterable<string>): void {
  const records = appsOf(org).appUsers.get(app.id);
  if (!records) return;
  for (const userId of userIds ?? [...records.keys()]) {
    const record = records.get(userId);
    if (record && !record.direct && !grantOf(org, app, userId)) records.delete(userId);
  }
}

/**
 * Runs a change to the app's group assignments or status, then records which of `candidates` (the members
 * of the groups concerned) gained or lost the app through it, as Okta logs each group-driven assignment.
 */
function changeGroupAccess(
  org: SandboxOrg,
  app: AppRecord,
  candidates: readonly string[],
  change: () => void,
  quiet = false,
): void {
  const users = usersOf(org).byId;
  const hadApp = new Set(candidates.filter((id) => activeAccessOf(org, app, users.get(id))));
  change();
  pruneLostOverrides(org, app, candidates);
  org.changed();
  if (quiet) return;
  for (const userId of candidates) {
    const user = users.get(userId);
    const hasApp = activeAccessOf(org, app, user) !== undefined;
    if (!user || hasApp === hadApp.has(userId)) continue;
    logMembership(org, hasApp ? 'add' : 'remove', app, user);
  }
}

function membersOfAssignedGroups(org: SandboxOrg, app: AppRecord): string[] {
  const groups = groupsOf(org).byId;
  const ids = new Set<string>();
  for (const assignment of appsOf(org).groupAssignments.get(app.id) ?? []) {
    const group = groups.get(assignment.groupId);
    if (group) for (const userId of memberIds(org, group)) ids.add(userId);
  }
  return [...ids];
}

/** Okta's System Log event types for a user's assignment to an app, with their display messages. */
const MEMBERSHIP_EVENTS = {
  add: ['application.user_membership.add', 'Add user to application membership'],
  remove: ['application.user_membership.remove', 'Remove users application membership'],
  change_username: ['application.user_membership.change_username', 'Change users application username'],
  change_password: ['application.user_membership.change_password', 'Change users application password'],
  update: ['application.user_membership.update', 'Update user application membership'],
} as const;

type MembershipChange = keyof typeof MEMBERSHIP_EVENTS;

function logMembership(org: SandboxOrg, change: MembershipChange, app: AppRecord, user: UserRecord) {
  const [eventType, message] = MEMBERSHIP_EVENTS[change];
  org.log.record(eventType, message, [appUserTarget(app, user), appTarget(app), userTarget(user)]);
}

function appUserTarget(app: AppRecord, user: UserRecord) {
  return {
    id: assignmentIdOf(app, user.id),
    type: 'AppUser',
    alternateId: user.profile.login,
    displayName: `${user.profile.firstName ?? ''} ${user.profile.lastName ?? ''}`.trim(),
  };
}

// ---------------------------------------------------------------------------------------------------------
// JSON as Okta writes it

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A stable Okta-shaped id for something that is computed rather than stored (a group-scoped app user). */
function derivedId(prefix: string, ...parts: string[]): string {
  const digest = createHash('sha256').update(parts.join('/')).digest();
  let id = prefix;
  for (const byte of digest) {
    if (id.length >= 20) break;
    id += BASE62[byte % 62];
  }
  return id;
}

/** The id of a user's assignment to an app (`0ua...`), which Okta's app links call `appAssignmentId`. */
function assignmentIdOf(app: AppRecord, userId: string): string {
  return derivedId('0ua', app.id, userId);
}

function provisions(app: AppRecord): boolean {
  return app.features.includes('PUSH_NEW_USERS');
}

function defaultUserName(app: AppRecord, user: UserRecord): string {
  const login = user.profile.login;
  switch (app.userNameTemplate) {
    case 'email':
      return String(user.profile.email ?? login);
    case 'loginPrefix':
      return login.split('@')[0] ?? login;
    case 'login':
      return login;
  }
}

const USER_NAME_TEMPLATES: Record<UserNameTemplate, string> = {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Okta's expression language, not a JS template.
  login: '${source.login}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Okta's expression language, not a JS template.
  email: '${source.email}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Okta's expression language, not a JS template.
  loginPrefix: '${fn:substringBefore(source.login, "@")}',
};

/**
 * The app user profile that the app's default profile mappings give. OpenID Connect apps use the OIDC
 * claim names (no firstName or lastName: Okta's description of listApplicationUsers notes it for `q`);
 * bookmark and SWA apps have no mapped attributes.
 */
function mappedProfile(app: AppRecord, user: UserRecord): Record<string, unknown> {
  const profile = user.profile;
  switch (app.kind) {
    case 'saml':
      return {
        email: profile.email ?? null,
        firstName: profile.firstName ?? null,
        lastName: profile.lastName ?? null,
        displayName: profile.displayName ?? `${profile.firstName ?? ''} ${profile.lastName ?? ''}`.trim(),
        mobilePhone: profile.mobilePhone ?? null,
      };
    case 'oidc':
      return {
        email: profile.email ?? null,
        given_name: profile.firstName ?? null,
        family_name: profile.lastName ?? null,
        name: `${profile.firstName ?? ''} ${profile.lastName ?? ''}`.trim(),
        locale: profile.locale ?? 'en_US',
        zoneinfo: profile.timezone ?? 'America/Los_Angeles',
      };
    case 'bookmark':
    case 'swa':
      return {};
  }
}

function appUserJson(
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

function groupAssignmentJson(
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

function dashboardUrl(org: SandboxOrg, app: AppRecord): string {
  return `${org.baseUrl}/home/${app.name}/${app.id}/${app.linkId}`;
}

function logoUrl(org: SandboxOrg, app: AppRecord): string {
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

/** Okta's filter on SAML single logout reads `settings.slo.enabled`; the sandbox's apps never enable it. */
function filterSubject(org: SandboxOrg, app: AppRecord, userIds: string[], groupIds: string[]) {
  const users = usersOf(org).byId;
  const assignments = appsOf(org).groupAssignments.get(app.id) ?? [];
  return {
    id: app.id,
    name: app.name,
    status: app.status,
    credentials: { signing: { kid: app.signingKid } },
    settings: { slo: { enabled: false } },
    // Only the ids the expression names are looked up: an app assigned to Everyone has every user.
    user: { id: userIds.filter((id) => activeAccessOf(org, app, users.get(id))) },
    group: { id: groupIds.filter((id) => assignments.some((a) => a.groupId === id)) },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Creating apps and assignments

export interface NewApp {
  kind: AppKind;
  label: string;
  url: string;
  /** The catalog name of a SAML app (salesforce, slack, githubcloud, ...); other kinds have a fixed one. */
  name?: string;
  status?: AppStatus;
  /** Provisioning (PUSH_NEW_USERS and friends): app users are PROVISIONED with an externalId. */
  provisioning?: boolean;
  userNameTemplate?: UserNameTemplate;
  swaScheme?: SwaScheme;
  hidden?: boolean;
  /** For seeding: skip the System Log. */
  quiet?: boolean;
}

const PROVISIONING_FEATURES = [
  'IMPORT_NEW_USERS',
  'IMPORT_PROFILE_UPDATES',
  'PUSH_NEW_USERS',
  'PUSH_PROFILE_UPDATES',
  'PUSH_USER_DEACTIVATION',
  'REACTIVATE_USERS',
];

const FIXED_NAMES: Record<Exclude<AppKind, 'saml'>, string> = {
  oidc: 'oidc_client',
  bookmark: 'bookmark',
  swa: 'template_swa',
};

/** Adds an app (there is no create operation in the sandbox: the seed and tests use this). */
export function insertApp(org: SandboxOrg, input: NewApp): AppRecord {
  const slice = appsOf(org);
  const now = org.now();
  const app: AppRecord = {
    id: org.ids.id('0oa'),
    kind: input.kind,
    name:
      input.kind === 'saml'
        ? (input.name ?? `sandbox_customsaml20app_${slice.byId.size + 1}`)
        : FIXED_NAMES[input.kind],
    label: input.label,
    url: input.url,
    status: input.status ?? 'ACTIVE',
    created: now,
    lastUpdated: now,
    features: input.provisioning ? [...PROVISIONING_FEATURES] : [],
    userNameTemplate: input.userNameTemplate ?? 'login',
    swaScheme: input.kind === 'swa' ? (input.swaScheme ?? 'EDIT_USERNAME_AND_PASSWORD') : undefined,
    hidden: input.hidden ?? false,
    signingKid: org.ids.id('', 43),
    externalKey: org.ids.id('exk'),
    linkId: 20 + Math.floor(org.ids.random() * 80),
  };
  slice.byId.set(app.id, app);
  org.changed();
  if (!input.quiet) org.log.record('application.lifecycle.create', 'Add application', [appTarget(app)]);
  return app;
}

export interface UserAssignment {
  /** USER (the default) makes the assignment direct; GROUP keeps a group-given one as it is. */
  scope?: 'USER' | 'GROUP';
  userName?: string;
  password?: string;
  profile?: Record<string, unknown>;
  quiet?: boolean;
}

/**
 * Which credentials a user may have on the app. A username suits every app but a shared-account SWA app;
 * a password only apps whose users (or admins) keep one: Okta refuses the rest with E0000041.
 */
function checkCredentials(app: AppRecord, userName: string | undefined, password: string | undefined): void {
  const shared = app.swaScheme === 'SHARED_USERNAME_AND_PASSWORD';
  const keepsPasswords = app.kind === 'swa' && !shared;
  if ((password !== undefined && !keepsPasswords) || (userName !== undefined && shared)) {
    throw new OktaHttpError(
      400,
      'E0000041',
      'Credentials should not be set on this resource based on the scheme.',
      ['User level credentials should not be provided for this scheme.'],
    );
  }
}

/**
 * Assigns a user to the app, or updates the assignment the user has: Okta answers the app user either way.
 * A group-scoped user assigned directly becomes scope USER and keeps the app when the group goes.
 */
export function assignUser(org: SandboxOrg, app: AppRecord, user: UserRecord, input: UserAssignment = {}) {
  // Okta deprovisions a deactivated user from every app; it takes no new assignment until reactivated.
  if (user.status === 'DEPROVISIONED') throw notAllowedInStatus();
  checkCredentials(app, input.userName, input.password);
  const before = activeAccessOf(org, app, user);
  if (input.scope === 'GROUP' && before?.scope !== 'GROUP') {
    throw validationFailed('scope', ['scope: Only a group assignment gives a user the app with scope GROUP']);
  }
  const records = appUsersOf(org, app);
  const now = org.now();
  // A user without the app starts afresh, even if a group once gave it and left something behind.
  const record = (before && records.get(user.id)) || newAppUserRecord(before?.grant?.created ?? now, now);
  if (input.scope !== 'GROUP') {
    // A group assignment made direct keeps the app profile the group gave it: Okta converts the same app
    // user, so its attribute values stay (they are no longer driven by the group).
    if (before?.scope === 'GROUP') record.profile = { ...before.grant?.profile, ...record.profile };
    record.direct = true;
  }
  const changes = applyChanges(record, app, user, input, now);
  records.set(user.id, record);
  org.changed();
  // A new assignment is one event; an existing one logs what the request changed.
  const logged: MembershipChange[] = input.quiet ? [] : before ? changes : ['add'];
  for (const change of logged) logMembership(org, change, app, user);
  return activeAccessOf(org, app, user)!;
}

/** A group-scoped user's record starts when the group gave the app; a direct assignment, now. */
function newAppUserRecord(created: string, now: string): AppUserRecord {
  return {
    direct: false,
    created,
    lastUpdated: now,
    userName: undefined,
    password: undefined,
    passwordChanged: null,
    profile: {},
  };
}

/** Sets what the request sends; returns what changed, for the System Log. */
function applyChanges(
  record: AppUserRecord,
  app: AppRecord,
  user: UserRecord,
  input: Pick<UserAssignment, 'userName' | 'password' | 'profile'>,
  now: string,
): MembershipChange[] {
  const changes: MembershipChange[] = [];
  const currentUserName = record.userName ?? defaultUserName(app, user);
  if (input.userName !== undefined && input.userName !== currentUserName) {
    record.userName = input.userName;
    changes.push('change_username');
  }
  if (input.password !== undefined) {
    record.password = input.password;
    record.passwordChanged = now;
    changes.push('change_password');
  }
  if (input.profile !== undefined) {
    record.profile = { ...record.profile, ...input.profile };
    changes.push('update');
  }
  record.lastUpdated = now;
  return changes;
}

export interface GroupAssignmentInput {
  priority?: number;
  profile?: Record<string, unknown>;
  quiet?: boolean;
}

/**
 * Assigns a group to the app (or updates its assignment): the group's members get the app with scope
 * GROUP. Priorities stay 0..n-1: a new assignment goes last unless given a place, and the others move.
 */
export function assignGroup(
  org: SandboxOrg,
  app: AppRecord,
  group: GroupRecord,
  input: GroupAssignmentInput = {},
): GroupAssignmentRecord {
  if (input.priority !== undefined && input.priority < 0) {
    throw validationFailed('priority', ['priority: The priority must be zero or more']);
  }
  const assignments = groupAssignmentsOf(org, app);
  const now = org.now();
  const existing = assignments.find((a) => a.groupId === group.id);
  const assignment: GroupAssignmentRecord = existing ?? {
    groupId: group.id,
    priority: assignments.length,
    profile: {},
    created: now,
    lastUpdated: now,
  };
  if (!input.quiet) {
    org.log.record(
      existing ? 'group.application_assignment.update' : 'group.application_assignment.add',
      existing ? 'Update application group assignment' : 'Assign application to group',
      [groupTarget(group), appTarget(app)],
    );
  }
  changeGroupAccess(
    org,
    app,
    memberIds(org, group),
    () => {
      if (existing) assignments.splice(assignments.indexOf(existing), 1);
      const place = Math.min(
        input.priority ?? (existing ? existing.priority : assignments.length),
        assignments.length,
      );
      assignments.splice(place, 0, assignment);
      renumber(assignments);
      if (input.profile !== undefined) assignment.profile = { ...input.profile };
      assignment.lastUpdated = now;
    },
    input.quiet,
  );
  return assignment;
}

function setStatus(org: SandboxOrg, app: AppRecord, status: AppStatus): void {
  changeGroupAccess(org, app, membersOfAssignedGroups(org, app), () => {
    app.status = status;
    app.lastUpdated = org.now();
  });
}

groupHooks.appsCount = (org, groupId) =>
  [...appsOf(org).groupAssignments.values()].filter((assignments) =>
    assignments.some((a) => a.groupId === groupId),
  ).length;

// A deactivated user is deprovisioned from every app: direct assignments are removed for good; group ones
// come back with reactivation, since the user is still a member of the groups.
userHooks.deactivated.push((org, user) => {
  for (const app of appsOf(org).byId.values()) {
    if (!accessOf(org, app, user.id)) continue;
    appsOf(org).appUsers.get(app.id)?.delete(user.id);
    logMembership(org, 'remove', app, user);
  }
  org.changed();
});

// ---------------------------------------------------------------------------------------------------------
// Routes: applications

const eqOnly = new Set<Operator>(['eq']);
const APP_FILTER_RULES: ExpressionRules = {
  name: 'filter',
  operators: eqOnly,
  attributes: {
    id: eqOnly,
    name: eqOnly,
    status: eqOnly,
    'user.id': eqOnly,
    'group.id': eqOnly,
    'credentials.signing.kid': eqOnly,
    'settings.slo.enabled': eqOnly,
  },
  caseInsensitive: false,
};
// The description gives listApplications a default of -1 ("the server's default"): Okta pages by 20.
const APPS_PAGE: PageRules = { defaultLimit: 20, maxLimit: 200 };
const APP_USERS_PAGE: PageRules = { defaultLimit: 50, maxLimit: 500 };
const GROUP_ASSIGNMENTS_PAGE: PageRules = { defaultLimit: 20, maxLimit: 200 };
const GROUP_APPS_PAGE: PageRules = { defaultLimit: 20, maxLimit: 200 };

/** The values an expression compares `attribute` with (the user ids of `user.id eq "..."`). */
function valuesNamed(expression: Expression | undefined, attribute: string): string[] {
  if (!expression) return [];
  if (expression.kind !== 'compare') {
    return [...valuesNamed(expression.left, attribute), ...valuesNamed(expression.right, attribute)];
  }
  return expression.attribute === attribute ? [String(expression.value)] : [];
}

/** `limit=-1`, the documented default, asks for the server's own page size. */
function withoutDefaultLimit(context: RouteContext): RouteContext {
  if (context.query.get('limit') !== '-1') return context;
  const url = new URL(context.url.href);
  url.searchParams.delete('limit');
  return { ...context, url, query: url.searchParams };
}

/**
 * GET /apps: ACTIVE and INACTIVE apps, by id. `expand=user/{id}` is not embedded: the description's
 * Application `_embedded.user` allows only object-valued properties, which an app user is not.
 * `useOptimization`, `alwaysIncludeVpnSettings` and `includeNonDeleted` change nothing here (no app is
 * ever being deleted, and VPN notifications are never configured).
 */
const listApplications: RouteHandler = (context) => {
  const { org, query } = context;
  const q = query.get('q');
  const filter = query.get('filter');
  const expression = filter !== null ? parseExpression(filter, APP_FILTER_RULES) : undefined;
  const userIds = valuesNamed(expression, 'user.id');
  const groupIds = valuesNamed(expression, 'group.id');
  const prefix = q?.toLowerCase();
  const sorted = org.cachedList(`apps|${q}|${filter}`, () =>
    [...appsOf(org).byId.values()]
      .filter(
        (app) =>
          prefix === undefined ||
          app.name.toLowerCase().startsWith(prefix) ||
          app.label.toLowerCase().startsWith(prefix),
      )
      .filter((app) => !expression || evaluate(expression, filterSubject(org, app, userIds, groupIds), false))
      .sort((a, b) => compareKeys([a.id], [b.id])),
  );
  return listPage(
    withoutDefaultLimit(context),
    sorted,
    (app) => [app.id],
    APPS_PAGE,
    (app) => appJson(org, app),
  );
};

/** `expand=user/{id}` is not embedded, for the reason given at listApplications. */
const getApplication: RouteHandler = (context) =>
  ok(appJson(context.org, requireApp(context.org, context.params.appId!)));

/**
 * Activating an ACTIVE app or deactivating an INACTIVE one changes nothing and still answers 200: the
 * description documents no error for it, and Okta treats the lifecycle calls as idempotent.
 */
function lifecycle(to: AppStatus, eventType: string, message: string): RouteHandler {
  return (context) => {
    const { org } = context;
    const app = requireApp(org, context.params.appId!);
    if (app.status !== to) {
      org.log.record(eventType, message, [appTarget(app)]);
      setStatus(org, app, to);
    }
    return ok(undefined);
  };
}

const activateApplication = lifecycle('ACTIVE', 'application.lifecycle.activate', 'Activate application');
const deactivateApplication = lifecycle(
  'INACTIVE',
  'application.lifecycle.deactivate',
  'Deactivate application',
);

// ---------------------------------------------------------------------------------------------------------
// Routes: application users

/** `q` matches the start of the app username, first name, last name or email, regardless of case. */
function matchesAppUserQuery(app: AppRecord, user: UserRecord, access: Access, prefix: string): boolean {
  const profile = { ...mappedProfile(app, user), ...access.record?.profile };
  const userName = access.record?.userName ?? defaultUserName(app, user);
  return [userName, profile.firstName, profile.lastName, profile.email].some(
    (value) => typeof value === 'string' && value.toLowerCase().startsWith(prefix),
  );
}

const listApplicationUsers: RouteHandler = (context) => {
  const { org, query } = context;
  const app = requireApp(org, context.params.appId!);
  const q = query.get('q')?.toLowerCase();
  const users = usersOf(org).byId;
  const sorted = org.cachedList(`appUsers|${app.id}|${q}`, () =>
    assignedUserIds(org, app)
      .map((id) => ({ user: users.get(id)!, access: accessOf(org, app, id)! }))
      .filter(({ user, access }) => q === undefined || matchesAppUserQuery(app, user, access, q)),
  );
  return listPage(
    context,
    sorted,
    ({ user }) => [user.id],
    APP_USERS_PAGE,
    ({ user, access }) => appUserJson(org, app, user, access, query.get('expand')),
  );
};

interface AppUserBody {
  id?: string;
  scope?: 'USER' | 'GROUP';
  credentials?: { userName?: string; password?: { value?: string } };
  profile?: Record<string, unknown>;
}

const assignUserToApplication: RouteHandler = (context) => {
  const { org } = context;
  const app = requireApp(org, context.params.appId!);
  const body = context.body as AppUserBody;
  const user = requireUserById(org, body.id!);
  const access = assignUser(org, app, user, {
    scope: body.scope,
    userName: body.credentials?.userName,
    password: body.credentials?.password?.value,
    profile: body.profile,
  });
  return ok(appUserJson(org, app, user, access));
};

const getApplicationUser: RouteHandler = (context) => {
  const { org } = context;
  const app = requireApp(org, context.params.appId!);
  const { user, access } = requireAccess(org, app, context.params.userId!);
  return ok(appUserJson(org, app, user, access, context.query.get('expand')));
};

/** POST: only what is sent changes (a username, a password, profile attributes); the scope stays. */
const updateApplicationUser: RouteHandler = (context) => {
  const { org } = context;
  const app = requireApp(org, context.params.appId!);
  const { user, access } = requireAccess(org, app, context.params.userId!);
  const body = (context.body ?? {}) as AppUserBody;
  const userName = body.credentials?.userName;
  const password = body.credentials?.password?.value;
  checkCredentials(app, userName, password);
  const now = org.now();
  const record = access.record ?? newAppUserRecord(access.grant?.created ?? now, now);
  const changes = applyChanges(record, app, user, { userName, password, profile: body.profile }, now);
  appUsersOf(org, app).set(user.id, record);
  org.changed();
  for (const change of changes) logMembership(org, change, app, user);
  return ok(appUserJson(org, app, user, { ...access, record }));
};

/**
 * DELETE: a user whose groups give the app cannot be unassigned (Okta answers E0000046, whether or not the
 * user also has a direct assignment): the group assignment has to go, or the user leave the group.
 * `sendEmail` only mails the admin in Okta; nothing here sends mail.
 */
const unassignUserFromApplication: RouteHandler = (context) => {
  const { org } = context;
  const app = requireApp(org, context.params.appId!);
  const { user, access } = requireAccess(org, app, context.params.userId!);
  if (access.grant) {
    throw new OktaHttpError(403, 'E0000046', 'Deactivate application for user forbidden.', [
      'The application cannot be unassigned from the user while their group memberships grant them access',
    ]);
  }
  appsOf(org).appUsers.get(app.id)?.delete(user.id);
  org.changed();
  logMembership(org, 'remove', app, user);
  return noContent();
};

// ---------------------------------------------------------------------------------------------------------
// Routes: group assignments

/** `expand=group` embeds the group; `expand=metadata` (where each profile value comes from) is not modelled. */
const listApplicationGroupAssignments: RouteHandler = (context) => {
  const { org, query } = context;
  const app = requireApp(org, context.params.appId!);
  const q = query.get('q')?.toLowerCase();
  const groups = groupsOf(org).byId;
  const keyOf = (a: GroupAssignmentRecord): SortKey => [a.priority, a.groupId];
  const sorted = org.cachedList(`appGroups|${app.id}|${q}`, () =>
    (appsOf(org).groupAssignments.get(app.id) ?? []).filter(
      (a) => q === undefined || (groups.get(a.groupId)?.profile.name.toLowerCase().startsWith(q) ?? false),
    ),
  );
  return listPage(context, sorted, keyOf, GROUP_ASSIGNMENTS_PAGE, (a) =>
    groupAssignmentJson(org, app, a, query.get('expand')),
  );
};

/** PUT with an optional body: a new assignment, or new priority and profile for an existing one. */
const assignGroupToApplication: RouteHandler = (context) => {
  const { org } = context;
  const app = requireApp(org, context.params.appId!);
  const group = requireGroup(org, context.params.groupId!);
  const body = (context.body ?? {}) as { priority?: number; profile?: Record<string, unknown> };
  const assignment = assignGroup(org, app, group, { priority: body.priority, profile: body.profile });
  return ok(groupAssignmentJson(org, app, assignment));
};

/** Its members lose the app unless another assigned group holds them or they are assigned directly. */
const unassignApplicationFromGroup: RouteHandler = (context) => {
  const { org } = context;
  const app = requireApp(org, context.params.appId!);
  const group = requireGroup(org, context.params.groupId!);
  const assignments = groupAssignmentsOf(org, app);
  const assignment = assignments.find((a) => a.groupId === group.id);
  if (!assignment) throw notFound(group.id, 'ApplicationGroupAssignment');
  org.log.record('group.application_assignment.remove', 'Unassign application from group', [
    groupTarget(group),
    appTarget(app),
  ]);
  changeGroupAccess(org, app, memberIds(org, group), () => {
    assignments.splice(assignments.indexOf(assignment), 1);
    renumber(assignments);
  });
  return noContent();
};

const listAssignedApplicationsForGroup: RouteHandler = (context) => {
  const { org } = context;
  const group = requireGroup(org, context.params.groupId!);
  const slice = appsOf(org);
  const sorted = org.cachedList(`groupApps|${group.id}`, () =>
    [...slice.byId.values()]
      .filter((app) => (slice.groupAssignments.get(app.id) ?? []).some((a) => a.groupId === group.id))
      .sort((a, b) => compareKeys([a.id], [b.id])),
  );
  return listPage(
    context,
    sorted,
    (app) => [app.id],
    GROUP_APPS_PAGE,
    (app) => appJson(org, app),
  );
};

// ---------------------------------------------------------------------------------------------------------
// Routes: a user's app links

/**
 * GET /users/{id}/appLinks: a link for each ACTIVE app the user has, directly or through a group, in the
 * order of the user's dashboard (by label). Okta writes the user's id as each link's `id`, as its
 * description's examples show. `credentialsSetup` tells whether an SWA app has the user's password.
 */
const listAppLinks: RouteHandler = (context) => {
  const { org } = context;
  const user = requireUser(org, context.params.id!, context.principal.userId);
  const apps = [...appsOf(org).byId.values()]
    .filter((app) => app.status === 'ACTIVE')
    .map((app) => ({ app, access: activeAccessOf(org, app, user) }))
    .filter((entry): entry is { app: AppRecord; access: Access } => entry.access !== undefined)
    .sort((a, b) =>
      compareKeys([a.app.label.toLowerCase(), a.app.id], [b.app.label.toLowerCase(), b.app.id]),
    );
  return ok(
    apps.map(({ app, access }, sortOrder) => ({
      id: user.id,
      label: app.label,
      linkUrl: dashboardUrl(org, app),
      logoUrl: logoUrl(org, app),
      appName: app.name,
      appInstanceId: app.id,
      appAssignmentId: assignmentIdOf(app, user.id),
      credentialsSetup: app.kind === 'swa' && access.record?.password !== undefined,
      hidden: app.hidden,
      sortOrder,
    })),
  );
};

export const appsRoutes: Record<string, RouteHandler> = {
  listApplications,
  getApplication,
  activateApplication,
  deactivateApplication,
  listApplicationUsers,
  assignUserToApplication,
  getApplicationUser,
  updateApplicationUser,
  unassignUserFromApplication,
  listApplicationGroupAssignments,
  assignGroupToApplication,
  unassignApplicationFromGroup,
  listAssignedApplicationsForGroup,
  listAppLinks,
};

// ---------------------------------------------------------------------------------------------------------
// Base data

/**
 * The base cast's apps: Salesforce (SAML, provisioning) for Sales, Slack for Everyone, GitHub for
 * Engineering, an OIDC expense portal for Finance, an IT help desk bookmark for Support, a legacy payroll
 * site signed into with SWA, and a retired wiki, INACTIVE, still assigned to Engineering.
 */
export function seedApps(org: SandboxOrg, base: SeededOrg): void {
  const quiet = true;
  const groups = base.groups;
  const person = (login: string) => base.people[login];
  const everyone = groupsOf(org).byId.get(groupsOf(org).everyoneId)!;

  const salesforce = insertApp(org, {
    kind: 'saml',
    name: 'salesforce',
    label: 'Salesforce.com',
    url: 'https://example-corp.my.salesforce.com/?so=00D000000000001',
    provisioning: true,
    quiet,
  });
  const slack = insertApp(org, {
    kind: 'saml',
    name: 'slack',
    label: 'Slack',
    url: 'https://example-corp.slack.com/sso/saml',
    userNameTemplate: 'email',
    quiet,
  });
  const github = insertApp(org, {
    kind: 'saml',
    name: 'githubcloud',
    label: 'GitHub Enterprise Cloud',
    url: 'https://github.com/orgs/example-corp/saml/consume',
    userNameTemplate: 'loginPrefix',
    quiet,
  });
  const expenses = insertApp(org, {
    kind: 'oidc',
    label: 'Expense Portal',
    url: 'https://expenses.example.com',
    quiet,
  });
  const helpDesk = insertApp(org, {
    kind: 'bookmark',
    label: 'IT Help Desk',
    url: 'https://helpdesk.example.com/portal',
    quiet,
  });
  const payroll = insertApp(org, {
    kind: 'swa',
    label: 'Legacy Payroll',
    url: 'https://payroll.example.com/login.aspx',
    quiet,
  });
  const wiki = insertApp(org, {
    kind: 'bookmark',
    label: 'Engineering Wiki (retired)',
    url: 'https://wiki.example.com',
    status: 'INACTIVE',
    quiet,
  });

  assignGroup(org, salesforce, groups.Sales!, {
    profile: { role: 'Sales', profile: 'Standard User' },
    quiet,
  });
  assignGroup(org, slack, everyone, { quiet });
  assignGroup(org, github, groups.Engineering!, { quiet });
  assignGroup(org, expenses, groups.Finance!, { quiet });
  assignGroup(org, helpDesk, groups.Support!, { quiet });
  assignGroup(org, wiki, groups.Engineering!, { quiet });

  const lukas = person('lukas.weber@example.com');
  if (lukas) {
    assignUser(org, salesforce, lukas, { profile: { role: 'Finance', profile: 'Read Only' }, quiet });
    assignUser(org, payroll, lukas, { userName: 'lweber', password: 'Payroll-Sandbox-1', quiet });
  }
  assignUser(org, expenses, base.admin, { quiet });
  assignUser(org, helpDesk, base.admin, { quiet });
}
