/**
 * What the sandbox's apps tests share: the seeded people and apps by name, and reading an app's lists from
 * the test's sandbox through its API.
 */
import { expect } from 'vitest';
import type { RawAnswer, useSandbox } from './sandbox.js';
import { appIdOf, groupIdOf, userIdOf } from './sandbox-data.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read Okta's JSON freely; the sandbox checks its shape.
export type Json = Record<string, any>;

export const JANE = 'jane.doe@example.com';
export const OMAR = 'omar.haddad@example.com';
export const MEI = 'mei.chen@example.com';
export const LUKAS = 'lukas.weber@example.com';
export const DIEGO = 'diego.garcia@example.com';
export const PRIYA = 'priya.patel@example.com';

export const SALESFORCE = 'Salesforce.com';
export const SLACK = 'Slack';
export const GITHUB = 'GitHub Enterprise Cloud';
export const EXPENSES = 'Expense Portal';
export const HELP_DESK = 'IT Help Desk';
export const PAYROLL = 'Legacy Payroll';
export const WIKI = 'Engineering Wiki (retired)';

export function nextLink(answer: RawAnswer): string | undefined {
  const header = answer.headers.get('link') ?? '';
  return /<([^>]+)>; rel="next"/.exec(header)?.[1];
}

export function expectOktaError(answer: RawAnswer, status: number, errorCode: string, summary?: string) {
  expect(answer.status).toBe(status);
  expect(answer.body.errorCode).toBe(errorCode);
  if (summary !== undefined) expect(answer.body.errorSummary).toBe(summary);
}

/** Lookups and reads against the sandbox the test file holds (`useSandbox()`), fresh for each test. */
export function appsTestKit(ctx: ReturnType<typeof useSandbox>) {
  /** Follows rel="next" links from `path`, returning each page's items. */
  async function allPages(path: string) {
    const pages: Array<Array<{ id: string }>> = [];
    let next: string | undefined = path;
    while (next) {
      const answer = await ctx.api.get(next.replace(ctx.sandbox.url, ''));
      expect(answer.status).toBe(200);
      pages.push(answer.body);
      next = nextLink(answer);
      if (next) expect(new URL(next).searchParams.get('after')).toBeTruthy();
    }
    return pages;
  }

  const appId = (label: string) => appIdOf(ctx.sandbox, label);

  async function appUsers(label: string, query = '') {
    const answer = await ctx.api.get(`/api/v1/apps/${appId(label)}/users${query}`);
    expect(answer.status).toBe(200);
    return answer.body as Array<Json & { id: string; scope: string }>;
  }

  return {
    userId: (login: string) => userIdOf(ctx.sandbox, login),
    groupId: (name: string) => groupIdOf(ctx.sandbox, name),
    appId,
    events: (): string[] => ctx.sandbox.org.log.eventTypes(),
    allPages,
    appUsers,
    appUserIds: async (label: string): Promise<string[]> => (await appUsers(label)).map((u) => u.id),
  };
}
