import { describe, expect, it } from 'vitest';
import { defineCustomAttribute } from '../../src/sandbox/resources/user-schema.js';
import { findUser } from '../../src/sandbox/resources/users/model.js';
import { takeRequestViolations, useSandbox } from '../helpers/sandbox.js';

const ctx = useSandbox();
const JANE = 'jane.doe@example.com';

async function newUser(activate: boolean, withPassword = true) {
  const answer = await ctx.api.post(`/api/v1/users?activate=${activate}`, {
    profile: {
      login: 'test.user@example.com',
      email: 'test.user@example.com',
      firstName: 'Test',
      lastName: 'User',
    },
    ...(withPassword ? { credentials: { password: { value: 'Str0ng-Passw0rd!' } } } : {}),
  });
  expect(answer.status).toBe(200);
  return answer.body as { id: string; status: string };
}

/** Puts a user into a status through the API, the way a client would get there. */
async function userIn(status: string): Promise<string> {
  const user = await newUser(status !== 'STAGED', status !== 'PROVISIONED');
  const id = user.id;
  const lifecycle = (op: string) => ctx.api.post(`/api/v1/users/${id}/lifecycle/${op}`);
  switch (status) {
    case 'SUSPENDED':
      await lifecycle('suspend');
      break;
    case 'DEPROVISIONED':
      await lifecycle('deactivate');
      break;
    case 'RECOVERY':
      await ctx.api.post(`/api/v1/users/${id}/lifecycle/reset_password?sendEmail=false`);
      break;
    case 'PASSWORD_EXPIRED':
      await lifecycle('expire_password');
      break;
    case 'LOCKED_OUT':
      // Only failed sign-ins lock a user out; the API has no way there, so the state is set directly.
      findUser(ctx.sandbox.org, id)!.status = 'LOCKED_OUT';
      break;
  }
  expect((await ctx.api.get(`/api/v1/users/${id}`)).body.status).toBe(status);
  return id;
}

describe('sandbox users: create and read', () => {
  it("activates on create by default (Okta's default), ACTIVE with a password", async () => {
    const answer = await ctx.api.post('/api/v1/users', {
      profile: { login: 'a.b@example.com', email: 'a.b@example.com', firstName: 'A', lastName: 'B' },
      credentials: { password: { value: 'Str0ng-Passw0rd!' } },
    });
    expect(answer.body).toMatchObject({ status: 'ACTIVE', credentials: { password: {} } });
    expect(JSON.stringify(answer.body)).not.toContain('Str0ng-Passw0rd!');
  });

  it('creates STAGED with activate=false and PROVISIONED when activated without a password', async () => {
    expect((await newUser(false)).status).toBe('STAGED');
    const answer = await ctx.api.post('/api/v1/users?activate=true', {
      profile: { login: 'c.d@example.com', email: 'c.d@example.com', firstName: 'C', lastName: 'D' },
    });
    expect(answer.body.status).toBe('PROVISIONED');
  });

  it("refuses a duplicate login, missing base attributes, a weak password, with Okta's E0000001 causes", async () => {
    const duplicate = await ctx.api.post('/api/v1/users', {
      profile: { login: JANE, email: JANE, firstName: 'J', lastName: 'D' },
    });
    expect(duplicate).toMatchObject({
      status: 400,
      body: {
        errorCode: 'E0000001',
        errorCauses: [{ errorSummary: expect.stringContaining('already exists') }],
      },
    });
    const blank = await ctx.api.post('/api/v1/users', {
      profile: { login: 'x@example.com', email: 'x@example.com' },
    });
    expect(blank.body.errorCauses.map((c: { errorSummary: string }) => c.errorSummary)).toEqual([
      'firstName: The field cannot be left blank',
      'lastName: The field cannot be left blank',
    ]);
    const weak = await ctx.api.post('/api/v1/users', {
      profile: { login: 'y@example.com', email: 'y@example.com', firstName: 'Y', lastName: 'Z' },
      credentials: { password: { value: 'password' } },
    });
    expect(weak).toMatchObject({
      status: 400,
      body: { errorCauses: [{ errorSummary: expect.stringContaining('Password requirements') }] },
    });
  });

  it("finds a user by id, login (any case) and unambiguous login shortname; `me` is the token's admin", async () => {
    const byLogin = await ctx.api.get('/api/v1/users/JANE.DOE%40example.com');
    expect(byLogin.body.profile.login).toBe(JANE);
    expect((await ctx.api.get(`/api/v1/users/${byLogin.body.id}`)).body.id).toBe(byLogin.body.id);
    expect((await ctx.api.get('/api/v1/users/jane.doe')).body.id).toBe(byLogin.body.id);
    expect((await ctx.api.get('/api/v1/users/me')).body.profile.login).toBe('sandbox.admin@example.com');
    expect(await ctx.api.get('/api/v1/users/nobody%40example.com')).toMatchObject({
      status: 404,
      body: {
        errorCode: 'E0000007',
        errorSummary: 'Not found: Resource not found: nobody@example.com (User)',
      },
    });
  });
});

