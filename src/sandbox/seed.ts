/**
 * The sandbox org's data: a small, fixed cast for the demo and the tests (an admin, a handful of people in
 * departments, their groups and devices), and on request any number of realistic generated users
 * (names, logins, departments, titles, custom attributes), spread over department groups.
 */
import type { SandboxOrg } from './org.js';
import { seedApps } from './resources/apps/seed.js';
import { seedCredentials } from './resources/credentials/seed.js';
import { insertDevice } from './resources/devices/model.js';
import { seedEventHooks } from './resources/event-hooks/seed.js';
import { seedGroupRules } from './resources/group-rules/seed.js';
import { addMember, type GroupRecord, insertGroup } from './resources/groups/model.js';
import { seedRealms } from './resources/realms/seed.js';
import { seedRoles } from './resources/roles/seed.js';
import { seedSchemas } from './resources/schemas/seed.js';
import { seedSecurity } from './resources/security/seed.js';
import { seedUserTypes } from './resources/user-types/seed.js';
import { insertUser, type UserRecord } from './resources/users/model.js';
import type { SeededOrg } from './seeded-org.js';

export const SANDBOX_DOMAIN = 'example.com';
export const ADMIN_LOGIN = `sandbox.admin@${SANDBOX_DOMAIN}`;

const FIRST_NAMES = [
  'Jane',
  'Omar',
  'Mei',
  'Lukas',
  'Amara',
  'Diego',
  'Priya',
  'Noah',
  'Sofia',
  'Kenji',
  'Fatima',
  'Liam',
  'Chloe',
  'Mateo',
  'Aisha',
  'Ethan',
  'Yara',
  'Lucas',
  'Ingrid',
  'Tariq',
  'Elena',
  'Samuel',
  'Hana',
  'Victor',
];
const LAST_NAMES = [
  'Doe',
  'Haddad',
  'Chen',
  'Weber',
  'Okafor',
  'Garcia',
  'Patel',
  'Kim',
  'Rossi',
  'Tanaka',
  'Nasser',
  "O'Brien",
  'Dubois',
  'Silva',
  'Mensah',
  'Novak',
  'Larsen',
  'Moreau',
  'Singh',
  'Costa',
  'Ivanova',
  'Lindqvist',
  'Yamamoto',
  'Brennan',
];
const DEPARTMENTS: Array<{ name: string; titles: string[]; costCenter: string }> = [
  {
    name: 'Engineering',
    titles: ['Software Engineer', 'Site Reliability Engineer', 'Engineering Manager'],
    costCenter: 'CC-4410',
  },
  { name: 'Sales', titles: ['Account Executive', 'Sales Engineer', 'Sales Director'], costCenter: 'CC-2210' },
  { name: 'Finance', titles: ['Financial Analyst', 'Controller', 'Accountant'], costCenter: 'CC-3100' },
  { name: 'Support', titles: ['Support Engineer', 'Support Lead'], costCenter: 'CC-5120' },
  { name: 'People', titles: ['HR Business Partner', 'Recruiter'], costCenter: 'CC-1300' },
];
const CITIES = ['San Francisco', 'London', 'Berlin', 'Toronto', 'Singapore', 'Sydney', 'Paris'];

/** The fixed cast: same names and logins every time (ids follow the sandbox's random seed). */
export function seedBase(org: SandboxOrg): SeededOrg {
  const admin = insertUser(org, {
    profile: {
      login: ADMIN_LOGIN,
      email: ADMIN_LOGIN,
      firstName: 'Sandbox',
      lastName: 'Admin',
      title: 'IT Administrator',
      department: 'IT',
    },
    password: 'Sandbox-Admin-Passw0rd',
    activate: true,
    quiet: true,
  });
  const groups = seedGroups(org);
  const base: SeededOrg = { admin, groups, people: seedPeople(org, groups) };
  // Each resource family adds its own part (apps and assignments, roles, factors, zones, hooks, ...).
  for (const seedFamily of [
    seedUserTypes,
    seedRealms,
    seedApps,
    seedSchemas,
    seedGroupRules,
    seedRoles,
    seedCredentials,
    seedSecurity,
    seedEventHooks,
  ]) {
    seedFamily(org, base);
  }
  return base;
}

/** A group per department, and three more: VPN users, contractors, and one imported from Active Directory. */
function seedGroups(org: SandboxOrg): Record<string, GroupRecord> {
  const groups: Record<string, GroupRecord> = {};
  for (const department of DEPARTMENTS) {
    groups[department.name] = insertGroup(org, {
      profile: {
        name: department.name,
        description: `Everyone in ${department.name}`,
        costCenter: department.costCenter,
      },
      quiet: true,
    });
  }
  groups['VPN Users'] = insertGroup(org, {
    profile: { name: 'VPN Users', description: 'Remote network access' },
    quiet: true,
  });
  groups.Contractors = insertGroup(org, {
    profile: { name: 'Contractors', description: 'External staff' },
    quiet: true,
  });
  groups['AD: Domain Users'] = insertGroup(org, {
    profile: { name: 'AD: Domain Users', description: 'Imported from Active Directory' },
    type: 'APP_GROUP',
    quiet: true,
  });
  return groups;
}

