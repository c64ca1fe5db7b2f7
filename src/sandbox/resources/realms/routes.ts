/** The Realms API's operations: list and search, create, read, replace and delete realms. */
import { type ExpressionRules, evaluate, type Operator } from '../../expressions.js';
import { listCriteria, sortValueAt } from '../../list-criteria.js';
import { compareKeys, type SortKey } from '../../paging.js';
import { listPage, noContent, ok, type RouteHandler } from '../../route.js';
import {
  checkDeletable,
  checkProfile,
  insertRealm,
  type RealmProfile,
  type RealmRecord,
  realmsOf,
  realmTarget,
  requireRealm,
} from './model.js';
import { realmJson } from './render.js';

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
  const { search, expression, sortBy, descending } = listCriteria(query, { search: SEARCH_RULES });
  const keyOf = (realm: RealmRecord): SortKey =>
    sortBy ? [sortValueAt(realm, sortBy, 'as text'), realm.id] : byName(realm);
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

// ---------------------------------------------------------------------------------------------------------
// Creating, reading, replacing and deleting realms

interface RealmBody {
  profile?: RealmProfile;
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
