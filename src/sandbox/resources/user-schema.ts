/**
 * The org's user profile schema, Okta's "default" user schema: Okta's base attributes (the four every org
 * requires among them) and the custom attributes the sandbox org defines. It is the one source of truth for
 * what a user profile may hold: creating and updating users refuses an attribute it does not define, as
 * Okta does. Kept in the shape of Okta's UserSchema (`definitions.base`, `definitions.custom`), so that it
 * can be served as it is at /api/v1/meta/schemas/user/default.
 */
import { OktaHttpError } from '../errors.js';
import type { SandboxOrg } from '../org.js';

export type ProfileAttributeType = 'string' | 'boolean' | 'integer' | 'number' | 'array';

export interface ProfileAttribute {
  title: string;
  type: ProfileAttributeType;
  required?: boolean;
}

export interface UserProfileSchema {
  base: Readonly<Record<string, ProfileAttribute>>;
  custom: Record<string, ProfileAttribute>;
}

const text = (title: string, required = false): ProfileAttribute => ({
  title,
  type: 'string',
  ...(required ? { required } : {}),
});

/**
 * Okta's base user profile: the properties of `UserProfile` (and `UserSchemaBaseProperties`) in Okta's API
 * description, with the titles of Okta's default user schema. Okta fixes them; an org cannot remove one.
 */
const BASE_ATTRIBUTES: Readonly<Record<string, ProfileAttribute>> = {
  login: text('Username', true),
  firstName: text('First name', true),
  lastName: text('Last name', true),
  middleName: text('Middle name'),
  honorificPrefix: text('Honorific prefix'),
  honorificSuffix: text('Honorific suffix'),
  email: text('Primary email', true),
  title: text('Title'),
  displayName: text('Display name'),
  nickName: text('Nickname'),
  profileUrl: text('Profile Url'),
  secondEmail: text('Secondary email'),
  mobilePhone: text('Mobile phone'),
  primaryPhone: text('Primary phone'),
  streetAddress: text('Street address'),
  city: text('City'),
  state: text('State'),
  zipCode: text('Zip code'),
  countryCode: text('Country code'),
  postalAddress: text('Postal Address'),
  preferredLanguage: text('Preferred language'),
  locale: text('Locale'),
  timezone: text('Time zone'),
  userType: text('User type'),
  employeeNumber: text('Employee number'),
  costCenter: text('Cost center'),
  organization: text('Organization'),
  division: text('Division'),
  department: text('Department'),
  managerId: text('ManagerId'),
  manager: text('Manager'),
};

/**
 * The custom attributes of the sandbox org: generated users carry a badge number, and contractors get a
 * contract end date (the create-user action's example sets one).
 */
const SANDBOX_CUSTOM_ATTRIBUTES: Readonly<Record<string, ProfileAttribute>> = {
  badgeNumber: text('Badge number'),
  contractEndDate: text('Contract end date'),
};

/** Each user type has its profile schema; Okta's schema id shares the type id's suffix (oty... / osc...). */
export function userSchemaIdOf(typeId: string): string {
  return `osc${typeId.slice(3)}`;
}

export function userSchemaOf(org: SandboxOrg): UserProfileSchema {
  return org.slice('userSchema', () => ({ base: BASE_ATTRIBUTES, custom: { ...SANDBOX_CUSTOM_ATTRIBUTES } }));
}

/** Adds a custom attribute to the org's user profile (as Okta's Profile Editor or schema API would). */
export function defineCustomAttribute(org: SandboxOrg, name: string, attribute: ProfileAttribute): void {
  const schema = userSchemaOf(org);
  if (name in schema.base) throw new Error(`${name} is a base attribute of Okta's user profile`);
  schema.custom[name] = attribute;
  org.changed();
}

/**
 * Okta's refusal of profile attributes the user schema does not define: 400 E0000001 with one cause per
 * attribute. The causes read as Okta's profile validation words them for app user profiles ("Property
 * 'givenName' not found", okta-sdk-python#421); the summary names the object validated, `newUser` when a
 * user is created (okta/terraform-provider-okta, TestAccOktaUser_invalidCustomProfileAttribute) and
 * `userProfile` when one is updated (okta-sdk-dotnet#152).
 */
export function checkProfileAttributesDefined(
  org: SandboxOrg,
  profile: Record<string, unknown>,
  validated: 'newUser' | 'userProfile',
): void {
  const { base, custom } = userSchemaOf(org);
  const unknown = Object.keys(profile).filter((name) => !(name in base) && !(name in custom));
  if (unknown.length > 0) {
    throw new OktaHttpError(
      400,
      'E0000001',
      `Api validation failed: ${validated}`,
      unknown.map((name) => `Property '${name}' not found`),
    );
  }
}
