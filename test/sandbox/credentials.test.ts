import { describe, expect, it } from 'vitest';
import { appsOf } from '../../src/sandbox/resources/apps/model.js';
import { credentialsOf } from '../../src/sandbox/resources/credentials/model.js';
import { takeRequestViolations, useSandbox } from '../helpers/sandbox.js';

const context = useSandbox();

const JANE = 'jane.doe@example.com';
const OMAR = 'omar.haddad@example.com';
const MEI = 'mei.chen@example.com';
const LUKAS = 'lukas.weber@example.com';
const AMARA = 'amara.okafor@example.com';
const ADMIN = 'sandbox.admin@example.com';
const PRIYA = 'priya.patel@example.com';
const UNKNOWN_USER = '00u0000000000unknown';

async function userId(login: string): Promise<string> {
  const answer = await context.api.get(`/api/v1/users/${encodeURIComponent(login)}`);
  expect(answer.status).toBe(200);
  return answer.body.id;
}

async function factorsOf(id: string): Promise<Array<{ id: string; factorType: string; provider: string }>> {
  const answer = await context.api.get(`/api/v1/users/${id}/factors`);
  expect(answer.status).toBe(200);
  return answer.body;
}

function eventsOfType(type: string) {
  return context.sandbox.org.log.events.filter((event) => event.eventType === type);
}

function expectUserNotFound(answer: { status: number; body: { errorCode: string; errorSummary: string } }) {
  expect(answer.status).toBe(404);
  expect(answer.body.errorCode).toBe('E0000007');
  expect(answer.body.errorSummary).toBe(`Not found: Resource not found: ${UNKNOWN_USER} (User)`);
}

describe('listFactors', () => {
  it("lists a user's enrolled factors with Okta's fields and links", async () => {
    const jane = await userId(JANE);
    const factors = await factorsOf(jane);
    expect(factors.map((f) => f.factorType).sort()).toEqual(
      ['push', 'signed_nonce', 'sms', 'token:software:totp'].sort(),
    );
    const push = (await context.api.get(`/api/v1/users/${jane}/factors`)).body.find(
      (f: { factorType: string }) => f.factorType === 'push',
    );
    expect(push).toMatchObject({
      provider: 'OKTA',
      vendorName: 'OKTA',
      status: 'ACTIVE',
      profile: { credentialId: JANE, platform: 'IOS' },
    });
    expect(push.id).toMatch(/^opf/);
    expect(push._links.self.href).toBe(`${context.sandbox.url}/api/v1/users/${jane}/factors/${push.id}`);
    expect(push._links.user.href).toBe(`${context.sandbox.url}/api/v1/users/${jane}`);
  });

  it('answers an empty list for a user with no enrollment', async () => {
    expect(await factorsOf(await userId(PRIYA))).toEqual([]);
  });

  it('answers 404 E0000007 for an unknown user', async () => {
    expectUserNotFound(await context.api.get(`/api/v1/users/${UNKNOWN_USER}/factors`));
  });
});

