import { getRealm, realmResult, withRealmsFeatureHint } from '../../src/domain/realms.js';
import { defineAction } from '../../src/handler/define-action.js';
import type { Input, Output } from './types.gen.js';

// A raw read, so profile attributes and top-level fields the SDK's Realm model does not know reach the output.
export default defineAction<Input, Output>(({ okta, input }) =>
  withRealmsFeatureHint(async () => realmResult(await getRealm(okta, input.realmId))),
);
