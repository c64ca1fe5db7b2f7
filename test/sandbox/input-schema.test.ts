/**
 * inputSchema() against the sandbox: the org's own profile attributes in an action's input schema, typed
 * and titled from the org's user, group and app user schemas; what it leaves out; that what it offers
 * execute() accepts and Okta stores; its cache; its errors, in execute()'s envelope.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { inputSchema } from '../../src/index.js';
import { findAction } from '../../src/manifest/manifest.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { groupSchemaOf } from '../../src/sandbox/resources/schemas/model.js';
import { findUser, usersOf } from '../../src/sandbox/resources/users/model.js';
import { newAjv } from '../../src/schema/validation.js';
import { useSandbox } from '../helpers/sandbox.js';
import { SANDBOX_HOST, sandboxActions, sandboxConnection } from '../helpers/sandbox-actions.js';
import { appIdOf } from '../helpers/sandbox-data.js';

const ctx = useSandbox();
const actions = sandboxActions(ctx);
const SALESFORCE = 'Salesforce.com';

// biome-ignore lint/suspicious/noExplicitAny: tests read the returned JSON Schema freely.
type Schema = any;

/** The output of a successful inputSchema(); the test fails with the error otherwise. */
async function schemaOf(key: string, input?: Record<string, unknown>, connection?: unknown) {
  const result = await inputSchema(
    key,
    { connection: connection ?? sandboxConnection(ctx.sandbox), ...(input ? { input } : {}) },
    SANDBOX_HOST,
  );
  if (!result.ok) throw new Error(`${key}: ${result.error.code} ${result.error.message}`);
  return { ...result.output, schema: result.output.schema as Schema, meta: result.meta };
}

/** Schema reads the sandbox served so far. */
const schemaReads = (sandbox: Sandbox) =>
  sandbox.served.filter((request) => request.path.startsWith('/api/v1/meta/schemas/')).length;

/** Whether a value is valid for a schema, with the project's own Ajv (as execute() checks inputs). */
async function validates(schema: object, value: unknown): Promise<boolean> {
  return (await newAjv({ useDefaults: false })).compile(schema)(value) as boolean;
}

