import {
  getRealm,
  type OktaRealmJson,
  realmPath,
  realmResult,
  withRealmsFeatureHint,
} from '../../src/domain/realms.js';
import { invalidInput } from '../../src/errors/action-error.js';
import { defineAction, PLANNED } from '../../src/handler/define-action.js';
import type { Input, Output } from './types.gen.js';

const FIELDS = ['name', 'realmType', 'domains'] as const;

export default defineAction<Input, Output>(({ okta, input, change }) =>
  withRealmsFeatureHint(async () => {
    const given = FIELDS.filter((field) => input[field] !== undefined);
    if (given.length === 0)
      throw invalidInput('name', 'is empty, and so are realmType and domains: give at least one');
    const realm = await getRealm(okta, input.realmId);
    const changedFields = given.filter((field) => !sameValue(realm.profile[field], input[field]));
    if (changedFields.length === 0) return { ...realmResult(realm), changed: false, changedFields };

    // PUT replaces the whole profile, so the profile read above goes back with only the given fields
    // changed. Raw JSON, not the SDK: its RealmProfile model drops attributes it does not know.
    const profile = { ...realm.profile, ...Object.fromEntries(given.map((field) => [field, input[field]])) };
    const path = realmPath(realm.id);
    const updated = await change('replace realm profile', { method: 'PUT', path }, () =>
      okta.sendJson<OktaRealmJson>('PUT', path, { body: { profile } }),
    );
    if (!updated) return PLANNED;
    return { ...realmResult(updated), changed: true, changedFields };
  }),
);

/** An absent domain list and an empty one both mean "no restriction"; lists compare in order. */
function sameValue(current: unknown, wanted: unknown): boolean {
  if (Array.isArray(wanted) && wanted.length === 0)
    return current === undefined || current === null || (Array.isArray(current) && current.length === 0);
  return JSON.stringify(current ?? null) === JSON.stringify(wanted ?? null);
}
