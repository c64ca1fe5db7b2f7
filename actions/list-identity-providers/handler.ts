import { defineAction } from '../../src/handler/define-action.js';
import { listWindow } from '../../src/transport/paginate.js';
import type { Input, Output } from './types.gen.js';

type IdentityProvider = Output['identityProviders'][number];

export default defineAction<Input, Output>(async ({ okta, input }) => {
  const page = await okta.paginate<IdentityProvider>({
    path: '/api/v1/idps',
    query: { q: input.name, type: input.type },
    ...listWindow(input),
    // Per page, so a streamed list drops the secret too.
    mapItem: (idp) => withoutClientSecret(idp as IdentityProvider),
  });
  const identityProviders = page.items;
  return { identityProviders, count: identityProviders.length, nextCursor: page.nextCursor };
});

/**
 * Okta includes the OAuth client secret of social and OpenID Connect providers in its answer; it grants
 * access as the org's client at that provider, so it never reaches a flow's output or run log.
 */
function withoutClientSecret(idp: IdentityProvider): IdentityProvider {
  const client = (idp.protocol as { credentials?: { client?: Record<string, unknown> } } | undefined)
    ?.credentials?.client;
  if (!client || !('client_secret' in client)) return idp;
  const { client_secret: _secret, ...keptClient } = client;
  const protocol = idp.protocol as { credentials: Record<string, unknown> };
  return {
    ...idp,
    protocol: { ...protocol, credentials: { ...protocol.credentials, client: keptClient } },
  };
}