describe('inputSchema: the user profile', () => {
  it("adds the org's custom attributes to create-user's profile, typed and titled from the user schema", async () => {
    const { schema, custom, source, reason, meta } = await schemaOf('create-user');
    expect({ source, reason, requests: meta.requests, action: meta.action }).toEqual({
      source: 'org',
      reason: undefined,
      requests: 1,
      action: 'create-user',
    });
    expect(custom).toEqual([
      'badgeNumber',
      'contractEndDate',
      'employeeType',
      'officeFloor',
      'remoteWorker',
      'weeklyHours',
      'skills',
    ]);
    const profile = schema.properties.profile.properties;
    expect(profile.employeeType).toEqual({
      title: 'Employee type',
      description: 'How the person is employed.',
      type: 'string',
      oneOf: [
        { const: 'FTE', title: 'Full-time employee' },
        { const: 'PART_TIME', title: 'Part-time employee' },
        { const: 'CONTRACTOR', title: 'Contractor' },
        { const: 'INTERN', title: 'Intern' },
      ],
    });
    expect(profile.contractEndDate).toMatchObject({
      title: 'Contract end date',
      type: 'string',
      maxLength: 10,
    });
    expect(profile.officeFloor).toMatchObject({ title: 'Office floor', type: 'integer' });
    expect(profile.remoteWorker).toMatchObject({ title: 'Remote worker', type: 'boolean' });
    expect(profile.weeklyHours).toMatchObject({ title: 'Weekly hours', type: 'number' });
    expect(profile.skills).toMatchObject({ title: 'Skills', type: 'array', items: { type: 'string' } });
  });

  it('leaves out what the admin made read-only, and keeps the base attributes as the manifest has them', async () => {
    const { schema } = await schemaOf('create-user');
    const manifestProfile = (findAction('create-user')!.input as Schema).definitions.userProfileInput;
    const profile = schema.properties.profile;
    expect(profile.properties).not.toHaveProperty('workerId');
    for (const [name, property] of Object.entries(manifestProfile.properties))
      expect(profile.properties[name], name).toEqual(property);
    expect(profile.required).toEqual(manifestProfile.required);
    expect(profile.additionalProperties).toEqual(manifestProfile.additionalProperties);
  });

  it('accepts only what the manifest schema accepts, and refuses a value the org does not allow', async () => {
    const { schema } = await schemaOf('create-user');
    const input = {
      profile: {
        email: 'ana.lima@example.com',
        firstName: 'Ana',
        lastName: 'Lima',
        employeeType: 'CONTRACTOR',
        officeFloor: 3,
        remoteWorker: true,
        weeklyHours: 37.5,
        skills: ['kubernetes', 'go'],
      },
    };
    expect(await validates(schema, input)).toBe(true);
    expect(await validates(findAction('create-user')!.input, input)).toBe(true);
    expect(await validates(schema, { profile: { ...input.profile, employeeType: 'VOLUNTEER' } })).toBe(false);
    expect(await validates(schema, { profile: { ...input.profile, officeFloor: 'third' } })).toBe(false);
  });

  it('create-user with the custom attributes reaches Okta, and get-user gives them back', async () => {
    const profile = {
      email: 'ana.lima@example.com',
      firstName: 'Ana',
      lastName: 'Lima',
      employeeType: 'CONTRACTOR',
      officeFloor: 3,
      remoteWorker: true,
      weeklyHours: 37.5,
      skills: ['kubernetes', 'go'],
    };
    const { schema } = await schemaOf('create-user');
    expect(await validates(schema, { profile })).toBe(true);
    const created = await actions.run('create-user', { profile });
    const { email: _, firstName: __, lastName: ___, ...custom } = profile;
    expect(usersOf(ctx.sandbox.org).byId.get(created.id)?.profile).toMatchObject(custom);
    const read = await actions.run('get-user', { user: created.id });
    expect(read.user.profile).toMatchObject(custom);
  });

  it("update-user's profile patch: the attributes take null (clearing them), and execute() clears one", async () => {
    const { schema, custom } = await schemaOf('update-user');
    expect(custom).not.toContain('workerId');
    const profile = schema.properties.profile.properties;
    expect(profile.officeFloor.type).toEqual(['integer', 'null']);
    expect(profile.employeeType.oneOf.at(-1)).toEqual({ const: null, title: 'None (clears it)' });
    const change = { user: 'jane.doe@example.com', profile: { employeeType: null, officeFloor: 4 } };
    expect(await validates(schema, change)).toBe(true);
    await actions.run('update-user', change);
    const jane = findUser(ctx.sandbox.org, 'jane.doe@example.com')!;
    expect(jane.profile).toMatchObject({ officeFloor: 4 });
    expect(jane.profile.employeeType ?? null).toBeNull();
  });

  it("replace-user's complete profile takes the attributes without null", async () => {
    const { schema, custom } = await schemaOf('replace-user');
    expect(custom).toContain('employeeType');
    expect(schema.properties.profile.properties.remoteWorker.type).toBe('boolean');
  });
});

