/**
 * What the lists read the same way (src/sandbox/list-criteria.ts): a search or a filter, never both, and
 * sortBy and sortOrder for a search; a list whose description has no filter ignores one.
 */
import { describe, expect, it } from 'vitest';
import { takeRequestViolations, useSandbox } from '../helpers/sandbox.js';

const ctx = useSandbox();
const query = (name: string, expression: string) => `${name}=${encodeURIComponent(expression)}`;
const BOTH_REFUSED = {
  status: 400,
  body: { errorCode: 'E0000031', errorCauses: [{ errorSummary: 'Use either search or filter, not both.' }] },
};

describe('list criteria', () => {
  it('users: a search and a filter together are refused with E0000031', async () => {
    const active = 'status eq "ACTIVE"';
    const answer = await ctx.api.get(`/api/v1/users?${query('search', active)}&${query('filter', active)}`);
    expect(answer).toMatchObject(BOTH_REFUSED);
  });

  it('groups: a search sorts by sortBy and sortOrder; a search and a filter together are refused', async () => {
    const okta = 'type eq "OKTA_GROUP"';
    const sorted = await ctx.api.get(
      `/api/v1/groups?${query('search', okta)}&sortBy=profile.name&sortOrder=desc`,
    );
    const names = sorted.body.map((g: { profile: { name: string } }) => g.profile.name);
    expect(names).toEqual([...names].sort((a: string, b: string) => b.localeCompare(a)));
    expect(names.slice(0, 2)).toEqual(['VPN Users', 'Support']);
    const both = await ctx.api.get(`/api/v1/groups?${query('search', okta)}&${query('filter', okta)}`);
    expect(both).toMatchObject(BOTH_REFUSED);
  });

  it('realms: a filter is not in the description, so it is ignored (and recorded)', async () => {
    const answer = await ctx.api.get(
      `/api/v1/realms?${query('search', 'profile.name co "part"')}&${query('filter', 'x eq "y"')}`,
    );
    expect(answer.body.map((realm: { profile: { name: string } }) => realm.profile.name)).toEqual([
      'Partners',
    ]);
    expect(takeRequestViolations(ctx.sandbox)).toEqual([
      'GET /api/v1/realms (listRealms): query parameter "filter" is not in the description',
    ]);
  });
});