describe('unenrollFactor', () => {
  it('unenrolls one factor and logs user.mfa.factor.deactivate', async () => {
    const omar = await userId(OMAR);
    const [google, webauthn] = await factorsOf(omar);
    expect(google?.provider).toBe('GOOGLE');
    const answer = await context.api.delete(`/api/v1/users/${omar}/factors/${google!.id}`);
    expect(answer.status).toBe(204);
    expect((await factorsOf(omar)).map((f) => f.id)).toEqual([webauthn!.id]);
    expect(eventsOfType('user.mfa.factor.deactivate')).toHaveLength(1);
    expect(eventsOfType('user.mfa.factor.deactivate')[0]!.target[0]!.id).toBe(omar);
  });

  it('unenrolling Okta Verify push also removes its TOTP and FastPass factors, as Okta does', async () => {
    const jane = await userId(JANE);
    const push = (await factorsOf(jane)).find((f) => f.factorType === 'push')!;
    expect((await context.api.delete(`/api/v1/users/${jane}/factors/${push.id}`)).status).toBe(204);
    expect((await factorsOf(jane)).map((f) => f.factorType)).toEqual(['sms']);
    expect(eventsOfType('user.mfa.factor.deactivate')).toHaveLength(3);
  });

  it('keeps the phone as a recovery method unless removeRecoveryEnrollment=true', async () => {
    const jane = await userId(JANE);
    const mei = await userId(MEI);
    const recoveryPhones = credentialsOf(context.sandbox.org).recoveryPhones;
    const janeSms = (await factorsOf(jane)).find((f) => f.factorType === 'sms')!;
    await context.api.delete(`/api/v1/users/${jane}/factors/${janeSms.id}`);
    expect(recoveryPhones.has(jane)).toBe(true);

    const meiSms = (await factorsOf(mei)).find((f) => f.factorType === 'sms')!;
    const answer = await context.api.delete(
      `/api/v1/users/${mei}/factors/${meiSms.id}?removeRecoveryEnrollment=true`,
    );
    expect(answer.status).toBe(204);
    expect(recoveryPhones.has(mei)).toBe(false);
    expect((await factorsOf(mei)).map((f) => f.factorType)).toEqual(['email']);
  });

  it('answers 404 E0000007 for an unknown factor or user', async () => {
    const jane = await userId(JANE);
    const unknownFactor = await context.api.delete(`/api/v1/users/${jane}/factors/opf0000000000unknown`);
    expect(unknownFactor.status).toBe(404);
    expect(unknownFactor.body.errorSummary).toBe(
      'Not found: Resource not found: opf0000000000unknown (UserFactor)',
    );
    // Another user's factor is not this user's.
    const omarFactor = (await factorsOf(await userId(OMAR)))[0]!;
    expect((await context.api.delete(`/api/v1/users/${jane}/factors/${omarFactor.id}`)).status).toBe(404);
    expectUserNotFound(await context.api.delete(`/api/v1/users/${UNKNOWN_USER}/factors/${omarFactor.id}`));
  });

  it("refuses to unenroll a deactivated user's factor with 403 E0000038", async () => {
    const omar = await userId(OMAR);
    const [factor] = await factorsOf(omar);
    expect((await context.api.post(`/api/v1/users/${omar}/lifecycle/deactivate`)).status).toBe(200);
    const answer = await context.api.delete(`/api/v1/users/${omar}/factors/${factor!.id}`);
    expect(answer.status).toBe(403);
    expect(answer.body.errorCode).toBe('E0000038');
  });

  it('answers 400 when removeRecoveryEnrollment is not a boolean', async () => {
    const omar = await userId(OMAR);
    const [factor] = await factorsOf(omar);
    const answer = await context.api.delete(
      `/api/v1/users/${omar}/factors/${factor!.id}?removeRecoveryEnrollment=maybe`,
    );
    expect(answer.status).toBe(400);
    expect(answer.body.errorCode).toBe('E0000001');
    expect(takeRequestViolations(context.sandbox)).toEqual([
      expect.stringContaining('query parameter "removeRecoveryEnrollment": must be boolean'),
    ]);
  });
});

describe('reset_factors (the userHooks.resetFactors hook)', () => {
  it('removes every factor of the user', async () => {
    const jane = await userId(JANE);
    const answer = await context.api.post(`/api/v1/users/${jane}/lifecycle/reset_factors`);
    expect(answer.status).toBe(200);
    expect(await factorsOf(jane)).toEqual([]);
    expect(await factorsOf(await userId(OMAR))).toHaveLength(2);
    expect(eventsOfType('user.mfa.factor.reset_all')).toHaveLength(1);
  });
});