describe('inputSchema: groups and app users', () => {
  it("adds the group schema's custom attributes to create-group and update-group", async () => {
    const created = await schemaOf('create-group');
    expect(created.custom).toEqual(['costCenter', 'owner', 'accessLevel', 'reviewIntervalDays']);
    const attributes = created.schema.properties.attributes.properties;
    expect(attributes.accessLevel.oneOf).toContainEqual({
      const: 'PRIVILEGED',
      title: 'Privileged (reviewed quarterly)',
    });
    expect(attributes.reviewIntervalDays).toMatchObject({ title: 'Review interval (days)', type: 'integer' });
    expect(attributes).not.toHaveProperty('syncSource');
    const updated = await schemaOf('update-group');
    expect(updated.meta.requests).toBe(0);
    expect(updated.schema.properties.attributes.properties.owner.type).toEqual(['string', 'null']);

    const input = { name: 'Payments', attributes: { owner: 'payments-team', accessLevel: 'ELEVATED' } };
    expect(await validates(created.schema, input)).toBe(true);
    const group = await actions.run('create-group', input);
    const read = await actions.run('get-group', { groupId: group.id });
    expect(read.group.profile).toMatchObject(input.attributes);
  });

  it('gives the manifest schema, and says why, until the app is known', async () => {
    const without = await schemaOf('assign-user-to-app');
    expect(without).toMatchObject({ source: 'static', custom: [], meta: { requests: 0 } });
    expect(without.reason).toContain('input.appId');
    expect(without.schema).toEqual(findAction('assign-user-to-app')!.input);
    const partial = await schemaOf('assign-user-to-app', { appId: '0oa12' });
    expect(partial).toMatchObject({ source: 'static', reason: expect.stringContaining('not an app id') });
  });

  it("adds the app's custom attributes for its app id, and assign-user-to-app sets them in Okta", async () => {
    const appId = appIdOf(ctx.sandbox, SALESFORCE);
    const { schema, custom, source } = await schemaOf('assign-user-to-app', { appId });
    expect({ source, custom }).toEqual({ source: 'org', custom: ['role', 'profile', 'territories'] });
    const profile = schema.properties.profile.properties;
    expect(profile.role).toMatchObject({ title: 'Role', type: ['string', 'null'], maxLength: 80 });
    expect(profile.profile.enum).toEqual(['Standard User', 'Read Only', 'System Administrator', null]);
    expect(profile.territories).toMatchObject({ type: ['array', 'null'], items: { type: 'string' } });
    const input = {
      appId,
      user: 'jane.doe@example.com',
      profile: { role: 'Sales', profile: 'Read Only', territories: ['EMEA', 'APAC'] },
    };
    expect(await validates(schema, input)).toBe(true);
    await actions.run('assign-user-to-app', input);
    const appUser = await actions.run('get-app-user', { appId, user: input.user });
    expect(appUser.appUser.profile).toMatchObject(input.profile);

    const update = await schemaOf('update-app-user', { appId });
    expect(update).toMatchObject({ custom: ['role', 'profile', 'territories'], meta: { requests: 0 } });
  });

  it('answers the manifest schema for an action without profile attributes, reading nothing', async () => {
    const result = await schemaOf('get-user');
    expect(result).toMatchObject({ source: 'static', custom: [], meta: { requests: 0 } });
    expect(result.reason).toContain('no profile attributes');
  });
});

describe('inputSchema: its cache', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads a schema once a minute per connection; another connection reads its own', async () => {
    await schemaOf('create-user');
    expect(schemaReads(ctx.sandbox)).toBe(1);
    const again = await schemaOf('update-user');
    expect({ requests: again.meta.requests, reads: schemaReads(ctx.sandbox) }).toEqual({
      requests: 0,
      reads: 1,
    });

    ctx.sandbox.addToken('00otherAdminTokenForTheCacheTest42');
    const other = { ...sandboxConnection(ctx.sandbox), apiToken: '00otherAdminTokenForTheCacheTest42' };
    expect((await schemaOf('create-user', undefined, other)).meta.requests).toBe(1);
    expect(schemaReads(ctx.sandbox)).toBe(2);
  });

  it('reads again once the minute is over, and sees what the admin changed', async () => {
    await schemaOf('create-group');
    groupSchemaOf(ctx.sandbox.org).custom.region = { title: 'Region', type: 'string' };
    const within = await schemaOf('create-group');
    expect({ requests: within.meta.requests, hasRegion: within.custom.includes('region') }).toEqual({
      requests: 0,
      hasRegion: false,
    });
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 61_000 });
    const later = await schemaOf('create-group');
    expect({ requests: later.meta.requests, hasRegion: later.custom.includes('region') }).toEqual({
      requests: 1,
      hasRegion: true,
    });
    expect(schemaReads(ctx.sandbox)).toBe(2);
  });

  it('keeps no failure: a refused read is read again next time', async () => {
    const refusal = ctx.sandbox.faults.add({ operationId: 'getGroupSchema', times: 1, fault: forbidden });
    expect(
      (await inputSchema('create-group', { connection: sandboxConnection(ctx.sandbox) }, SANDBOX_HOST)).ok,
    ).toBe(false);
    expect(refusal.fired).toBe(1);
    expect((await schemaOf('create-group')).source).toBe('org');
  });
});

