/**
 * Realms: partitions of the org's users. Every org has a default realm, which holds every user not placed in
 * another one and can never be deleted; any other realm can be deleted only once no user is left in it.
 */
import { notFound, validationFailed } from '../../errors.js';
import type { SandboxOrg } from '../../org.js';
import { type UserRecord, userHooks, usersOf } from '../users/model.js';

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

export function requireRealm(org: SandboxOrg, realmId: string): RealmRecord {
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

export function realmTarget(realm: RealmRecord) {
  return { id: realm.id, type: 'Realm', alternateId: realm.id, displayName: realm.profile.name };
}

// ---------------------------------------------------------------------------------------------------------
// Rules

/** Characters Okta's description forbids in a realm domain, and white space. */
const FORBIDDEN_DOMAIN_CHARACTERS = /[!$%^&()=*+,:;<>'[\]|/?\\\s]/;

/** The description makes `profile` optional in the body; Okta needs it (and its name) all the same. */
export function checkProfile(profile: RealmProfile | undefined): RealmProfile {
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

export function checkDeletable(org: SandboxOrg, realm: RealmRecord): void {
  if (realm.isDefault) throw validationFailed('realm', ['realm: The default realm cannot be deleted']);
  for (const user of usersOf(org).byId.values()) {
    if (isInRealm(org, user, realm)) {
      throw validationFailed('realm', [
        'realm: The realm still has users; move them to another realm before deleting it',
      ]);
    }
  }
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