describe('revokeUserSessions', () => {
  it('ends the sessions and forgets remembered devices by default', async () => {
    const jane = await userId(JANE);
    const slice = credentialsOf(context.sandbox.org);
    expect(slice.sessions.get(jane)).toHaveLength(2);
    const answer = await context.api.delete(`/api/v1/users/${jane}/sessions`);
    expect(answer.status).toBe(204);
    expect(slice.sessions.get(jane) ?? []).toEqual([]);
    expect(slice.rememberedDevices.has(jane)).toBe(false);
    expect(eventsOfType('user.session.clear')).toHaveLength(1);
  });

  it('keeps OAuth tokens and consent grants unless oauthTokens=true', async () => {
    const lukas = await userId(LUKAS);
    const slice = credentialsOf(context.sandbox.org);
    await context.api.delete(`/api/v1/users/${lukas}/sessions`);
    expect(slice.oauthTokens.get(lukas)).toHaveLength(2);

    const answer = await context.api.delete(`/api/v1/users/${lukas}/sessions?oauthTokens=true`);
    expect(answer.status).toBe(204);
    expect(slice.oauthTokens.get(lukas) ?? []).toEqual([]);
    expect(eventsOfType('app.oauth2.as.token.revoke.implicit.user')).toHaveLength(2);
    // Consent grants are not tokens: they stay.
    expect((await context.api.get(`/api/v1/users/${lukas}/grants`)).body).toHaveLength(4);
  });

  it('keeps remembered devices with forgetDevices=false', async () => {
    const jane = await userId(JANE);
    expect((await context.api.delete(`/api/v1/users/${jane}/sessions?forgetDevices=false`)).status).toBe(204);
    expect(credentialsOf(context.sandbox.org).rememberedDevices.get(jane)).toEqual(["Jane's MacBook Pro"]);
  });

  it('answers 204 for a user without a session', async () => {
    expect((await context.api.delete(`/api/v1/users/${await userId(OMAR)}/sessions`)).status).toBe(204);
  });

  it('answers 404 for an unknown user and 400 for a non-boolean flag', async () => {
    expectUserNotFound(await context.api.delete(`/api/v1/users/${UNKNOWN_USER}/sessions`));
    const jane = await userId(JANE);
    const invalid = await context.api.delete(`/api/v1/users/${jane}/sessions?oauthTokens=yes`);
    expect(invalid.status).toBe(400);
    expect(invalid.body.errorCode).toBe('E0000001');
    expect(takeRequestViolations(context.sandbox)).toEqual([
      expect.stringContaining('query parameter "oauthTokens": must be boolean'),
    ]);
  });

  it('ends sessions when the user is suspended (the userHooks.endSessions hook)', async () => {
    const mei = await userId(MEI);
    expect(credentialsOf(context.sandbox.org).sessions.get(mei)).toHaveLength(1);
    expect((await context.api.post(`/api/v1/users/${mei}/lifecycle/suspend`)).status).toBe(200);
    expect(credentialsOf(context.sandbox.org).sessions.get(mei) ?? []).toEqual([]);
    expect(eventsOfType('user.session.clear')).toHaveLength(1);
  });
});

