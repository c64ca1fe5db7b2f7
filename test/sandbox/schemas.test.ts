/**
 * The sandbox's profile schemas (the Schema API's reads): the user schema of each user type, the group
 * schema and each app's user schema, with the custom attributes the seeded org defines, as the tests of
 * inputSchema() read them. useSandbox holds every answer to Okta's description.
 */
import { describe, expect, it } from 'vitest';
import { defineAppUserAttribute } from '../../src/sandbox/resources/schemas/model.js';
import { defineCustomAttribute } from '../../src/sandbox/resources/user-schema.js';
import { useSandbox } from '../helpers/sandbox.js';
import { appIdOf } from '../helpers/sandbox-data.js';

const ctx = useSandbox();

describe('sandbox schemas: the user schema', () => {
  it("has Okta's base attributes and the org's custom ones, typed and titled", async () => {
    const answer = await ctx.api.get('/api/v1/meta/schemas/user/default');
    expect(answer.status).toBe(200);
    const { base, custom } = answer.body.definitions;
    expect(base.required).toEqual(['login', 'firstName', 'lastName', 'email']);
    expect(base.properties.login).toMatchObject({ title: 'Username', type: 'string', minLength: 5 });
    expect(custom.properties.employeeType).toMatchObject({
      title: 'Employee type',
      type: 'string',
      enum: ['FTE', 'PART_TIME', 'CONTRACTOR', 'INTERN'],
      oneOf: expect.arrayContaining([{ const: 'FTE', title: 'Full-time employee' }]),
      permissions: [{ principal: 'SELF', action: 'READ_WRITE' }],
    });
    expect(custom.properties.workerId).toMatchObject({
      mutability: 'READ_ONLY',
      permissions: [{ principal: 'SELF', action: 'READ_ONLY' }],
    });
    expect(custom.properties.officeFloor.type).toBe('integer');
    expect(custom.properties.remoteWorker.type).toBe('boolean');
    expect(custom.properties.weeklyHours.type).toBe('number');
    expect(custom.properties.skills).toMatchObject({ type: 'array', items: { type: 'string' } });
    expect(answer.body.properties.profile.allOf).toEqual([
      { $ref: '#/definitions/base' },
      { $ref: '#/definitions/custom' },
    ]);
  });

  it("answers a user type's schema by the id its type links to, and 404 for an unknown one", async () => {
    const types = (await ctx.api.get('/api/v1/meta/types/user')).body as Array<{
      name: string;
      _links: { schema: { href: string } };
    }>;
    const contractor = types.find((type) => type.name === 'contractor')!;
    const schema = await ctx.api.get(new URL(contractor._links.schema.href).pathname);
    expect(schema).toMatchObject({ status: 200, body: { name: 'contractor' } });
    expect(Object.keys(schema.body.definitions.custom.properties)).toContain('employeeType');
    const unknown = await ctx.api.get('/api/v1/meta/schemas/user/osc0000000000unknown');
    expect(unknown).toMatchObject({ status: 404, body: { errorCode: 'E0000007' } });
  });

  it('shows an attribute added afterwards, with a later lastUpdated', async () => {
    const before = (await ctx.api.get('/api/v1/meta/schemas/user/default')).body;
    await new Promise((resolve) => setTimeout(resolve, 5));
    defineCustomAttribute(ctx.sandbox.org, 'shoeSize', { title: 'Shoe size', type: 'integer' });
    const after = (await ctx.api.get('/api/v1/meta/schemas/user/default')).body;
    expect(after.definitions.custom.properties.shoeSize).toMatchObject({
      title: 'Shoe size',
      type: 'integer',
    });
    expect(after.lastUpdated > before.lastUpdated).toBe(true);
  });

  it('seeds the custom attributes on the cast: a worker id and the kind of employment', async () => {
    const jane = (await ctx.api.get('/api/v1/users/jane.doe%40example.com')).body;
    expect(jane.profile).toMatchObject({ workerId: expect.stringMatching(/^W-\d+$/), employeeType: 'FTE' });
  });
});

describe('sandbox schemas: groups and apps', () => {
  it("has the group profile's name and description, and the org's custom group attributes", async () => {
    const answer = await ctx.api.get('/api/v1/meta/schemas/group/default');
    expect(answer.status).toBe(200);
    const { base, custom } = answer.body.definitions;
    expect(Object.keys(base.properties)).toEqual(['name', 'description']);
    expect(custom.properties).toMatchObject({
      costCenter: { title: 'Cost center', type: 'string' },
      owner: { title: 'Owner', type: 'string' },
      reviewIntervalDays: { type: 'integer' },
      syncSource: { mutability: 'READ_ONLY' },
    });
  });

  it("has an app's user schema: its username and mapped attributes, and the custom ones the app defines", async () => {
    const salesforce = appIdOf(ctx.sandbox, 'Salesforce.com');
    const answer = await ctx.api.get(`/api/v1/meta/schemas/apps/${salesforce}/default`);
    expect(answer.status).toBe(200);
    expect(answer.body.definitions.base.required).toEqual(['userName']);
    expect(answer.body.definitions.custom.properties).toMatchObject({
      role: { title: 'Role', type: 'string', maxLength: 80 },
      profile: { enum: ['Standard User', 'Read Only', 'System Administrator'] },
      territories: { type: 'array', items: { type: 'string' } },
      federationId: { mutability: 'READ_ONLY' },
    });
    const slack = appIdOf(ctx.sandbox, 'Slack');
    defineAppUserAttribute(ctx.sandbox.org, slack, 'workspace', { title: 'Workspace', type: 'string' });
    const slackSchema = (await ctx.api.get(`/api/v1/meta/schemas/apps/${slack}/default`)).body;
    expect(Object.keys(slackSchema.definitions.custom.properties)).toEqual(['workspace']);
  });

  it('answers 404 for an app that does not exist', async () => {
    const answer = await ctx.api.get('/api/v1/meta/schemas/apps/0oa0000000000unknown/default');
    expect(answer).toMatchObject({ status: 404, body: { errorCode: 'E0000007' } });
  });
});
