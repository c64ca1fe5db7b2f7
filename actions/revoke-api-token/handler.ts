import { getUser, type OktaUserJson } from '../../src/domain/users.js';
import { ActionError } from '../../src/errors/action-error.js';
import { defineAction } from '../../src/handler/define-action.js';
import { oktaPath } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

interface ApiTokenJson {
  id: string;
  name: string;
  userId: string;
}

/** Every page of the token list is read; an org has few tokens. */
const ALL_TOKENS = 10_000;

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  // The list finds the token and also shows how many tokens its admin has, which a refusal names.
  const tokens = (await okta.paginate<ApiTokenJson>({ path: '/api/v1/api-tokens', maxItems: ALL_TOKENS }))
    .items;
  const token = tokens.find((candidate) => candidate.id === input.apiTokenId);
  if (!token) return notFound(input);
  // Only an api_token connection can cut itself off this way: `me` is the admin its token belongs to. An
  // OAuth connection stands on its own token (and a service app has no `me` at all).
  let ownAdminToken = false;
  if (okta.connectionType === 'api_token') {
    const me = await getUser(okta, 'me');
    ownAdminToken = token.userId === me.id;
    if (ownAdminToken && !input.allowOwnAdminToken) throw mayCutThisConnection(token, me, tokens);
  }
  await change(
    'revoke token',
    { method: 'DELETE', path: oktaPath('/api/v1/api-tokens/{id}', { id: token.id }) },
    () => okta.sdk.apiTokenApi.revokeApiToken({ apiTokenId: token.id }),
  );
  return {
    id: token.id,
    name: token.name,
    userId: token.userId,
    ownAdminToken,
    revoked: true as const,
    changed: true,
  };
});

function notFound(input: Input): Output {
  if (!input.missingOk) {
    throw new ActionError(
      'NOT_FOUND',
      `The org has no active API token with the id ${input.apiTokenId} (it may have been revoked, or expired after 30 days unused). Check the id with List API Tokens.`,
      { retryable: false },
    );
  }
  return {
    id: input.apiTokenId,
    name: null,
    userId: null,
    ownAdminToken: false,
    revoked: true,
    changed: false,
  };
}

function mayCutThisConnection(token: ApiTokenJson, me: OktaUserJson, tokens: ApiTokenJson[]): ActionError {
  const onlyOne = tokens.filter((candidate) => candidate.userId === me.id).length === 1;
  const which = onlyOne
    ? `it is the only token of ${me.profile.login}, so it is the token this connection uses`
    : `it belongs to ${me.profile.login}, the admin whose token this connection uses, so it may be this connection's own token`;
  return new ActionError(
    'CONFLICT',
    `API token ${token.name} (${token.id}) was not revoked: ${which}, and revoking it would stop this connection and every flow that uses it. Set allowOwnAdminToken to revoke it anyway. Nothing was changed.`,
    { retryable: false },
  );
}
