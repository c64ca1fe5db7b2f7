import { type OktaUserTypeJson, userTypeResult, writtenUserType } from '../../src/okta/user-types.js';
import { defineAction, PLANNED } from '../../src/runtime/define-action.js';
import type { Input, Output } from './types.gen.js';

const PATH = '/api/v1/meta/types/user';

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  const body = {
    name: input.name,
    displayName: input.displayName,
    ...(input.description !== undefined ? { description: input.description } : {}),
  };
  // Raw JSON: the SDK's answer renames Okta's `default` flag to `_default` (see user-types.ts).
  const created = await change('create user type', { method: 'POST', path: PATH }, async () =>
    writtenUserType(await okta.sendJson<OktaUserTypeJson>('POST', PATH, { body })),
  );
  if (!created) return PLANNED;
  return { ...userTypeResult(created), changed: true };
});
