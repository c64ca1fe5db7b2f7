import { describe, expect, it } from 'vitest';
import { MAX_USER_TYPES } from '../../src/sandbox/resources/user-types/model.js';
import { DEFAULT_USER_TYPE_ID } from '../../src/sandbox/resources/users/model.js';
import { takeRequestViolations, useSandbox } from '../helpers/sandbox.js';

const ctx = useSandbox();
const TYPES = '/api/v1/meta/types/user';

type UserType = { id: string; name: string; displayName: string; description: string; default: boolean };
const listTypes = async () => (await ctx.api.get(TYPES)).body as UserType[];
const createType = async (name: string, displayName = name, description = `${name} people`) => {
  const created = await ctx.api.post(TYPES, { name, displayName, description });
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  return created.body as UserType;
};
const eventsSince = (before: number) => ctx.sandbox.org.log.eventTypes().slice(before);
const createUser = (login: string, typeId: string) =>
  ctx.api.post('/api/v1/users?activate=false', {
    profile: { login, email: login, firstName: 'Typed', lastName: 'User' },
    type: { id: typeId },
  });

describe('sandbox user types: reading', () => {
  it('lists the default type (the id every user has) and the seeded contractor type', async () => {
    const types = await listTypes();
    expect(types.map((type) => [type.name, type.default])).toEqual([
      ['user', true],
      ['contractor', false],
    ]);
    expect(types[0]!.id).toBe(DEFAULT_USER_TYPE_ID);
    const jane = (await ctx.api.get('/api/v1/users/jane.doe%40example.com')).body;
    expect(jane.type.id).toBe(DEFAULT_USER_TYPE_ID);
    expect(types[0]).toMatchObject({
      _links: {
        self: { href: `${ctx.sandbox.url}${TYPES}/${DEFAULT_USER_TYPE_ID}` },
        schema: { href: expect.stringMatching(/\/api\/v1\/meta\/schemas\/user\/osc/) },
      },
    });
  });

  it('reads a type by id, and the default type as `default` too', async () => {
    const byAlias = await ctx.api.get(`${TYPES}/default`);
    expect(byAlias.body).toMatchObject({ id: DEFAULT_USER_TYPE_ID, default: true });
    expect((await ctx.api.get(`${TYPES}/${DEFAULT_USER_TYPE_ID}`)).body).toEqual(byAlias.body);
  });

  it('answers 404 E0000007 for an unknown type, on every operation', async () => {
    const missing = 'otyNoSuchType0000000';
    for (const answer of [
      await ctx.api.get(`${TYPES}/${missing}`),
      await ctx.api.post(`${TYPES}/${missing}`, { displayName: 'X' }),
      await ctx.api.put(`${TYPES}/${missing}`, { name: 'x', displayName: 'X', description: 'x' }),
      await ctx.api.delete(`${TYPES}/${missing}`),
    ]) {
      expect(answer).toMatchObject({ status: 404, body: { errorCode: 'E0000007' } });
      expect(answer.body.errorSummary).toBe(`Not found: Resource not found: ${missing} (UserType)`);
    }
  });
});

describe('sandbox user types: creating', () => {
  it('creates a type owned by the caller and logs it', async () => {
    const before = ctx.sandbox.org.log.events.length;
    const created = await createType('partner', 'Partner', 'Staff of partner companies');
    const admin = (await ctx.api.get('/api/v1/users/sandbox.admin%40example.com')).body.id;
    expect(created).toMatchObject({
      name: 'partner',
      displayName: 'Partner',
      description: 'Staff of partner companies',
      default: false,
      createdBy: admin,
      lastUpdatedBy: admin,
    });
    expect(created.id).toMatch(/^oty/);
    expect(eventsSince(before)).toEqual(['user_type.lifecycle.create']);
  });

  it('refuses a name already taken, without regard to case (400 E0000001)', async () => {
    expect(await ctx.api.post(TYPES, { name: 'Contractor', displayName: 'Again' })).toMatchObject({
      status: 400,
      body: { errorCode: 'E0000001' },
    });
  });

  it(`allows ${MAX_USER_TYPES} types in all, and room comes back when one is deleted`, async () => {
    const existing = (await listTypes()).length;
    const created: UserType[] = [];
    for (let i = existing; i < MAX_USER_TYPES; i++) created.push(await createType(`type${i}`));
    expect(await listTypes()).toHaveLength(MAX_USER_TYPES);
    expect(await ctx.api.post(TYPES, { name: 'oneTooMany', displayName: 'One too many' })).toMatchObject({
      status: 400,
      body: { errorCode: 'E0000001' },
    });
    await ctx.api.delete(`${TYPES}/${created[0]!.id}`);
    await createType('oneMore');
  });

  it('refuses a body without name or displayName (400 from the description) or with blanks', async () => {
    for (const body of [
      { name: 'x' },
      { displayName: 'X' },
      { name: ' ', displayName: 'X' },
      { name: 'x', displayName: '' },
    ]) {
      expect(await ctx.api.post(TYPES, body), JSON.stringify(body)).toMatchObject({
        status: 400,
        body: { errorCode: 'E0000001' },
      });
    }
    expect(takeRequestViolations(ctx.sandbox)).toEqual([
      "POST /api/v1/meta/types/user (createUserType) body: must have required property 'displayName'",
      "POST /api/v1/meta/types/user (createUserType) body: must have required property 'name'",
    ]);
  });

  it('createUser takes a type the org has and refuses one it does not (400)', async () => {
    const partner = await createType('partner');
    const typed = await createUser('typed.user@example.com', partner.id);
    expect(typed.status).toBe(200);
    expect(typed.body.type).toEqual({ id: partner.id });
    expect(await createUser('ghost.type@example.com', 'otyNoSuchType0000000')).toMatchObject({
      status: 400,
      body: { errorCode: 'E0000001' },
    });
  });
});

