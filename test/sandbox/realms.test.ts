import { describe, expect, it } from 'vitest';
import { takeRequestViolations, useSandbox } from '../helpers/sandbox.js';

const ctx = useSandbox();
const REALMS = '/api/v1/realms';

type Realm = {
  id: string;
  isDefault: boolean;
  profile: { name: string; realmType?: string; domains?: string[] };
};
const listRealms = async (query = '') => (await ctx.api.get(`${REALMS}${query}`)).body as Realm[];
const names = (realms: Realm[]) => realms.map((realm) => realm.profile.name);
const realmNamed = async (name: string) => (await listRealms()).find((realm) => realm.profile.name === name)!;
const createRealm = async (profile: Realm['profile']) => {
  const created = await ctx.api.post(REALMS, { profile });
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  return created.body as Realm;
};
const eventsSince = (before: number) => ctx.sandbox.org.log.eventTypes().slice(before);
const search = (expression: string, extra = '') => `?search=${encodeURIComponent(expression)}${extra}`;

describe('sandbox realms: listing', () => {
  it('has the default realm and the seeded partner realm, by name', async () => {
    const realms = await listRealms();
    expect(names(realms)).toEqual(['Default realm', 'Partners']);
    expect(realms[0]).toMatchObject({ isDefault: true });
    expect(realms[1]).toMatchObject({
      isDefault: false,
      profile: { realmType: 'PARTNER', domains: ['partners.example.com'] },
      _links: { self: { href: `${ctx.sandbox.url}${REALMS}/${realms[1]!.id}` } },
    });
  });

  it('searches profile.name with co (without regard to case) and sorts search results', async () => {
    await createRealm({ name: 'Partner Suppliers' });
    await createRealm({ name: 'Resellers' });
    expect(names(await listRealms(search('profile.name co "PARTNER"')))).toEqual([
      'Partner Suppliers',
      'Partners',
    ]);
    expect(
      names(await listRealms(search('profile.name co "ers"', '&sortBy=profile.name&sortOrder=desc'))),
    ).toEqual(['Resellers', 'Partners', 'Partner Suppliers']);
    expect(names(await listRealms(search('isDefault eq true')))).toEqual(['Default realm']);
    expect(names(await listRealms(search('profile.realmType eq "partner"')))).toEqual(['Partners']);
  });

  it('refuses a search it cannot read (400 E0000031)', async () => {
    for (const expression of ['profile.name sw "P"', 'created gt "2020-01-01"', 'profile.name co']) {
      expect(await ctx.api.get(`${REALMS}${search(expression)}`), expression).toMatchObject({
        status: 400,
        body: { errorCode: 'E0000031' },
      });
    }
  });

  it('pages with Link headers', async () => {
    for (const name of ['Alpha', 'Bravo', 'Charlie']) await createRealm({ name });
    const seen: string[] = [];
    let path: string | undefined = `${REALMS}?limit=2`;
    let pages = 0;
    while (path) {
      const page = await ctx.api.get(path);
      expect(page.body.length).toBeLessThanOrEqual(2);
      seen.push(...names(page.body));
      const next = /<([^>]+)>; rel="next"/.exec(page.headers.get('link') ?? '')?.[1];
      path = next?.slice(ctx.sandbox.url.length);
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(['Alpha', 'Bravo', 'Charlie', 'Default realm', 'Partners']);
  });
});

describe('sandbox realms: creating, reading and replacing', () => {
  it('creates a realm and logs it', async () => {
    const before = ctx.sandbox.org.log.events.length;
    const created = await createRealm({
      name: 'Contractors',
      realmType: 'DEFAULT',
      domains: ['contractors.example.com'],
    });
    expect(created).toMatchObject({
      isDefault: false,
      profile: { name: 'Contractors', realmType: 'DEFAULT', domains: ['contractors.example.com'] },
    });
    expect((await ctx.api.get(`${REALMS}/${created.id}`)).body).toMatchObject({
      id: created.id,
      profile: { name: 'Contractors' },
    });
    expect(eventsSince(before)).toEqual(['realm.lifecycle.create']);
  });

  it('refuses a body without a profile, a profile without a name or with a bad realmType (400)', async () => {
    for (const body of [
      {},
      { profile: {} },
      { profile: { name: 'X', realmType: 'VENDOR' } },
      { profile: { name: 5 } },
    ]) {
      expect(await ctx.api.post(REALMS, body), JSON.stringify(body)).toMatchObject({
        status: 400,
        body: { errorCode: 'E0000001' },
      });
    }
    expect(takeRequestViolations(ctx.sandbox)).toEqual([
      "POST /api/v1/realms (createRealm) body/profile: must have required property 'name'",
      'POST /api/v1/realms (createRealm) body/profile/realmType: must be equal to one of the allowed values',
      'POST /api/v1/realms (createRealm) body/profile/name: must be string',
    ]);
  });

  it('refuses domains with characters Okta forbids, and a blank name (400)', async () => {
    for (const profile of [
      { name: 'Bad', domains: ['exa mple.com'] },
      { name: 'Bad', domains: ['example.com/path'] },
      { name: 'Bad', domains: [''] },
      { name: '   ' },
    ]) {
      expect(await ctx.api.post(REALMS, { profile }), JSON.stringify(profile)).toMatchObject({
        status: 400,
        body: { errorCode: 'E0000001' },
      });
    }
  });

  it('PUT replaces the whole profile: domains left out are gone', async () => {
    const partners = await realmNamed('Partners');
    const before = ctx.sandbox.org.log.events.length;
    const replaced = await ctx.api.put(`${REALMS}/${partners.id}`, { profile: { name: 'Partner portal' } });
    expect(replaced.status).toBe(200);
    expect(replaced.body.profile).toEqual({ name: 'Partner portal' });
    expect((await ctx.api.get(`${REALMS}/${partners.id}`)).body.profile).toEqual({ name: 'Partner portal' });
    expect(eventsSince(before)).toEqual(['realm.profile.update']);
    for (const body of [{ profile: {} }, {}]) {
      expect((await ctx.api.put(`${REALMS}/${partners.id}`, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect(takeRequestViolations(ctx.sandbox)).toEqual([
      expect.stringContaining("(replaceRealm) body/profile: must have required property 'name'"),
    ]);
  });

  it('answers 404 E0000007 for an unknown realm', async () => {
    const missing = 'guoNoSuchRealm000000';
    for (const answer of [
      await ctx.api.get(`${REALMS}/${missing}`),
      await ctx.api.put(`${REALMS}/${missing}`, { profile: { name: 'X' } }),
      await ctx.api.delete(`${REALMS}/${missing}`),
    ]) {
      expect(answer).toMatchObject({ status: 404, body: { errorCode: 'E0000007' } });
      expect(answer.body.errorSummary).toBe(`Not found: Resource not found: ${missing} (Realm)`);
    }
  });
});

describe('sandbox realms: deleting', () => {
  it('deletes an empty realm with 204 and logs it', async () => {
    const realm = await createRealm({ name: 'Temporary' });
    const before = ctx.sandbox.org.log.events.length;
    expect((await ctx.api.delete(`${REALMS}/${realm.id}`)).status).toBe(204);
    expect((await ctx.api.get(`${REALMS}/${realm.id}`)).status).toBe(404);
    expect(eventsSince(before)).toEqual(['realm.lifecycle.delete']);
  });

  it('never deletes the default realm (400)', async () => {
    const defaultRealm = await realmNamed('Default realm');
    expect(await ctx.api.delete(`${REALMS}/${defaultRealm.id}`)).toMatchObject({
      status: 400,
      body: { errorCode: 'E0000001' },
    });
  });

  it('refuses to delete a realm with users in it (400) until they are gone', async () => {
    const partners = await realmNamed('Partners');
    const login = 'pat.partner@partners.example.com';
    const user = await ctx.api.post('/api/v1/users?activate=false', {
      profile: { login, email: login, firstName: 'Pat', lastName: 'Partner' },
      realmId: partners.id,
    });
    expect(user.body.realmId).toBe(partners.id);
    expect(await ctx.api.delete(`${REALMS}/${partners.id}`)).toMatchObject({
      status: 400,
      body: { errorCode: 'E0000001' },
    });
    await ctx.api.delete(`/api/v1/users/${user.body.id}`);
    await ctx.api.delete(`/api/v1/users/${user.body.id}`);
    expect((await ctx.api.delete(`${REALMS}/${partners.id}`)).status).toBe(204);
  });
});
