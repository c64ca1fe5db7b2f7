/**
 * Realms: partitions of the org's users. Every org has a default realm, which holds every user not placed in
 * another one and can never be deleted; any other realm can be deleted only once no user is left in it.
 */
import { notFound, validationFailed } from '../errors.js';
import { type ExpressionRules, evaluate, type Operator, parseExpression } from '../expressions.js';
import type { SandboxOrg } from '../org.js';
import { compareKeys, type SortKey } from '../paging.js';
import { listPage, noContent, ok, type RouteHandler } from '../route.js';
import type { SeededOrg } from '../seed.js';
import { type UserRecord, userHooks, usersOf } from './users/model.js';

export interface RealmProfile {
  name: string;
  realmType?: 'PARTNER' | 'DEFAULT';
  domains?: string[];
}

export interface RealmRecord {
  id: string;
  isDefault: boolean;
  created: string;
  lastUpdated: string;
  profile: RealmProfile;
}

interface RealmSlice {
  byId: Map<string, RealmRecord>;
  defaultId: string;
}

/** The org's realms; the default realm exists from the start, as in a new Okta org. */
export function realmsOf(org: SandboxOrg): RealmSlice {
  return org.slice('realms', (o) => {
    const now = o.now();
    const defaultRealm: RealmRecord = {
      id: o.ids.id('guo'),
      isDefault: true,
      created: now,
      lastUpdated: now,
      profile: { name: 'Default realm' },
    };
    return { byId: new Map([[defaultRealm.id, defaultRealm]]), defaultId: defaultRealm.id };
  });
}

function requireRealm(org: SandboxOrg, realmId: string): RealmRecord {
  const realm = realmsOf(org).byId.get(realmId);
  if (!realm) throw notFound(realmId, 'Realm');
  return realm;
}

/**
 * A user's realmId must name a realm of the org; a realm with allowed domains takes only users whose login
 * and email are from them, whether created in it, moved into it or changed while in it (Okta help, "Manage
 * realms": the domain restriction applies to creating, editing and transferring users).
 */
userHooks.checkRealm = (org, realmId, profile) => {
  const realm = realmsOf(org).byId.get(realmId);
  if (!realm) throw validationFailed('realmId', [`realmId: There is no realm with the id ${realmId}`]);
  const domains = (realm.profile.domains ?? []).map((domain) => domain.toLowerCase());
  if (domains.length === 0) return;
  const outside = ['login', 'email'].filter((name) => {
    const domain = String(profile[name] ?? '')
      .split('@')[1]
      ?.toLowerCase();
    return domain === undefined || !domains.includes(domain);
  });
  if (outside.length > 0) {
    throw validationFailed(
      outside.join(', '),
      outside.map(
        (name) => `${name}: Must be from one of the realm's allowed domains (${domains.join(', ')})`,
      ),
    );
  }
};

/** A user without a realm id is in the default realm. */
function isInRealm(org: SandboxOrg, user: UserRecord, realm: RealmRecord): boolean {
  return (user.realmId ?? realmsOf(org).defaultId) === realm.id;
}

function realmJson(org: SandboxOrg, realm: RealmRecord): Record<string, unknown> {
  return {
    id: realm.id,
    created: realm.created,
    lastUpdated: realm.lastUpdated,
    isDefault: realm.isDefault,
    profile: realm.profile,
    _links: { self: { rel: 'self', href: `${org.baseUrl}/api/v1/realms/${realm.id}`, method: 'GET' } },
  };
}

function realmTarget(realm: RealmRecord) {
  return { id: realm.id, type: 'Realm', alternateId: realm.id, displayName: realm.profile.name };
}

// ---------------------------------------------------------------------------------------------------------
// Rules

