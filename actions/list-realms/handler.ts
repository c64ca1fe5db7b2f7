import { withRealmsFeatureHint } from '../../src/domain/realms.js';
import { defineAction } from '../../src/handler/define-action.js';
import { listWindow } from '../../src/transport/paginate.js';
import { quoteLiteral } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(({ okta, input }) =>
  withRealmsFeatureHint(async () => {
    const page = await okta.paginate<Output['realms'][number]>({
      path: '/api/v1/realms',
      query: realmsSearch(input),
      ...listWindow(input),
    });
    return { realms: page.items, count: page.items.length, nextCursor: page.nextCursor };
  }),
);

/** The name and type fields become one search expression, their values quoted so they stay values. */
function realmsSearch(input: Input): { search?: string } {
  const parts = [
    input.nameContains ? `profile.name co ${quoteLiteral(input.nameContains)}` : undefined,
    input.realmType ? `profile.realmType eq ${quoteLiteral(input.realmType)}` : undefined,
    input.search,
  ].filter((part): part is string => part !== undefined);
  if (parts.length === 0) return {};
  return { search: parts.length === 1 ? parts[0]! : parts.map((p) => `(${p})`).join(' and ') };
}
