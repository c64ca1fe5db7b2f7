/**
 * How inputSchema() turns the attributes of Okta's profile schemas into JSON Schema (src/runtime/org-fields.ts),
 * without any network: which actions take the org's attributes, Okta's types and choices, what is left out,
 * and that the manifest's own schemas are never changed. The reads themselves: test/sandbox/input-schema.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { findAction, manifest } from '../src/manifest/manifest.js';
import { isReadOnly, ORG_FIELDS, propertyOf, withOrgAttributes } from '../src/runtime/org-fields.js';

// biome-ignore lint/suspicious/noExplicitAny: the tests read JSON Schema freely.
type Schema = any;

const PROFILE_DEFINITIONS = [
  'userProfileInput',
  'userProfilePatch',
  'groupProfileAttributes',
  'appUserProfile',
];

const inputOf = (key: string) => findAction(key)!.input as Schema;

/** The action's schema with the given attributes of the org. */
function extended(key: string, attributes: Parameters<typeof withOrgAttributes>[2]) {
  const { schema, custom } = withOrgAttributes(inputOf(key), ORG_FIELDS[key]!, attributes);
  return { schema: schema as Schema, custom };
}

describe('the actions that take the org’s attributes', () => {
  it('are every action whose input refers to a profile definition, and replace-user', () => {
    const referring = manifest.actions
      .filter((action) =>
        PROFILE_DEFINITIONS.some((name) => JSON.stringify(action.input).includes(`"#/definitions/${name}"`)),
      )
      .map((action) => action.key);
    expect(Object.keys(ORG_FIELDS).sort()).toEqual([...referring, 'replace-user'].sort());
  });

  it.each(Object.entries(ORG_FIELDS))(
    '%s: its property is an object that takes further attributes',
    (key, fields) => {
      const input = inputOf(key);
      const property = input.properties[fields.property];
      const ref = property.$ref as string | undefined;
      const target = ref ? input.definitions[ref.split('/').pop()!] : property;
      expect(target.type).toBe('object');
      expect(target.additionalProperties).toMatchObject({
        type: expect.arrayContaining(['string', 'boolean', 'array']),
      });
    },
  );
});

describe("an attribute of Okta's schema as a JSON Schema property", () => {
  it.each([
    [
      'a string with lengths',
      { type: 'string', minLength: 2, maxLength: 8 },
      { type: 'string', minLength: 2, maxLength: 8 },
    ],
    [
      'lengths that contradict each other keep the minimum',
      { type: 'string', minLength: 9, maxLength: 3 },
      { type: 'string', minLength: 9 },
    ],
    [
      'null lengths, as Okta sends them',
      { type: 'string', minLength: null, maxLength: null },
      { type: 'string' },
    ],
    ['an email', { type: 'string', format: 'email' }, { type: 'string', format: 'idn-email' }],
    [
      "a format JSON Schema's checkers do not share",
      { type: 'string', format: 'country-code' },
      { type: 'string' },
    ],
    ['an enum', { type: 'string', enum: ['S', 'M', 'L'] }, { type: 'string', enum: ['S', 'M', 'L'] }],
    [
      'an enum with values of another type',
      { type: 'integer', enum: [1, '2', 3.5, 4] },
      { type: 'integer', enum: [1, 4] },
    ],
    [
      'named values',
      {
        type: 'string',
        enum: ['S', 'M'],
        oneOf: [{ const: 'S', title: 'Small' }, { const: 'M' }, { title: 'no value' }],
      },
      {
        type: 'string',
        oneOf: [
          { const: 'S', title: 'Small' },
          { const: 'M', title: 'M' },
        ],
      },
    ],
    ['a boolean', { type: 'boolean' }, { type: 'boolean' }],
    ['a number', { type: 'number' }, { type: 'number' }],
    [
      'an array of integers',
      { type: 'array', items: { type: 'integer' } },
      { type: 'array', items: { type: 'integer' } },
    ],
    [
      'an array of named values',
      { type: 'array', items: { type: 'string', oneOf: [{ const: 'a', title: 'A' }] } },
      { type: 'array', items: { type: 'string', oneOf: [{ const: 'a', title: 'A' }] } },
    ],
    [
      'an array of objects says nothing of its items',
      { type: 'array', items: { type: 'object' } },
      { type: 'array' },
    ],
  ])('%s', (_, attribute, expected) => {
    expect(propertyOf('attr', { title: 'Attr', ...attribute }, false)).toEqual({
      title: 'Attr',
      ...expected,
    });
  });

  it('is titled by its title, or its name, and described by its description', () => {
    expect(propertyOf('costCode', { type: 'string', title: ' ', description: 'Who pays.' }, false)).toEqual({
      title: 'costCode',
      description: 'Who pays.',
      type: 'string',
    });
  });

  it('takes null where a change clears a value, its choices too', () => {
    expect(propertyOf('size', { title: 'Size', type: 'string', enum: ['S'] }, true)).toEqual({
      title: 'Size',
      type: ['string', 'null'],
      enum: ['S', null],
    });
  });

  it('is nothing for a type JSON Schema cannot say here', () => {
    expect(propertyOf('blob', { title: 'Blob', type: 'object' }, false)).toBeUndefined();
    expect(propertyOf('none', { title: 'None' }, false)).toBeUndefined();
  });

  it.each([
    [{ mutability: 'READ_ONLY' }, true],
    [{ permissions: [{ principal: 'SELF', action: 'READ_ONLY' }] }, true],
    [{ permissions: [{ principal: 'SELF', action: 'HIDE' }] }, false],
    [{ permissions: [{ principal: 'SELF', action: 'READ_WRITE' }], mutability: 'READ_WRITE' }, false],
    [{ permissions: 'READ_ONLY' }, false],
  ])('read-only: %j is %s', (attribute, readOnly) => {
    expect(isReadOnly(attribute)).toBe(readOnly);
  });
});