describe('sandbox users: updates', () => {
  it('POST is partial: attributes left out are kept, null clears one', async () => {
    const jane = (await ctx.api.get(`/api/v1/users/${encodeURIComponent(JANE)}`)).body;
    const answer = await ctx.api.post(`/api/v1/users/${jane.id}`, {
      profile: { title: 'Staff Engineer', mobilePhone: null },
    });
    expect(answer.body.profile).toMatchObject({
      title: 'Staff Engineer',
      department: 'Engineering',
      mobilePhone: null,
      login: JANE,
    });
  });

  it('PUT replaces the whole profile: attributes left out are gone', async () => {
    const jane = (await ctx.api.get(`/api/v1/users/${encodeURIComponent(JANE)}`)).body;
    const answer = await ctx.api.put(`/api/v1/users/${jane.id}`, {
      profile: { login: JANE, email: JANE, firstName: 'Jane', lastName: 'Doe' },
    });
    expect(answer.body.profile).toEqual({ login: JANE, email: JANE, firstName: 'Jane', lastName: 'Doe' });
  });

  it("refuses null for attributes Okta's description does not let be cleared, naming the field", async () => {
    const jane = (await ctx.api.get(`/api/v1/users/${encodeURIComponent(JANE)}`)).body;
    expect(
      await ctx.api.post(`/api/v1/users/${jane.id}`, { profile: { employeeNumber: null } }),
    ).toMatchObject({
      status: 400,
      body: {
        errorCode: 'E0000001',
        errorCauses: [{ errorSummary: 'body/profile/employeeNumber: must be string' }],
      },
    });
    expect(takeRequestViolations(ctx.sandbox)).toEqual([
      expect.stringContaining('(updateUser) body/profile/employeeNumber: must be string'),
    ]);
  });

  it('refuses profile changes to a deactivated user', async () => {
    const id = await userIn('DEPROVISIONED');
    expect(await ctx.api.post(`/api/v1/users/${id}`, { profile: { title: 'x' } })).toMatchObject({
      status: 403,
      body: { errorCode: 'E0000038' },
    });
  });
});

