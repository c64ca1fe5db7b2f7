/**
 * The org's user profile schema, Okta's "default" user schema: Okta's base attributes (the four every org
 * requires among them) and the custom attributes the sandbox org defines. It is the one source of truth for
 * what a user profile may hold: creating and updating users refuses an attribute it does not define, as
 * Okta does. Kept in the shape of Okta's UserSchema (`definitions.base`, `definitions.custom`), in which the
 * schemas family (schemas/render.ts) serves it at /api/v1/meta/schemas/user/{schemaId}.
 */
import { OktaHttpError } from '../errors.js';
import type { SandboxOrg } from '../org.js';

export type ProfileAttributeType = 'string' | 'boolean' | 'integer' | 'number' | 'array';

/** A value of an enumerated attribute and the name people see for it (Okta's `oneOf` entries). */
export interface LabelledValue {
  const: string;
  title: string;
}

/**
 * One attribute of a profile schema, in the shape of Okta's UserSchemaAttribute (and GroupSchemaAttribute):
 * what the sandbox serves at the schema endpoints. Only `title`, `type` and `required` bear on what a
 * profile may hold in the sandbox; the rest is what an org's Profile Editor sets and Okta reports.
 */
export interface ProfileAttribute {
  title: string;
  type: ProfileAttributeType;
  description?: string;
  required?: boolean;
  enum?: Array<string | number>;
  oneOf?: LabelledValue[];
  /** The items of an array attribute. */
  items?: { type: 'string' | 'integer' | 'number'; enum?: Array<string | number>; oneOf?: LabelledValue[] };
  minLength?: number;
  maxLength?: number;
  format?: 'email' | 'uri' | 'country-code' | 'language-code' | 'locale' | 'timezone' | 'date-time';
  /** READ_ONLY: set by its source (an HR system, a directory), not through the profile. */
  mutability?: 'READ_ONLY' | 'READ_WRITE' | 'IMMUTABLE' | 'WRITE_ONLY';
  /** What the user may do with it in their own profile (principal SELF); READ_WRITE when not said. */
  selfAccess?: 'READ_ONLY' | 'READ_WRITE' | 'HIDE';
}

export interface UserProfileSchema {
  base: Readonly<Record<string, ProfileAttribute>>;
  custom: Record<string, ProfileAttribute>;
  created: string;
  lastUpdated: string;
}

const text = (title: string, required = false, more: Partial<ProfileAttribute> = {}): ProfileAttribute => ({
  title,
  type: 'string',
  ...(required ? { required } : {}),
  ...more,
});

/**
 * Okta's base user profile: the properties of `UserProfile` (and `UserSchemaBaseProperties`) in Okta's API
 * description, with the titles, lengths and formats of Okta's default user schema (its examples show them
 * for the four required ones). Okta fixes them; an org cannot remove one.
 */
const BASE_ATTRIBUTES: Readonly<Record<string, ProfileAttribute>> = {
  login: text('Username', true, { minLength: 5, maxLength: 100 }),
  firstName: text('First name', true, { minLength: 1, maxLength: 50 }),
  lastName: text('Last name', true, { minLength: 1, maxLength: 50 }),
  middleName: text('Middle name'),
  honorificPrefix: text('Honorific prefix'),
  honorificSuffix: text('Honorific suffix'),
  email: text('Primary email', true, { format: 'email' }),
  title: text('Title'),
  displayName: text('Display name'),
  nickName: text('Nickname'),
  profileUrl: text('Profile Url', false, { format: 'uri' }),
  secondEmail: text('Secondary email', false, { format: 'email' }),
  mobilePhone: text('Mobile phone', false, { maxLength: 100 }),
  primaryPhone: text('Primary phone', false, { maxLength: 100 }),
  streetAddress: text('Street address'),
  city: text('City'),
  state: text('State'),
  zipCode: text('Zip code'),
  countryCode: text('Country code', false, { format: 'country-code' }),
  postalAddress: text('Postal Address'),
  preferredLanguage: text('Preferred language', false, { format: 'language-code' }),
  locale: text('Locale', false, { format: 'locale' }),
  timezone: text('Time zone', false, { format: 'timezone' }),
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
 * The custom attributes of the sandbox org, one of each kind an admin adds in the Profile Editor: generated
 * users carry a badge number; contractors get a contract end date (the create-user action's example sets
 * one); the kind of employment is a list of values with names; the HR system's worker id is read-only (HR
 * writes it, not Okta's API clients); a whole number, a yes-or-no, a decimal number and a list of words.
 */
const SANDBOX_CUSTOM_ATTRIBUTES: Readonly<Record<string, ProfileAttribute>> = {
  badgeNumber: text('Badge number'),
  contractEndDate: text('Contract end date', false, {
    description: "Last day of a contractor's engagement, like 2027-03-31.",
    maxLength: 10,
  }),
  employeeType: text('Employee type', false, {
    description: 'How the person is employed.',
    enum: ['FTE', 'PART_TIME', 'CONTRACTOR', 'INTERN'],
    oneOf: [
      { const: 'FTE', title: 'Full-time employee' },
      { const: 'PART_TIME', title: 'Part-time employee' },
      { const: 'CONTRACTOR', title: 'Contractor' },
      { const: 'INTERN', title: 'Intern' },
    ],
  }),
  workerId: text('Worker ID', false, {
    description: "The HR system's id of the person, written by the HR import.",
    mutability: 'READ_ONLY',
    selfAccess: 'READ_ONLY',
  }),
  officeFloor: { title: 'Office floor', type: 'integer', description: "The floor of the person's desk." },
  remoteWorker: { title: 'Remote worker', type: 'boolean', description: 'Works away from the office.' },
  weeklyHours: { title: 'Weekly hours', type: 'number', description: 'Contracted hours per week.' },
  skills: {
    title: 'Skills',
    type: 'array',
    description: 'What the person is good at, one word or phrase each.',
    items: { type: 'string' },
  },
};

/** Each user type has its profile schema; Okta's schema id shares the type id's suffix (oty... / osc...). */
export function userSchemaIdOf(typeId: string): string {
  return `osc${typeId.slice(3)}`;
}

export function userSchemaOf(org: SandboxOrg): UserProfileSchema {
  return org.slice('userSchema', (o) => {
    const now = o.now();
    return {
      base: BASE_ATTRIBUTES,
      custom: { ...SANDBOX_CUSTOM_ATTRIBUTES },
      created: now,
      lastUpdated: now,
    };
  });
}

/** Adds a custom attribute to the org's user profile (as Okta's Profile Editor or schema API would). */
export function defineCustomAttribute(org: SandboxOrg, name: string, attribute: ProfileAttribute): void {
  const schema = userSchemaOf(org);
  if (name in schema.base) throw new Error(`${name} is a base attribute of Okta's user profile`);
  schema.custom[name] = attribute;
  schema.lastUpdated = org.now();
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
