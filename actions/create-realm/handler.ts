import { createdSince, createOnce } from '../../src/domain/create-once.js';
import { type OktaRealmJson, realmResult, withRealmsFeatureHint } from '../../src/domain/realms.js';
import { defineAction, PLANNED } from '../../src/handler/define-action.js';
import { toPlainJson } from '../../src/handler/okta-context.js';
import { quoteLiteral } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>((context) =>
  withRealmsFeatureHint(async () => {
    const { okta, input } = context;
    const profile = {
      name: input.name,
      ...(input.realmType ? { realmType: input.realmType } : {}),
      ...(input.domains?.length ? { domains: input.domains } : {}),
    };
    const created = await createOnce<object>(context, {
      step: 'create realm',
      request: { method: 'POST', path: '/api/v1/realms' },
      send: () => okta.sdk.realmApi.createRealm({ body: { profile } }),
      // A realm with this name, created since the request went out, is this run's.
      findCreated: async (sentAt) => {
        const search = `profile.name eq ${quoteLiteral(input.name)}`;
        const found = await okta.paginate<OktaRealmJson>({
          path: '/api/v1/realms',
          query: { search },
          maxItems: 200,
        });
        return found.items.find((realm) => createdSince(String(realm.created), sentAt));
      },
    });
    if (!created) return PLANNED;
    return { ...realmResult(toPlainJson<OktaRealmJson>(created)), changed: true };
  }),
);