describe('listUserGrants', () => {
  it("lists the user's consent grants with Okta's fields", async () => {
    const lukas = await userId(LUKAS);
    const answer = await context.api.get(`/api/v1/users/${lukas}/grants`);
    expect(answer.status).toBe(200);
    expect(answer.body).toHaveLength(4);
    const [grant] = answer.body;
    expect(grant).toMatchObject({
      status: 'ACTIVE',
      userId: lukas,
      source: 'END_USER',
      issuer: expect.stringMatching(new RegExp(`^${context.sandbox.url}/oauth2/aus`)),
    });
    expect(grant.id).toMatch(/^oag/);
    expect(grant._embedded).toBeUndefined();
    // The grant is to the apps module's OIDC Expense Portal.
    const portal = [...appsOf(context.sandbox.org).byId.values()].find(
      (app) => app.label === 'Expense Portal',
    );
    expect(grant.clientId).toBe(portal?.id);
    expect(grant._links.app).toEqual({
      href: `${context.sandbox.url}/api/v1/apps/${grant.clientId}`,
      title: 'Expense Portal',
    });
  });

  it('drops the consent to an app that is deleted', async () => {
    const lukas = await userId(LUKAS);
    const [grant] = (await context.api.get(`/api/v1/users/${lukas}/grants`)).body;
    context.sandbox.org.deleted('app', grant.clientId);
    expect((await context.api.get(`/api/v1/users/${lukas}/grants`)).body).toEqual([]);
    expect(credentialsOf(context.sandbox.org).oauthTokens.get(lukas)).toEqual([]);
  });

  it('embeds the scope with expand=scope and filters on scopeId', async () => {
    const lukas = await userId(LUKAS);
    const expanded = await context.api.get(`/api/v1/users/${lukas}/grants?expand=scope`);
    const openid = expanded.body.find(
      (grant: { _embedded: { scope: { name: string } } }) => grant._embedded.scope.name === 'openid',
    );
    expect(openid._embedded.scope.id).toBe(openid.scopeId);

    const filtered = await context.api.get(`/api/v1/users/${lukas}/grants?scopeId=${openid.scopeId}`);
    expect(filtered.body.map((grant: { id: string }) => grant.id)).toEqual([openid.id]);
    // Grants of the same scope share its id across users.
    const admin = await userId(ADMIN);
    const adminGrants = await context.api.get(`/api/v1/users/${admin}/grants?scopeId=${openid.scopeId}`);
    expect(adminGrants.body).toHaveLength(1);
  });

  it('pages with limit and the next link', async () => {
    const lukas = await userId(LUKAS);
    const first = await context.api.get(`/api/v1/users/${lukas}/grants?limit=3`);
    expect(first.body).toHaveLength(3);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1];
    expect(next).toBeDefined();
    const second = await context.api.get(next!.replace(context.sandbox.url, ''));
    expect(second.body).toHaveLength(1);
    expect(second.headers.get('link')).not.toContain('rel="next"');
    const ids = [...first.body, ...second.body].map((grant: { id: string }) => grant.id);
    expect(new Set(ids).size).toBe(4);
  });

  it('answers 400 for a limit outside 1..200 and 404 for an unknown user', async () => {
    const lukas = await userId(LUKAS);
    expect((await context.api.get(`/api/v1/users/${lukas}/grants?limit=0`)).status).toBe(400);
    expect((await context.api.get(`/api/v1/users/${lukas}/grants?limit=201`)).status).toBe(400);
    expectUserNotFound(await context.api.get(`/api/v1/users/${UNKNOWN_USER}/grants`));
    expect(takeRequestViolations(context.sandbox)).toEqual([
      expect.stringContaining('query parameter "limit": must be >= 1'),
      expect.stringContaining('query parameter "limit": must be <= 200'),
    ]);
  });
});

describe('revokeUserGrants', () => {
  it('revokes every grant of the user and only theirs, logging app.oauth2.as.consent.revoke', async () => {
    const lukas = await userId(LUKAS);
    const admin = await userId(ADMIN);
    expect((await context.api.delete(`/api/v1/users/${lukas}/grants`)).status).toBe(204);
    expect((await context.api.get(`/api/v1/users/${lukas}/grants`)).body).toEqual([]);
    expect((await context.api.get(`/api/v1/users/${admin}/grants`)).body).toHaveLength(1);
    expect(eventsOfType('app.oauth2.as.consent.revoke')).toHaveLength(4);
  });

  it('answers 404 for an unknown user', async () => {
    expectUserNotFound(await context.api.delete(`/api/v1/users/${UNKNOWN_USER}/grants`));
  });
});

describe('listUserBlocks', () => {
  it('lists how a user is blocked, and nothing for a user who is not', async () => {
    const blocked = await context.api.get(`/api/v1/users/${await userId(AMARA)}/blocks`);
    expect(blocked.status).toBe(200);
    expect(blocked.body).toEqual([{ type: 'DEVICE_BASED', appliesTo: 'UNKNOWN_DEVICES' }]);
    expect((await context.api.get(`/api/v1/users/${await userId(JANE)}/blocks`)).body).toEqual([]);
  });

  it('answers 404 for an unknown user', async () => {
    expectUserNotFound(await context.api.get(`/api/v1/users/${UNKNOWN_USER}/blocks`));
  });
});

describe('deleting a user', () => {
  it('leaves no factor, session, token, grant or block behind', async () => {
    const lukas = await userId(LUKAS);
    expect(credentialsOf(context.sandbox.org).grants.get(lukas)).toHaveLength(4);
    await context.api.post(`/api/v1/users/${lukas}/lifecycle/deactivate`);
    expect((await context.api.delete(`/api/v1/users/${lukas}`)).status).toBe(204);
    const slice = credentialsOf(context.sandbox.org);
    for (const byUser of [
      slice.factors,
      slice.recoveryPhones,
      slice.sessions,
      slice.rememberedDevices,
      slice.oauthTokens,
      slice.grants,
      slice.blocks,
    ]) {
      expect(byUser.has(lukas)).toBe(false);
    }
  });
});
