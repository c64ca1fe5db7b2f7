import { unlessMissing } from '../../src/domain/missing.js';
import { getRealm, type OktaRealmJson, realmPath, withRealmsFeatureHint } from '../../src/domain/realms.js';
import { ActionError } from '../../src/errors/action-error.js';
import { toErrorEnvelope } from '../../src/errors/map-error.js';
import { defineAction } from '../../src/handler/define-action.js';
import type { OktaContext } from '../../src/handler/okta-context.js';
import { quoteLiteral } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(({ okta, input, change }) =>
  withRealmsFeatureHint(async () => {
    const realm = await unlessMissing(() => getRealm(okta, input.realmId), input.missingOk);
    if (!realm) return { id: input.realmId, name: null, deleted: true as const, changed: false };
    await checkDeletable(okta, realm);
    await change('delete realm', { method: 'DELETE', path: realmPath(realm.id) }, () =>
      refusalAsConflict(realm, okta.sdk.realmApi.deleteRealm({ realmId: realm.id })),
    );
    return { id: realm.id, name: realm.profile.name, deleted: true as const, changed: true };
  }),
);

/** The two refusals Okta's rules make certain, checked first so the message can name the cause. */
async function checkDeletable(okta: OktaContext, realm: OktaRealmJson): Promise<void> {
  if (realm.isDefault) {
    throw new ActionError(
      'CONFLICT',
      `${realm.profile.name} is the org's default realm, which Okta never deletes. Nothing was changed.`,
      { retryable: false },
    );
  }
  // Users of a realm carry its id as realmId; one is enough to know the realm is not empty.
  const page = await okta.paginate<{ profile?: { login?: string } }>({
    path: '/api/v1/users',
    query: { search: `realmId eq ${quoteLiteral(realm.id)}` },
    pageSize: 1,
    maxItems: 1,
  });
  const user = page.items[0];
  if (user)
    throw stillInUse(realm, `users are still in it (for example ${user.profile?.login ?? 'one user'})`);
}

/**
 * The user search is eventually consistent, and Okta also refuses while identity providers still point
 * at the realm; its 400/403 refusal of the DELETE then becomes the same CONFLICT, with Okta's words.
 */
async function refusalAsConflict<T>(realm: OktaRealmJson, deleting: Promise<T>): Promise<T> {
  try {
    return await deleting;
  } catch (error) {
    const envelope = toErrorEnvelope(error);
    const refused = (envelope.status === 400 || envelope.status === 403) && envelope.code !== 'FORBIDDEN';
    if (!refused) throw error;
    const said =
      envelope.okta?.errorCauses?.map((cause) => cause.errorSummary).join('; ') ||
      envelope.okta?.errorSummary;
    throw stillInUse(realm, `Okta refused (${said ?? `HTTP ${envelope.status}`})`, envelope);
  }
}

function stillInUse(
  realm: OktaRealmJson,
  why: string,
  okta?: ReturnType<typeof toErrorEnvelope>,
): ActionError {
  return new ActionError(
    'CONFLICT',
    `Realm ${realm.profile.name} cannot be deleted: ${why}. Move its users to another realm (and detach any identity provider that assigns users to it) first. Nothing was changed.`,
    {
      retryable: false,
      ...(okta?.status ? { status: okta.status } : {}),
      ...(okta?.okta ? { okta: okta.okta } : {}),
    },
  );
}
