/**
 * The group profile schema and each app's app user schema: Okta's "default" schemas of groups and of an
 * app's users, base attributes and the custom ones the org (or the app) defines. The user profile schema is
 * its own file (`../user-schema.ts`), as creating and updating users is held to it. These two are served
 * as they are; the sandbox does not refuse group or app user attributes they lack (**inference** kept
 * simple: the tests set such attributes freely, and no action depends on the refusal).
 */
import { notFound } from '../../errors.js';
import type { SandboxOrg } from '../../org.js';
import { type AppKind, type AppRecord, requireApp } from '../apps/model.js';
import { type ProfileAttribute, userSchemaIdOf } from '../user-schema.js';
import { userTypesOf } from '../user-types/model.js';
import { DEFAULT_USER_TYPE_ID } from '../users/model.js';

/** A schema's custom attributes and its timestamps; the base attributes are Okta's and fixed. */
export interface CustomAttributes {
  custom: Record<string, ProfileAttribute>;
  created: string;
  lastUpdated: string;
}

/** Okta's base group profile (GroupSchemaBaseProperties): a name and a description. */
export const GROUP_BASE_ATTRIBUTES: Readonly<Record<string, ProfileAttribute>> = {
  name: { title: 'Name', type: 'string', required: true, minLength: 1, maxLength: 255 },
  description: { title: 'Description', type: 'string', maxLength: 1024 },
};

/**
 * The custom attributes of the sandbox org's groups: the seeded department groups carry a cost center, and
 * the tests and the create-group examples set an owner; a choice of values, a number, and one that the
 * directory sync writes (read-only).
 */
const SANDBOX_GROUP_ATTRIBUTES: Readonly<Record<string, ProfileAttribute>> = {
  costCenter: { title: 'Cost center', type: 'string', description: 'Who pays for what the group has.' },
  owner: { title: 'Owner', type: 'string', description: 'The team that owns the group, like platform-team.' },
  accessLevel: {
    title: 'Access level',
    type: 'string',
    description: 'How sensitive the access the group grants is.',
    enum: ['STANDARD', 'ELEVATED', 'PRIVILEGED'],
    oneOf: [
      { const: 'STANDARD', title: 'Standard' },
      { const: 'ELEVATED', title: 'Elevated' },
      { const: 'PRIVILEGED', title: 'Privileged (reviewed quarterly)' },
    ],
  },
  reviewIntervalDays: {
    title: 'Review interval (days)',
    type: 'integer',
    description: "How often the group's members are reviewed.",
  },
  syncSource: {
    title: 'Sync source',
    type: 'string',
    description: 'The directory the group is synchronized from, set by the sync.',
    mutability: 'READ_ONLY',
  },
};

export function groupSchemaOf(org: SandboxOrg): CustomAttributes {
  return org.slice('groupSchema', (o) => {
    const now = o.now();
    return { custom: { ...SANDBOX_GROUP_ATTRIBUTES }, created: now, lastUpdated: now };
  });
}

/** The custom attributes of each app's user schema, by app id, created with the app's first use here. */
function appUserSchemas(org: SandboxOrg): Map<string, CustomAttributes> {
  return org.slice('appUserSchemas', (o) => {
    const schemas = new Map<string, CustomAttributes>();
    o.onDelete('app', (appId) => schemas.delete(appId));
    return schemas;
  });
}

export function appUserSchemaOf(org: SandboxOrg, appId: string): { app: AppRecord } & CustomAttributes {
  const app = requireApp(org, appId);
  const schemas = appUserSchemas(org);
  let schema = schemas.get(app.id);
  if (!schema) {
    schema = { custom: {}, created: app.created, lastUpdated: app.created };
    schemas.set(app.id, schema);
  }
  return { app, ...schema };
}

/** Adds a custom attribute to an app's user schema (as the app's Profile Editor would). */
export function defineAppUserAttribute(
  org: SandboxOrg,
  appId: string,
  name: string,
  attribute: ProfileAttribute,
): void {
  const { app } = appUserSchemaOf(org, appId);
  const schema = appUserSchemas(org).get(app.id)!;
  schema.custom[name] = attribute;
  schema.lastUpdated = org.now();
  org.changed();
}

const text = (title: string, description: string, required = false): ProfileAttribute => ({
  title,
  type: 'string',
  description,
  ...(required ? { required } : {}),
});

/**
 * The base attributes of an app's user schema: the app username, and the attributes its default profile
 * mappings fill (apps/model.ts, mappedProfile): SAML apps Okta's names, OpenID Connect apps the claims.
 */
export function appBaseAttributes(kind: AppKind): Record<string, ProfileAttribute> {
  const userName = { userName: text('Username', 'The name the user signs in to the app with.', true) };
  const email = text('Email', 'The email address the app knows the user by.');
  switch (kind) {
    case 'saml':
      return {
        ...userName,
        email,
        firstName: text('First name', 'Given name of the user.'),
        lastName: text('Last name', 'Family name of the user.'),
        displayName: text('Display name', 'The name the app shows.'),
        mobilePhone: text('Mobile phone', 'Mobile phone number of the user.'),
      };
    case 'oidc':
      return {
        ...userName,
        email,
        given_name: text('Given name', 'The given_name claim.'),
        family_name: text('Family name', 'The family_name claim.'),
        name: text('Name', 'The full name, as the app shows it (the name claim).'),
        locale: text('Locale', 'The locale claim, like en_US.'),
        zoneinfo: text('Time zone', 'The zoneinfo claim, like America/Los_Angeles.'),
      };
    case 'bookmark':
    case 'swa':
      return userName;
  }
}

/** The user type a user schema id names: `default`, or the `osc...` id that shares its type's suffix. */
export function userTypeOfSchema(org: SandboxOrg, schemaId: string) {
  const types = userTypesOf(org);
  if (schemaId === 'default') return types.get(DEFAULT_USER_TYPE_ID)!;
  for (const type of types.values()) if (userSchemaIdOf(type.id) === schemaId) return type;
  throw notFound(schemaId, 'UserSchema');
}