describe("the action's schema with the org's attributes", () => {
  const text = (title: string, more: object = {}) => ({ title, type: 'string', ...more });

  it("leaves the manifest's schema as it is, and inlines the extended profile", () => {
    const before = JSON.stringify(inputOf('create-user'));
    const { schema, custom } = extended('create-user', {
      badge: text('Badge'),
    });
    expect(JSON.stringify(inputOf('create-user'))).toBe(before);
    expect(custom).toEqual(['badge']);
    expect(schema.properties.profile.properties.badge).toEqual({ title: 'Badge', type: 'string' });
    expect(schema.definitions.userProfileInput.properties).not.toHaveProperty('badge');
  });

  it('keeps base attributes, whatever case the org wrote them in, and what the property names refuse', () => {
    const user = extended('create-user', {
      Email: text('Another email'),
      costCenter: { title: 'Cost', type: 'integer' },
    });
    expect(user.custom).toEqual([]);
    const group = extended('create-group', {
      name: text('Name again'),
      'bad name': text('Spaces'),
      owner: text('Owner'),
    });
    expect(group.custom).toEqual(['owner']);
  });

  it('requires what Okta requires when the action creates, unless Okta fills a default', () => {
    const attributes = {
      site: text('Site', { required: true }),
      tier: text('Tier', { required: true, default: 'basic' }),
    };
    const user = extended('create-user', attributes);
    expect(user.schema.properties.profile.required).toEqual(['email', 'firstName', 'lastName', 'site']);
    const group = extended('create-group', attributes);
    expect(group.schema.properties.attributes.required).toEqual(['site']);
    expect(group.schema.required).toEqual(['name', 'attributes']);
    const change = extended('update-group', attributes);
    expect(change.schema.properties.attributes.required).toBeUndefined();
    expect(change.schema.required).toEqual(['groupId']);
  });

  it('offers what cannot change once set (IMMUTABLE) only where the action creates', () => {
    const attributes = { hireDate: text('Hire date', { mutability: 'IMMUTABLE' }) };
    expect(extended('create-user', attributes).custom).toEqual(['hireDate']);
    expect(extended('update-user', attributes).custom).toEqual([]);
  });

  it('is the schema as it was when the org adds nothing', () => {
    const { schema, custom } = extended('update-app-user', {
      id: text('Read-only id', { mutability: 'READ_ONLY' }),
    });
    expect(custom).toEqual([]);
    expect(schema).toEqual(inputOf('update-app-user'));
  });
});