describe("sandbox users: an update's type and realm", () => {
  const janeNow = async () => (await ctx.api.get(`/api/v1/users/${encodeURIComponent(JANE)}`)).body;
  const typeNamed = async (name: string) =>
    (await ctx.api.get('/api/v1/meta/types/user')).body.find((t: { name: string }) => t.name === name);
  const realmNamed = async (name: string) =>
    (await ctx.api.get('/api/v1/realms')).body.find(
      (r: { profile: { name: string } }) => r.profile.name === name,
    );

  it('refuses a partial update (POST) naming an unknown type or another type, changing nothing', async () => {
    const jane = await janeNow();
    const contractor = await typeNamed('contractor');
    for (const typeId of ['otyNoSuchType0000000', contractor.id]) {
      const answer = await ctx.api.post(`/api/v1/users/${jane.id}?strict=true`, {
        profile: { title: 'Changed' },
        type: { id: typeId },
      });
      expect(answer).toMatchObject({
        status: 400,
        body: { errorCode: 'E0000001', errorSummary: 'Api validation failed: type' },
      });
      expect(answer.body.errorCauses[0].errorSummary).toMatch(/^type\.id: /);
      expect(await janeNow()).toEqual(jane);
    }
    const same = await ctx.api.post(`/api/v1/users/${jane.id}`, { type: { id: jane.type.id } });
    expect(same).toMatchObject({ status: 200, body: { type: { id: jane.type.id } } });
  });

  it('changes the type with a replacement (PUT), refusing an unknown one as createUser does', async () => {
    const jane = await janeNow();
    const contractor = await typeNamed('contractor');
    const unknown = await ctx.api.put(`/api/v1/users/${jane.id}`, {
      profile: jane.profile,
      type: { id: 'otyNoSuchType0000000' },
    });
    const created = await ctx.api.post('/api/v1/users?activate=false', {
      profile: { login: 'typed@example.com', email: 'typed@example.com', firstName: 'T', lastName: 'Y' },
      type: { id: 'otyNoSuchType0000000' },
    });
    expect(unknown).toMatchObject({ status: 400, body: { errorCode: 'E0000001' } });
    expect(unknown.body.errorCauses).toEqual(created.body.errorCauses);
    expect(await janeNow()).toEqual(jane);
    const replaced = await ctx.api.put(`/api/v1/users/${jane.id}`, {
      profile: jane.profile,
      type: { id: contractor.id },
    });
    expect(replaced).toMatchObject({ status: 200, body: { type: { id: contractor.id } } });
  });

  it('moves a user to another realm, and refuses an unknown realm as createUser does, changing nothing', async () => {
    const jane = await janeNow();
    const unknown = await ctx.api.post(`/api/v1/users/${jane.id}`, {
      profile: { title: 'Changed' },
      realmId: 'guoNoSuchRealm000000',
    });
    expect(unknown).toMatchObject({
      status: 400,
      body: {
        errorCode: 'E0000001',
        errorCauses: [{ errorSummary: 'realmId: There is no realm with the id guoNoSuchRealm000000' }],
      },
    });
    expect(await janeNow()).toEqual(jane);
    const suppliers = (await ctx.api.post('/api/v1/realms', { profile: { name: 'Suppliers' } })).body;
    const moved = await ctx.api.post(`/api/v1/users/${jane.id}`, { realmId: suppliers.id });
    expect(moved).toMatchObject({ status: 200, body: { realmId: suppliers.id, profile: jane.profile } });
    // The realm now holds her: it cannot be deleted while she is in it.
    expect((await ctx.api.delete(`/api/v1/realms/${suppliers.id}`)).status).toBe(400);
  });

  it("keeps a realm's users to its allowed domains: moving in, and changing while in it", async () => {
    const jane = await janeNow();
    const partners = await realmNamed('Partners');
    const refused = await ctx.api.post(`/api/v1/users/${jane.id}`, { realmId: partners.id });
    expect(refused).toMatchObject({
      status: 400,
      body: {
        errorCode: 'E0000001',
        errorCauses: [
          { errorSummary: "login: Must be from one of the realm's allowed domains (partners.example.com)" },
          { errorSummary: "email: Must be from one of the realm's allowed domains (partners.example.com)" },
        ],
      },
    });
    expect(await janeNow()).toEqual(jane);
    const login = 'pat.partner@partners.example.com';
    const pat = (
      await ctx.api.post('/api/v1/users?activate=false', {
        profile: { login, email: login, firstName: 'Pat', lastName: 'Partner' },
        realmId: partners.id,
      })
    ).body;
    const outside = await ctx.api.post(`/api/v1/users/${pat.id}`, { profile: { email: 'pat@example.com' } });
    expect(outside).toMatchObject({ status: 400, body: { errorSummary: 'Api validation failed: email' } });
  });

  it('refuses a weak password sent with a valid profile change, changing neither', async () => {
    const jane = await janeNow();
    const answer = await ctx.api.post(`/api/v1/users/${jane.id}`, {
      profile: { title: 'Changed' },
      credentials: { password: { value: 'weak' } },
    });
    expect(answer).toMatchObject({ status: 400, body: { errorCode: 'E0000001' } });
    expect(await janeNow()).toEqual(jane);
  });
});

