import { toPlainJson } from '../../src/okta/okta-context.js';
import { type OktaRealmJson, realmResult, withRealmsFeatureHint } from '../../src/okta/realms.js';
import { defineAction, PLANNED } from '../../src/runtime/define-action.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(({ okta, input, change }) =>
  withRealmsFeatureHint(async () => {
    const profile = {
      name: input.name,
      ...(input.realmType ? { realmType: input.realmType } : {}),
      ...(input.domains?.length ? { domains: input.domains } : {}),
    };
    const created = await change('create realm', { method: 'POST', path: '/api/v1/realms' }, () =>
      okta.sdk.realmApi.createRealm({ body: { profile } }),
    );
    if (!created) return PLANNED;
    return { ...realmResult(toPlainJson<OktaRealmJson>(created)), changed: true };
  }),
);
