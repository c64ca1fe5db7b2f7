/** The base cast's applications and who is assigned to them. */
import type { SandboxOrg } from '../../org.js';
import type { SeededOrg } from '../../seeded-org.js';
import { groupsOf } from '../groups/model.js';
import { assignGroup, assignUser, insertApp } from './assignments.js';

/**
 * The base cast's apps: Salesforce (SAML, provisioning) for Sales, Slack for Everyone, GitHub for
 * Engineering, an OIDC expense portal for Finance, an IT help desk bookmark for Support, a legacy payroll
 * site signed into with SWA, and a retired wiki, INACTIVE, still assigned to Engineering.
 */
export function seedApps(org: SandboxOrg, base: SeededOrg): void {
  const quiet = true;
  const groups = base.groups;
  const person = (login: string) => base.people[login];
  const everyone = groupsOf(org).byId.get(groupsOf(org).everyoneId)!;

  const salesforce = insertApp(org, {
    kind: 'saml',
    name: 'salesforce',
    label: 'Salesforce.com',
    url: 'https://example-corp.my.salesforce.com/?so=00D000000000001',
    provisioning: true,
    quiet,
  });
  const slack = insertApp(org, {
    kind: 'saml',
    name: 'slack',
    label: 'Slack',
    url: 'https://example-corp.slack.com/sso/saml',
    userNameTemplate: 'email',
    quiet,
  });
  const github = insertApp(org, {
    kind: 'saml',
    name: 'githubcloud',
    label: 'GitHub Enterprise Cloud',
    url: 'https://github.com/orgs/example-corp/saml/consume',
    userNameTemplate: 'loginPrefix',
    quiet,
  });
  const expenses = insertApp(org, {
    kind: 'oidc',
    label: 'Expense Portal',
    url: 'https://expenses.example.com',
    quiet,
  });
  const helpDesk = insertApp(org, {
    kind: 'bookmark',
    label: 'IT Help Desk',
    url: 'https://helpdesk.example.com/portal',
    quiet,
  });
  const payroll = insertApp(org, {
    kind: 'swa',
    label: 'Legacy Payroll',
    url: 'https://payroll.example.com/login.aspx',
    quiet,
  });
  const wiki = insertApp(org, {
    kind: 'bookmark',
    label: 'Engineering Wiki (retired)',
    url: 'https://wiki.example.com',
    status: 'INACTIVE',
    quiet,
  });

  assignGroup(org, salesforce, groups.Sales!, {
    profile: { role: 'Sales', profile: 'Standard User' },
    quiet,
  });
  assignGroup(org, slack, everyone, { quiet });
  assignGroup(org, github, groups.Engineering!, { quiet });
  assignGroup(org, expenses, groups.Finance!, { quiet });
  assignGroup(org, helpDesk, groups.Support!, { quiet });
  assignGroup(org, wiki, groups.Engineering!, { quiet });

  const lukas = person('lukas.weber@example.com');
  if (lukas) {
    assignUser(org, salesforce, lukas, { profile: { role: 'Finance', profile: 'Read Only' }, quiet });
    assignUser(org, payroll, lukas, { userName: 'lweber', password: 'Payroll-Sandbox-1', quiet });
  }
  assignUser(org, expenses, base.admin, { quiet });
  assignUser(org, helpDesk, base.admin, { quiet });
}
