/** Profile schemas as Okta's JSON writes them (UserSchema, GroupSchema): base and custom subschemas. */
import type { SandboxOrg } from '../../org.js';
import { type ProfileAttribute, userSchemaOf } from '../user-schema.js';
import {
  appBaseAttributes,
  appUserSchemaOf,
  GROUP_BASE_ATTRIBUTES,
  groupSchemaOf,
  userTypeOfSchema,
} from './model.js';

const DRAFT_04 = 'http://json-schema.org/draft-04/schema#';

/** One attribute, with what Okta reports beside its own settings: its scope, source and permissions. */
function attributeJson(attribute: ProfileAttribute): Record<string, unknown> {
  const { selfAccess, mutability, required, ...settings } = attribute;
  return {
    ...settings,
    required: required ?? false,
    mutability: mutability ?? 'READ_WRITE',
    scope: 'NONE',
    permissions: [{ principal: 'SELF', action: selfAccess ?? 'READ_WRITE' }],
    master: { type: 'PROFILE_MASTER' },
  };
}

function subschema(id: '#base' | '#custom', attributes: Readonly<Record<string, ProfileAttribute>>) {
  return {
    id,
    type: 'object',
    properties: Object.fromEntries(
      Object.entries(attributes).map(([name, attribute]) => [name, attributeJson(attribute)]),
    ),
    required: Object.keys(attributes).filter((name) => attributes[name]!.required),
  };
}

/** The profile is the base and the custom subschemas together, as Okta's schemas say it. */
function profileOf(order: Array<'base' | 'custom'>) {
  return { profile: { allOf: order.map((name) => ({ $ref: `#/definitions/${name}` })) } };
}

function selfLink(org: SandboxOrg, path: string) {
  return { self: { rel: 'self', href: `${org.baseUrl}${path}`, method: 'GET' } };
}

/** A user type's schema, by `default` or the schema's id: the same attributes for every type, here. */
export function userSchemaJson(org: SandboxOrg, schemaId: string): Record<string, unknown> {
  const type = userTypeOfSchema(org, schemaId);
  const schema = userSchemaOf(org);
  return {
    id: `${org.baseUrl}/meta/schemas/user/${schemaId}`,
    $schema: DRAFT_04,
    name: type.name,
    title: type.isDefault ? 'Default Okta user' : type.displayName,
    lastUpdated: schema.lastUpdated,
    created: schema.created,
    definitions: { base: subschema('#base', schema.base), custom: subschema('#custom', schema.custom) },
    type: 'object',
    properties: profileOf(['base', 'custom']),
    _links: selfLink(org, `/api/v1/meta/schemas/user/${schemaId}`),
  };
}

export function groupSchemaJson(org: SandboxOrg): Record<string, unknown> {
  const schema = groupSchemaOf(org);
  return {
    id: `${org.baseUrl}/meta/schemas/group/default`,
    $schema: DRAFT_04,
    name: 'group',
    title: 'Okta group',
    description: 'Okta group profile template',
    lastUpdated: schema.lastUpdated,
    created: schema.created,
    definitions: {
      base: subschema('#base', GROUP_BASE_ATTRIBUTES),
      custom: subschema('#custom', schema.custom),
    },
    type: 'object',
    properties: profileOf(['custom', 'base']),
    _links: selfLink(org, '/api/v1/meta/schemas/group/default'),
  };
}

export function appUserSchemaJson(org: SandboxOrg, appId: string): Record<string, unknown> {
  const { app, custom, created, lastUpdated } = appUserSchemaOf(org, appId);
  return {
    id: `${org.baseUrl}/meta/schemas/apps/${app.id}/default`,
    $schema: DRAFT_04,
    name: app.name,
    title: `${app.label} User`,
    lastUpdated,
    created,
    definitions: {
      base: subschema('#base', appBaseAttributes(app.kind)),
      custom: subschema('#custom', custom),
    },
    type: 'object',
    properties: profileOf(['base', 'custom']),
    _links: selfLink(org, `/api/v1/meta/schemas/apps/${app.id}/default`),
  };
}