/** The cast, each in their department's group (engineers in VPN Users too); ACTIVE people get a laptop. */
function seedPeople(org: SandboxOrg, groups: Record<string, GroupRecord>): Record<string, UserRecord> {
  const people: Array<[string, string, string, string, 'ACTIVE' | 'STAGED' | 'SUSPENDED']> = [
    ['Jane', 'Doe', 'Engineering', 'Software Engineer', 'ACTIVE'],
    ['Omar', 'Haddad', 'Engineering', 'Engineering Manager', 'ACTIVE'],
    ['Mei', 'Chen', 'Sales', 'Account Executive', 'ACTIVE'],
    ['Lukas', 'Weber', 'Finance', 'Controller', 'ACTIVE'],
    ['Amara', 'Okafor', 'Support', 'Support Lead', 'ACTIVE'],
    ['Diego', 'Garcia', 'Sales', 'Sales Engineer', 'SUSPENDED'],
    ['Priya', 'Patel', 'People', 'Recruiter', 'STAGED'],
  ];
  const cast: Record<string, UserRecord> = {};
  for (const [firstName, lastName, department, title, status] of people) {
    const login = `${firstName}.${lastName}@${SANDBOX_DOMAIN}`.toLowerCase();
    const user = insertUser(org, {
      profile: {
        login,
        email: login,
        firstName,
        lastName,
        department,
        title,
        employeeNumber: `E-${1000 + Object.keys(groups).length}`,
        // Custom attributes (resources/user-schema.ts): the HR import's worker id, the kind of employment.
        workerId: `W-${20410 + Object.keys(cast).length}`,
        employeeType: 'FTE',
      },
      ...(status !== 'STAGED' ? { password: 'Welcome-2-Okta!' } : {}),
      activate: status !== 'STAGED',
      quiet: true,
    });
    if (status === 'SUSPENDED') user.status = 'SUSPENDED';
    cast[login] = user;
    addMember(org, groups[department]!, user, true);
    if (department === 'Engineering') addMember(org, groups['VPN Users']!, user, true);
    if (status === 'ACTIVE') seedLaptop(org, user, { firstName, lastName, department });
  }
  return cast;
}

/** A registered, managed laptop: a MacBook for an engineer, a ThinkPad for everyone else. */
function seedLaptop(
  org: SandboxOrg,
  user: UserRecord,
  { firstName, lastName, department }: { firstName: string; lastName: string; department: string },
): void {
  insertDevice(
    org,
    {
      displayName: `${firstName}'s ${department === 'Engineering' ? 'MacBook Pro' : 'ThinkPad'}`,
      platform: department === 'Engineering' ? 'MACOS' : 'WINDOWS',
      manufacturer: department === 'Engineering' ? 'APPLE' : 'LENOVO',
      model: department === 'Engineering' ? 'MacBookPro18,1' : 'ThinkPad X1 Carbon Gen 11',
      osVersion: department === 'Engineering' ? '15.1.0' : '10.0.22631',
      serialNumber: `SN-${firstName.toUpperCase()}-${lastName.length}${firstName.length}042`,
      // What Okta Verify reports of a registered computer; a Windows one also has its security id.
      udid: `${firstName.toUpperCase().padEnd(8, 'X').slice(0, 8)}-0000-4000-8000-${(1000 + lastName.length).toString().padStart(12, '0')}`,
      ...(department === 'Engineering'
        ? {}
        : { sid: `S-1-5-21-3992267483-1860856704-2413701314-${1100 + firstName.length}` }),
      registered: true,
      managed: true,
      secureHardwarePresent: true,
      diskEncryptionType: 'ALL_INTERNAL_VOLUMES',
    },
    [{ user }],
    true,
  );
}

/** `count` generated users with realistic profiles, in their department's group; no log events. */
export function seedBulk(org: SandboxOrg, count: number, groups: Record<string, GroupRecord>): void {
  for (let i = 0; i < count; i++) {
    const firstName = org.ids.pick(FIRST_NAMES);
    const lastName = org.ids.pick(LAST_NAMES);
    const department = org.ids.pick(DEPARTMENTS);
    const login = `${firstName}.${lastName.replace(/'/g, '')}.${i}@${SANDBOX_DOMAIN}`.toLowerCase();
    const user = insertUser(org, {
      profile: {
        login,
        email: login,
        firstName,
        lastName,
        displayName: `${firstName} ${lastName}`,
        department: department.name,
        title: org.ids.pick(department.titles),
        costCenter: department.costCenter,
        employeeNumber: `E-${100000 + i}`,
        city: org.ids.pick(CITIES),
        badgeNumber: `B-${(i * 7919) % 1_000_000}`,
      },
      password: 'Welcome-2-Okta!',
      activate: org.ids.random() > 0.05,
      quiet: true,
    });
    const group = groups[department.name];
    if (group) addMember(org, group, user, true);
  }
}
