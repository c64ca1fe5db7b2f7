/**
 * A 100,000-user org through the MCP server: list-users answers a small page with a cursor (and reads one
 * page from Okta for it, not the whole list), the cursor continues without repeats, and a large maxItems
 * gives every item asked for as structured content while the text stays within TEXT_LIMIT (its note
 * included) and says how to continue. The agent page's text is whole: it fits the limit.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capped, TEXT_LIMIT } from '../../src/mcp/answers.js';
import { AGENT_PAGE_SIZE } from '../../src/mcp/tools.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { connectClient, textOf } from './helpers.js';

const USERS = 100_000;

interface UserPage {
  users: { id: string }[];
  count: number;
  nextCursor: string | null;
}

let sandbox: Sandbox;
let client: Client;
let close: () => Promise<void>;

beforeAll(async () => {
  // Seeding 100k users takes seconds and some 200 MB; one org for the whole file.
  sandbox = await startSandbox({ seed: USERS, rateLimit: { perMinute: 1_000_000 } });
  ({ client, close } = await connectClient(sandbox));
}, 120_000);

afterAll(async () => {
  await close?.();
  const violations = sandbox?.contractViolations ?? [];
  const requests = sandbox?.requestViolations ?? [];
  await sandbox?.close();
  expect(violations, "sandbox answers that break Okta's API description").toEqual([]);
  expect(requests, "requests to the sandbox that break Okta's API description").toEqual([]);
});

/** The list-users requests the sandbox served while `run` ran. */
async function usersRequestsDuring<T>(run: () => Promise<T>): Promise<{ value: T; requests: number }> {
  const before = sandbox.served.length;
  const value = await run();
  const requests = sandbox.served.slice(before).filter((r) => r.path.startsWith('/api/v1/users')).length;
  return { value, requests };
}

async function listUsers(args: Record<string, unknown>) {
  const result = await client.callTool({ name: 'list-users', arguments: args });
  expect(result.isError, textOf(result)).toBeFalsy();
  return { result, page: result.structuredContent as unknown as UserPage, text: textOf(result) };
}

/**
 * The answer's text is capped() of its structured content: at most TEXT_LIMIT characters, note included;
 * a cut text is the start of the page's JSON and names the cursor to continue with; a whole one is the page.
 */
function expectCapped(text: string, page: UserPage) {
  expect(text).toBe(capped(page, { whole: 'in the structured content' }));
  expect(text.length).toBeLessThanOrEqual(TEXT_LIMIT);
  const whole = JSON.stringify(page);
  if (whole.length <= TEXT_LIMIT) {
    expect(JSON.parse(text)).toEqual(page);
    return;
  }
  const kept = Number(new RegExp(`cut at (\\d+) of ${whole.length} characters`).exec(text)?.[1]);
  expect(kept).toBeGreaterThan(TEXT_LIMIT / 2);
  expect(text.startsWith(whole.slice(0, kept))).toBe(true);
  expect(text).toContain(`continue with cursor "${page.nextCursor}"`);
}

describe(`list-users on a ${USERS.toLocaleString('en')}-user org, through MCP`, () => {
  it('answers the agent page and a cursor, reading one page from Okta', async () => {
    const { value, requests } = await usersRequestsDuring(() => listUsers({}));
    const { page, text } = value;
    expect(page.users).toHaveLength(AGENT_PAGE_SIZE);
    expect(page.count).toBe(AGENT_PAGE_SIZE);
    expect(page.nextCursor).toEqual(expect.any(String));
    expectCapped(text, page);
    // The agent page is small enough to read whole.
    expect(JSON.parse(text)).toEqual(page);
    // One request to Okta for the page (not 200 users, not the 100,000).
    expect(requests).toBe(1);
  });

  it('continues with the cursor: the next page, none repeated', async () => {
    const first = (await listUsers({})).page;
    const { value, requests } = await usersRequestsDuring(() => listUsers({ cursor: first.nextCursor }));
    const second = value.page;
    expect(second.users).toHaveLength(AGENT_PAGE_SIZE);
    expect(second.nextCursor).toEqual(expect.any(String));
    expect(second.nextCursor).not.toBe(first.nextCursor);
    const ids = [...first.users, ...second.users].map((user) => user.id);
    expect(new Set(ids).size).toBe(2 * AGENT_PAGE_SIZE);
    expectCapped(value.text, second);
    expect(requests).toBe(1);
  });

  it('a large maxItems: every item as structured content, the text cut and saying how to continue', async () => {
    const maxItems = 5_000;
    const { value, requests } = await usersRequestsDuring(() => listUsers({ maxItems }));
    const { page, text } = value;
    expect(page.users).toHaveLength(maxItems);
    expect(page.count).toBe(maxItems);
    expect(new Set(page.users.map((user) => user.id)).size).toBe(maxItems);
    expect(page.nextCursor).toEqual(expect.any(String));
    expect(JSON.stringify(page).length).toBeGreaterThan(TEXT_LIMIT);
    expectCapped(text, page);
    // 200 users a page from Okta: the 5,000 asked for, not the 100,000 there are.
    expect(requests).toBe(maxItems / 200);
    const next = (await listUsers({ cursor: page.nextCursor })).page;
    const seen = new Set(page.users.map((user) => user.id));
    expect(next.users).toHaveLength(AGENT_PAGE_SIZE);
    expect(next.users.filter((user) => seen.has(user.id))).toEqual([]);
  });
});