describe('sandbox user types: updating and replacing', () => {
  it('POST changes only the fields sent and logs the update', async () => {
    const type = await createType('partner', 'Partner', 'Original');
    const before = ctx.sandbox.org.log.events.length;
    const updated = await ctx.api.post(`${TYPES}/${type.id}`, { displayName: 'Partner staff' });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      name: 'partner',
      displayName: 'Partner staff',
      description: 'Original',
    });
    expect(eventsSince(before)).toEqual(['user_type.lifecycle.update']);
    const defaultType = await ctx.api.post(`${TYPES}/default`, { description: 'Everyone else' });
    expect(defaultType.body).toMatchObject({ id: DEFAULT_USER_TYPE_ID, description: 'Everyone else' });
  });

  it('PUT replaces displayName and description and must repeat the name', async () => {
    const type = await createType('partner', 'Partner', 'Original');
    const replaced = await ctx.api.put(`${TYPES}/${type.id}`, {
      name: 'partner',
      displayName: 'Partners',
      description: 'Replaced',
    });
    expect(replaced.body).toMatchObject({
      name: 'partner',
      displayName: 'Partners',
      description: 'Replaced',
    });
    expect((await ctx.api.put(`${TYPES}/${type.id}`, { displayName: 'X', description: 'x' })).status).toBe(
      400,
    );
    expect(takeRequestViolations(ctx.sandbox)).toEqual([
      expect.stringContaining("(replaceUserType) body: must have required property 'name'"),
    ]);
  });

  it('never changes the name (400 E0000001), whether by POST or PUT', async () => {
    const type = await createType('partner');
    for (const answer of [
      await ctx.api.post(`${TYPES}/${type.id}`, { name: 'renamed' }),
      await ctx.api.put(`${TYPES}/${type.id}`, { name: 'renamed', displayName: 'X', description: 'x' }),
    ]) {
      expect(answer).toMatchObject({ status: 400, body: { errorCode: 'E0000001' } });
    }
    expect((await ctx.api.get(`${TYPES}/${type.id}`)).body.name).toBe('partner');
    expect(takeRequestViolations(ctx.sandbox)).toEqual([
      expect.stringContaining('(updateUserType) body: property "name" is not in the description'),
    ]);
  });
});

describe('sandbox user types: deleting', () => {
  it('deletes an unused type with 204 and logs it', async () => {
    const type = await createType('partner');
    const before = ctx.sandbox.org.log.events.length;
    expect((await ctx.api.delete(`${TYPES}/${type.id}`)).status).toBe(204);
    expect((await ctx.api.get(`${TYPES}/${type.id}`)).status).toBe(404);
    expect(eventsSince(before)).toEqual(['user_type.lifecycle.delete']);
  });

  it('refuses the default type (403 E0000142, PROHIBITED)', async () => {
    for (const id of ['default', DEFAULT_USER_TYPE_ID]) {
      const refused = await ctx.api.delete(`${TYPES}/${id}`);
      expect(refused).toMatchObject({ status: 403, body: { errorCode: 'E0000142' } });
      expect(refused.body.errorCauses[0].errorSummary).toMatch(/PROHIBITED/);
    }
  });

  it('refuses a type users still have, deactivated ones included (403 E0000142, UNMET_REQUIREMENTS)', async () => {
    const type = await createType('partner');
    const user = (await createUser('typed.user@example.com', type.id)).body;
    await ctx.api.delete(`/api/v1/users/${user.id}`);
    const refused = await ctx.api.delete(`${TYPES}/${type.id}`);
    expect(refused).toMatchObject({ status: 403, body: { errorCode: 'E0000142' } });
    expect(refused.body.errorCauses[0].errorSummary).toMatch(/UNMET_REQUIREMENTS/);
    await ctx.api.delete(`/api/v1/users/${user.id}`);
    expect((await ctx.api.delete(`${TYPES}/${type.id}`)).status).toBe(204);
  });
});