describe("sandbox users: the profile holds only attributes of the org's user schema", () => {
  const notInSchema = (name: string) => ({ errorSummary: `Property '${name}' not found` });

  it('refuses to create a user with an attribute the schema does not define (E0000001 newUser), creating nothing', async () => {
    const login = 'typo.user@example.com';
    const answer = await ctx.api.post('/api/v1/users?activate=false', {
      profile: { login, email: login, firstName: 'Typo', lastName: 'User', departmnet: 'Sales' },
    });
    expect(answer).toMatchObject({
      status: 400,
      body: {
        errorCode: 'E0000001',
        errorSummary: 'Api validation failed: newUser',
        errorCauses: [notInSchema('departmnet')],
      },
    });
    expect((await ctx.api.get(`/api/v1/users/${encodeURIComponent(login)}`)).status).toBe(404);
  });

  it.each([
    ['POST ?strict=true (partial update)', 'post', '?strict=true'],
    ['POST (partial update)', 'post', ''],
    ['PUT (replace)', 'put', ''],
  ] as const)(
    'refuses %s with an undefined attribute (E0000001 userProfile), changing nothing',
    async (_, verb, query) => {
      const jane = (await ctx.api.get(`/api/v1/users/${encodeURIComponent(JANE)}`)).body;
      const profile = { ...jane.profile, title: 'Changed', nickname: 'JD', shoeSize: 38 };
      const answer = await ctx.api[verb](`/api/v1/users/${jane.id}${query}`, { profile });
      expect(answer).toMatchObject({
        status: 400,
        body: {
          errorCode: 'E0000001',
          errorSummary: 'Api validation failed: userProfile',
          errorCauses: [notInSchema('nickname'), notInSchema('shoeSize')],
        },
      });
      expect((await ctx.api.get(`/api/v1/users/${jane.id}`)).body).toEqual(jane);
    },
  );

  it("takes the org's custom attributes, and one added to the schema afterwards", async () => {
    const jane = (await ctx.api.get(`/api/v1/users/${encodeURIComponent(JANE)}`)).body;
    const badge = await ctx.api.post(`/api/v1/users/${jane.id}`, { profile: { badgeNumber: 'B-42' } });
    expect(badge).toMatchObject({ status: 200, body: { profile: { badgeNumber: 'B-42' } } });
    expect((await ctx.api.post(`/api/v1/users/${jane.id}`, { profile: { shoeSize: '38' } })).status).toBe(
      400,
    );
    defineCustomAttribute(ctx.sandbox.org, 'shoeSize', { title: 'Shoe size', type: 'string' });
    const shoe = await ctx.api.post(`/api/v1/users/${jane.id}`, { profile: { shoeSize: '38' } });
    expect(shoe).toMatchObject({ status: 200, body: { profile: { badgeNumber: 'B-42', shoeSize: '38' } } });
  });
});

describe("sandbox users: a user's links", () => {
  const linksOf = async (id: string) =>
    (await ctx.api.get(`/api/v1/users/${id}`)).body._links as Record<
      string,
      { href: string; method?: string }
    >;

  it('offers what the status allows, lifecycle and credential links with their method', async () => {
    const staged = await newUser(false);
    expect(Object.keys(await linksOf(staged.id)).sort()).toEqual(
      ['activate', 'deactivate', 'schema', 'self', 'type'].sort(),
    );
    // Omar is ACTIVE, with a password and an enrolled factor.
    const active = (await ctx.api.get(`/api/v1/users/${encodeURIComponent('omar.haddad@example.com')}`)).body;
    const links = await linksOf(active.id);
    expect(Object.keys(links).sort()).toEqual(
      [
        ...['self', 'type', 'schema', 'suspend', 'resetPassword', 'expirePassword'],
        ...['forgotPassword', 'changePassword', 'changeRecoveryQuestion', 'resetFactors', 'deactivate'],
      ].sort(),
    );
    expect(links.suspend).toEqual({
      href: `${ctx.sandbox.url}/api/v1/users/${active.id}/lifecycle/suspend`,
      method: 'POST',
    });
    expect(links.schema!.href).toBe(
      `${ctx.sandbox.url}/api/v1/meta/schemas/user/osc${active.type.id.slice(3)}`,
    );
    const diego = (await ctx.api.get(`/api/v1/users/${encodeURIComponent('diego.garcia@example.com')}`)).body;
    expect(diego.status).toBe('SUSPENDED');
    expect(Object.keys(await linksOf(diego.id))).toContain('unsuspend');
    await ctx.api.post(`/api/v1/users/${staged.id}/lifecycle/deactivate`);
    expect(Object.keys(await linksOf(staged.id)).sort()).toEqual(
      ['activate', 'schema', 'self', 'type'].sort(),
    );
  });

  it("links resetFactors only while a factor is enrolled, as in Okta's examples of active users", async () => {
    const jane = (await ctx.api.get(`/api/v1/users/${encodeURIComponent(JANE)}`)).body;
    expect((await ctx.api.get(`/api/v1/users/${jane.id}/factors`)).body.length).toBeGreaterThan(0);
    expect(Object.keys(await linksOf(jane.id))).toContain('resetFactors');
    await ctx.api.post(`/api/v1/users/${jane.id}/lifecycle/reset_factors`);
    expect(Object.keys(await linksOf(jane.id))).not.toContain('resetFactors');
  });
});

