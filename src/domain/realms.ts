/** Reading realms the way every realm action needs: raw (lossless), with a clear word when the org lacks them. */
import { ActionError } from '../errors/action-error.js';
import { toErrorEnvelope } from '../errors/map-error.js';
import type { OktaContext } from '../handler/okta-context.js';
import { oktaPath } from '../transport/paths.js';

/** A realm as Okta sends it; only what the actions read is typed. */
export interface OktaRealmJson {
  id: string;
  isDefault?: boolean;
  profile: { name: string; realmType?: string; domains?: string[]; [attribute: string]: unknown };
  [field: string]: unknown;
}

/** The stable fields a flow maps, plus the whole realm under `realm`. */
export interface RealmResultFields {
  id: string;
  name: string;
  realmType: string | null;
  domains: string[];
  isDefault: boolean;
  realm: OktaRealmJson;
}

export function realmPath(realmId: string): string {
  return oktaPath('/api/v1/realms/{realmId}', { realmId });
}

export function getRealm(okta: OktaContext, realmId: string): Promise<OktaRealmJson> {
  return okta.getJson<OktaRealmJson>(realmPath(realmId));
}

export function realmResult(realm: OktaRealmJson): RealmResultFields {
  return {
    id: realm.id,
    name: realm.profile.name,
    realmType: realm.profile.realmType ?? null,
    domains: realm.profile.domains ?? [],
    isDefault: realm.isDefault ?? false,
    realm,
  };
}

const REALMS_FEATURE =
  ' Realms need an Okta Identity Governance, Secure Partner Access or Advanced Directory Management subscription; an org without one answers this way too.';

/**
 * Runs a realm action. Okta answers 401, 403 or 404 (often E0000015) when the org has no Realms feature,
 * which would otherwise read like a bad token or a wrong id, so those answers get a sentence saying so.
 */
export async function withRealmsFeatureHint<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ActionError) throw error;
    const envelope = toErrorEnvelope(error);
    // E0000011 is a bad token, which the mapped message already explains precisely.
    const mayLackFeature =
      envelope.okta?.errorCode === 'E0000015' ||
      ([401, 403, 404].includes(envelope.status ?? 0) && envelope.okta?.errorCode !== 'E0000011');
    if (!mayLackFeature) throw error;
    const { code, message, ...rest } = envelope;
    throw new ActionError(code, `${message}${REALMS_FEATURE}`, rest);
  }
}