const forbidden = {
  kind: 'status' as const,
  status: 403,
  body: {
    errorCode: 'E0000006',
    errorSummary: 'You do not have permission to perform the requested action',
    errorLink: 'E0000006',
    errorId: 'oaeSandboxForbidden',
    errorCauses: [],
  },
};

describe('inputSchema: errors, as execute() reports them', () => {
  it("answers Okta's 403 as the FORBIDDEN envelope, with meta", async () => {
    ctx.sandbox.faults.add({ operationId: 'getUserSchema', fault: forbidden });
    const result = await inputSchema(
      'create-user',
      { connection: sandboxConnection(ctx.sandbox) },
      SANDBOX_HOST,
    );
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', status: 403, retryable: false, okta: { errorCode: 'E0000006' } },
      meta: { action: 'create-user', requests: 1 },
    });
  });

  it("answers a token whose admin lost the role as Okta does: 403, the token's value never shown", async () => {
    ctx.sandbox.addToken('00noLongerAnAdminTokenForTheTest42', { admin: false });
    const connection = { ...sandboxConnection(ctx.sandbox), apiToken: '00noLongerAnAdminTokenForTheTest42' };
    const result = await inputSchema('create-group', { connection }, SANDBOX_HOST);
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(JSON.stringify(result)).not.toContain('00noLongerAnAdminTokenForTheTest42');
  });

  it('answers an unknown action, a bad connection and bad options without a request', async () => {
    const connection = sandboxConnection(ctx.sandbox);
    const unknown = await inputSchema('create-usr', { connection }, SANDBOX_HOST);
    expect(unknown).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_ACTION', message: expect.stringContaining('"create-user"') },
      meta: { action: 'create-usr', requests: 0 },
    });
    const badConnection = await inputSchema(
      'create-user',
      { connection: { type: 'api_token' } },
      SANDBOX_HOST,
    );
    expect(badConnection).toMatchObject({ ok: false, error: { code: 'INVALID_CONNECTION' } });
    const badOptions = await inputSchema('create-user', { connection }, { ...SANDBOX_HOST, maxRetries: -1 });
    expect(badOptions).toMatchObject({ ok: false, error: { code: 'INVALID_OPTIONS' } });
    const dryRun = await inputSchema('create-user', { connection, dryRun: true } as never, SANDBOX_HOST);
    expect(dryRun).toMatchObject({ ok: false, error: { code: 'INVALID_OPTIONS' } });
    const notString = await inputSchema(42 as never, { connection }, SANDBOX_HOST);
    expect(notString).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_ACTION' },
      meta: { action: 'number' },
    });
    expect(schemaReads(ctx.sandbox)).toBe(0);
  });

  it('answers 404 for an app that is not there', async () => {
    const result = await inputSchema(
      'update-app-user',
      { connection: sandboxConnection(ctx.sandbox), input: { appId: '0oa0000000000unknown' } },
      SANDBOX_HOST,
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', status: 404 } });
  });
});

describe('inputSchema: OAuth connections', () => {
  function serviceApp(scopes: string[]) {
    const app = ctx.sandbox.oauth.addClient({
      tokenEndpointAuthMethod: 'client_secret_basic',
      grantTypes: ['client_credentials'],
      scopes,
      // An API service integration: the org authorization server takes its client secret.
      apiServiceIntegration: true,
    });
    return {
      type: 'oauth_client_secret',
      apiAddress: ctx.sandbox.url,
      clientId: app.clientId,
      clientSecret: app.clientSecret!,
      scopes,
    };
  }

  it('reads with a token that holds okta.schemas.read', async () => {
    const connection = serviceApp(['okta.users.manage', 'okta.schemas.read']);
    const { custom, source } = await schemaOf('create-user', undefined, connection);
    expect({ source, hasEmployeeType: custom.includes('employeeType') }).toEqual({
      source: 'org',
      hasEmployeeType: true,
    });
  });

  it('refuses before sending anything when the token lacks okta.schemas.read, naming the scope', async () => {
    const connection = serviceApp(['okta.users.manage']);
    const result = await inputSchema('create-user', { connection }, SANDBOX_HOST);
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringContaining('okta.schemas.read') },
      meta: { requests: 0 },
    });
    expect(JSON.stringify(result)).not.toContain(connection.clientSecret);
  });
});