describe('sandbox users: lifecycle', () => {
  // [operation, statuses it is allowed from, status it leads to]
  const transitions: Array<[string, string[], string]> = [
    ['activate', ['STAGED', 'DEPROVISIONED'], 'ACTIVE'],
    ['reactivate', ['PROVISIONED', 'RECOVERY'], 'PROVISIONED'],
    [
      'deactivate',
      ['STAGED', 'PROVISIONED', 'ACTIVE', 'RECOVERY', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'SUSPENDED'],
      'DEPROVISIONED',
    ],
    ['suspend', ['ACTIVE'], 'SUSPENDED'],
    ['unsuspend', ['SUSPENDED'], 'ACTIVE'],
    ['unlock', ['LOCKED_OUT', 'ACTIVE'], 'ACTIVE'],
    [
      'reset_password?sendEmail=false',
      ['ACTIVE', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'RECOVERY', 'PROVISIONED'],
      'RECOVERY',
    ],
    ['expire_password', ['ACTIVE', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'RECOVERY'], 'PASSWORD_EXPIRED'],
  ];
  const statuses = [
    'STAGED',
    'PROVISIONED',
    'ACTIVE',
    'RECOVERY',
    'PASSWORD_EXPIRED',
    'LOCKED_OUT',
    'SUSPENDED',
    'DEPROVISIONED',
  ];

  for (const [operation, from, to] of transitions) {
    for (const status of statuses) {
      const allowed = from.includes(status);
      it(`${operation.split('?')[0]} from ${status}: ${allowed ? `-> ${to}` : 'refused (E0000038)'}`, async () => {
        const id = await userIn(status);
        const answer = await ctx.api.post(`/api/v1/users/${id}/lifecycle/${operation}`);
        if (allowed) {
          expect(answer.status).toBe(200);
          // The users built here have a password, so activation ends ACTIVE (not PROVISIONED).
          expect((await ctx.api.get(`/api/v1/users/${id}`)).body.status).toBe(to);
        } else {
          expect(answer).toMatchObject({ status: 403, body: { errorCode: 'E0000038' } });
          expect((await ctx.api.get(`/api/v1/users/${id}`)).body.status).toBe(status);
        }
      });
    }
  }

  it('activation without sending email returns the activation link (a secret the plugin guards)', async () => {
    const user = await newUser(false, false);
    const answer = await ctx.api.post(`/api/v1/users/${user.id}/lifecycle/activate?sendEmail=false`);
    expect(answer.body).toEqual({
      activationUrl: expect.stringContaining('/welcome/'),
      activationToken: expect.any(String),
    });
    expect((await ctx.api.get(`/api/v1/users/${user.id}`)).body.status).toBe('PROVISIONED');
  });

  it('expire with a temporary password returns it and expires the password', async () => {
    const id = await userIn('ACTIVE');
    const answer = await ctx.api.post(`/api/v1/users/${id}/lifecycle/expire_password_with_temp_password`);
    expect(answer.body).toEqual({ tempPassword: expect.any(String) });
    expect((await ctx.api.get(`/api/v1/users/${id}`)).body.status).toBe('PASSWORD_EXPIRED');
  });

  it('delete is two-phase: the first DELETE deactivates, the second deletes', async () => {
    const id = await userIn('ACTIVE');
    expect((await ctx.api.delete(`/api/v1/users/${id}`)).status).toBe(204);
    expect((await ctx.api.get(`/api/v1/users/${id}`)).body.status).toBe('DEPROVISIONED');
    expect((await ctx.api.delete(`/api/v1/users/${id}`)).status).toBe(204);
    expect((await ctx.api.get(`/api/v1/users/${id}`)).status).toBe(404);
    expect(ctx.sandbox.org.log.eventTypes().slice(-2)).toEqual([
      'user.lifecycle.deactivate',
      'user.lifecycle.delete.initiated',
    ]);
  });
});

