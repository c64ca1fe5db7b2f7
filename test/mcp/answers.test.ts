import { describe, expect, it } from 'vitest';
import { capped, errorAnswer, TEXT_LIMIT } from '../../src/mcp/answers.js';
import { AGENT_PAGE_SIZE, selectActions, toolOf } from '../../src/mcp/tools.js';

describe('MCP answers within a context budget', () => {
  it('cuts long text and says how to read on with the cursor', () => {
    const big = {
      users: Array.from({ length: 2000 }, (_, i) => ({ id: `00u${i}`, login: `u${i}@example.com` })),
      nextCursor: 'abc',
    };
    const text = capped(big, {});
    expect(text.length).toBeLessThanOrEqual(TEXT_LIMIT);
    expect(text).toContain('cursor "abc"');
    expect(text).toMatch(/cut at \d+ of \d+ characters/);
    expect(capped({ small: true }, {})).toBe(JSON.stringify({ small: true }));
  });

  it('stays within the limit, note and all, even with a long cursor', () => {
    const nextCursor = 'c'.repeat(8192);
    const text = capped(
      { users: Array.from({ length: 3000 }, (_, i) => ({ id: `00u${i}` })), nextCursor },
      {},
    );
    expect(text.length).toBeLessThanOrEqual(TEXT_LIMIT);
    expect(text.endsWith(`continue with cursor "${nextCursor}" (the answer's nextCursor).`)).toBe(true);
    const exact = 'x'.repeat(TEXT_LIMIT - 2);
    expect(capped(exact, {})).toBe(JSON.stringify(exact));
  });

  it('says where the whole answer is only when there is one', () => {
    const big = { items: 'y'.repeat(TEXT_LIMIT) };
    expect(capped(big, { whole: 'in the structured content' })).toContain(
      'the whole answer is in the structured content',
    );
    expect(capped(big, {})).not.toContain('structured content');
  });

  it('gives list tools a small default page and destructive tools a confirm field', () => {
    const all = selectActions({});
    const list = toolOf(all.find((a) => a.key === 'list-users')!, all);
    expect((list.inputSchema.properties as { maxItems: { default: number } }).maxItems.default).toBe(
      AGENT_PAGE_SIZE,
    );
    expect(list.description).toContain('Related tools:');
    const destructive = toolOf(all.find((a) => a.key === 'delete-user')!, all);
    expect((destructive.inputSchema.properties as { confirm: { type: string } }).confirm.type).toBe(
      'boolean',
    );
  });

  it('an error says what to do', () => {
    const answer = errorAnswer({
      code: 'RATE_LIMITED',
      message: 'slow down',
      retryable: true,
      retryAfterMs: 1000,
    });
    expect(answer.isError).toBe(true);
    expect(JSON.parse(answer.content[0]!.text).error).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterMs: 1000,
    });
  });
});