/** Characters Okta's description forbids in a realm domain, and white space. */
const FORBIDDEN_DOMAIN_CHARACTERS = /[!$%^&()=*+,:;<>'[\]|/?\\\s]/;

/** The description makes `profile` optional in the body; Okta needs it (and its name) all the same. */
function checkProfile(profile: RealmProfile | undefined): RealmProfile {
  if (!profile) throw validationFailed('profile', ['profile: The field is required']);
  if (profile.name.trim() === '') throw validationFailed('name', ['name: The field cannot be left blank']);
  const badDomains = (profile.domains ?? []).filter(
    (domain) => domain === '' || FORBIDDEN_DOMAIN_CHARACTERS.test(domain),
  );
  if (badDomains.length > 0) {
    throw validationFailed(
      'domains',
      badDomains.map((domain) => `domains: "${domain}" is not a valid domain name`),
    );
  }
  return {
    name: profile.name,
    ...(profile.realmType ? { realmType: profile.realmType } : {}),
    ...(profile.domains ? { domains: [...profile.domains] } : {}),
  };
}

function checkDeletable(org: SandboxOrg, realm: RealmRecord): void {
  if (realm.isDefault) throw validationFailed('realm', ['realm: The default realm cannot be deleted']);
  for (const user of usersOf(org).byId.values()) {
    if (isInRealm(org, user, realm)) {
      throw validationFailed('realm', [
        'realm: The realm still has users; move them to another realm before deleting it',
      ]);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Listing

/** Okta searches realms by name with `co`; other properties take `eq`. Strings compare without case. */
const eqOnly = new Set<Operator>(['eq']);
const SEARCH_RULES: ExpressionRules = {
  name: 'search',
  operators: new Set<Operator>(['eq', 'co']),
  attributes: {
    id: eqOnly,
    isDefault: eqOnly,
    'profile.name': new Set<Operator>(['eq', 'co']),
    'profile.realmType': eqOnly,
  },
  caseInsensitive: true,
};
const PAGE = { defaultLimit: 200, maxLimit: 200 };
/** With `search`, Okta's default page is 10 realms. */
const SEARCH_PAGE = { defaultLimit: 10, maxLimit: 200 };

const byName = (realm: RealmRecord): SortKey => [realm.profile.name.toLowerCase(), realm.id];

const listRealms: RouteHandler = (context) => {
  const { org, query } = context;
  const search = query.get('search');
  const expression = search !== null ? parseExpression(search, SEARCH_RULES) : undefined;
  // sortBy and sortOrder apply to search queries only, as Okta documents.
  const sortBy = search !== null ? query.get('sortBy') : null;
  const descending = sortBy !== null && query.get('sortOrder') === 'desc';
  const keyOf = (realm: RealmRecord): SortKey =>
    sortBy ? [sortValue(realm, sortBy), realm.id] : byName(realm);
  const sorted = org.cachedList(`realms|${search}|${sortBy}|${descending}`, () =>
    [...realmsOf(org).byId.values()]
      .filter((realm) => !expression || evaluate(expression, realm, true))
      .sort((a, b) => compareKeys(keyOf(a), keyOf(b)) * (descending ? -1 : 1)),
  );
  return listPage(
    context,
    sorted,
    keyOf,
    search !== null ? SEARCH_PAGE : PAGE,
    (realm) => realmJson(org, realm),
    descending,
  );
};

function sortValue(realm: RealmRecord, path: string): string | null {
  let current: unknown = realm;
  for (const part of path.split('.')) current = (current as Record<string, unknown> | undefined)?.[part];
  return current == null ? null : String(current).toLowerCase();
}

// ---------------------------------------------------------------------------------------------------------
// Routes

interface RealmBody {
  profile?: RealmProfile;
}

export function insertRealm(org: SandboxOrg, profile: RealmProfile | undefined, quiet = false): RealmRecord {
  const now = org.now();
  const realm: RealmRecord = {
    id: org.ids.id('guo'),
    isDefault: false,
    created: now,
    lastUpdated: now,
    profile: checkProfile(profile),
  };
  realmsOf(org).byId.set(realm.id, realm);
  org.changed();
  if (!quiet) org.log.record('realm.lifecycle.create', 'Create realm', [realmTarget(realm)]);
  return realm;
}

const createRealm: RouteHandler = (context) =>
  ok(realmJson(context.org, insertRealm(context.org, (context.body as RealmBody).profile)));

const getRealm: RouteHandler = (context) =>
  ok(realmJson(context.org, requireRealm(context.org, context.params.realmId!)));

/** PUT replaces the whole profile: a realmType or domains left out are gone. */
const replaceRealm: RouteHandler = (context) => {
  const { org } = context;
  const realm = requireRealm(org, context.params.realmId!);
  realm.profile = checkProfile((context.body as RealmBody).profile);
  realm.lastUpdated = org.now();
  org.changed();
  org.log.record('realm.profile.update', 'Update realm', [realmTarget(realm)]);
  return ok(realmJson(org, realm));
};

const deleteRealm: RouteHandler = (context) => {
  const { org } = context;
  const realm = requireRealm(org, context.params.realmId!);
  checkDeletable(org, realm);
  realmsOf(org).byId.delete(realm.id);
  org.changed();
  org.log.record('realm.lifecycle.delete', 'Delete realm', [realmTarget(realm)]);
  return noContent();
};

export const realmsRoutes: Record<string, RouteHandler> = {
  listRealms,
  createRealm,
  getRealm,
  replaceRealm,
  deleteRealm,
};

/** The default realm (every seeded user is in it) and an empty partner realm. */
export function seedRealms(org: SandboxOrg, _base: SeededOrg): void {
  realmsOf(org);
  insertRealm(org, { name: 'Partners', realmType: 'PARTNER', domains: ['partners.example.com'] }, true);
}