describe('sandbox users: listing', () => {
  it('leaves DEPROVISIONED users out of a plain list, but not out of a search or filter', async () => {
    const id = await userIn('DEPROVISIONED');
    const plain = (await ctx.api.get('/api/v1/users')).body.map((u: { id: string }) => u.id);
    expect(plain).not.toContain(id);
    const search = await ctx.api.get(
      `/api/v1/users?search=${encodeURIComponent('status eq "DEPROVISIONED"')}`,
    );
    expect(search.body.map((u: { id: string }) => u.id)).toContain(id);
    const filter = await ctx.api.get(
      `/api/v1/users?filter=${encodeURIComponent('status eq "DEPROVISIONED"')}`,
    );
    expect(filter.body.map((u: { id: string }) => u.id)).toEqual([id]);
  });

  it('search: eq, sw, co, gt, lt, pr, and, or, parentheses, quoted strings, case-insensitive values; sortBy', async () => {
    const search = (expression: string, extra = '') =>
      ctx.api
        .get(`/api/v1/users?search=${encodeURIComponent(expression)}${extra}`)
        .then((a) => a.body.map((u: { profile: { login: string } }) => u.profile.login));
    expect(await search('profile.department eq "engineering"')).toEqual(
      expect.arrayContaining([JANE, 'omar.haddad@example.com']),
    );
    expect(await search('profile.lastName sw "Ch"')).toEqual(['mei.chen@example.com']);
    expect(await search('profile.email co "okafor"')).toEqual(['amara.okafor@example.com']);
    expect(
      await search(
        '(profile.department eq "Sales" or profile.department eq "Finance") and status eq "ACTIVE"',
      ),
    ).toHaveLength(2);
    expect(
      await search(
        'profile.title pr and created gt "2000-01-01T00:00:00.000Z" and created lt "2999-01-01T00:00:00.000Z"',
      ),
    ).toHaveLength(8);
    expect(
      await search('profile.department eq "Engineering"', '&sortBy=profile.firstName&sortOrder=desc'),
    ).toEqual(['omar.haddad@example.com', JANE]);
    expect(await search('profile.nickName eq "x \\" y"')).toEqual([]);
  });

  it("answers Okta's E0000031 for an expression it cannot read, and refuses filter operators search allows", async () => {
    for (const bad of [
      'profile.department eqq "x"',
      'profile.department eq',
      '(status eq "ACTIVE"',
      'status eq ACTIVE',
    ]) {
      expect(await ctx.api.get(`/api/v1/users?search=${encodeURIComponent(bad)}`), bad).toMatchObject({
        status: 400,
        body: { errorCode: 'E0000031' },
      });
    }
    expect(
      await ctx.api.get(`/api/v1/users?filter=${encodeURIComponent('profile.department eq "Sales"')}`),
    ).toMatchObject({ status: 400, body: { errorCode: 'E0000031' } });
    expect(
      await ctx.api.get(`/api/v1/users?filter=${encodeURIComponent('profile.login sw "jane"')}`),
    ).toMatchObject({ status: 400 });
  });

  it('q finds by first name, last name or email prefix, without DEPROVISIONED users and without paging', async () => {
    const answer = await ctx.api.get('/api/v1/users?q=jan');
    expect(answer.body.map((u: { profile: { login: string } }) => u.profile.login)).toEqual([JANE]);
    expect(answer.headers.get('link')).toBeNull();
  });
});
