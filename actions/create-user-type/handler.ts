import { createdSince, createOnce } from '../../src/domain/create-once.js';
import { type OktaUserTypeJson, userTypeResult, writtenUserType } from '../../src/domain/user-types.js';
import { defineAction, PLANNED } from '../../src/handler/define-action.js';
import type { Input, Output } from './types.gen.js';

const PATH = '/api/v1/meta/types/user';

export default defineAction<Input, Output>(async (context) => {
  const { okta, input } = context;
  const body = {
    name: input.name,
    displayName: input.displayName,
    ...(input.description !== undefined ? { description: input.description } : {}),
  };
  // Raw JSON: the SDK's answer renames Okta's `default` flag to `_default` (see user-types.ts).
  const created = await createOnce(context, {
    step: 'create user type',
    request: { method: 'POST', path: PATH },
    send: async () => writtenUserType(await okta.sendJson<OktaUserTypeJson>('POST', PATH, { body })),
    // User type names are unique: one with this name, created since the request went out, is this run's.
    findCreated: async (sentAt) => {
      const types = await okta.getJson<OktaUserTypeJson[]>(PATH);
      const found = types.find(
        (type) => type.name === input.name && createdSince(String(type.created), sentAt),
      );
      return found && writtenUserType(found);
    },
  });
  if (!created) return PLANNED;
  return { ...userTypeResult(created), changed: true };
});
