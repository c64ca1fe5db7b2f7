import { afterEach, describe, expect, it } from 'vitest';
import { manifest } from '../../src/manifest/manifest.js';
import { AGENT_PAGE_SIZE } from '../../src/mcp/tools.js';
import { useSandbox } from '../helpers/sandbox.js';
import { connectClient, textOf } from './helpers.js';

const env = useSandbox();
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function connect(options?: Parameters<typeof connectClient>[1]) {
  const connected = await connectClient(env.sandbox, options);
  close = connected.close;
  return connected;
}

describe('MCP tools from the manifest', () => {
  it('lists every action as a tool, with its schemas and annotations', async () => {
    // Unchecked: test-connection would hide get-user-info, which needs a person's OAuth sign-in.
    const { client } = await connect({ checkCapabilities: false });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual([...manifest.actions.map((a) => a.key), 'explain-hidden-tools']);
    for (const action of manifest.actions) {
      const tool = tools.find((t) => t.name === action.key)!;
      expect(tool.title).toBe(action.title);
      expect(tool.description).toContain(action.description);
      expect(tool.outputSchema).toEqual(action.output);
      const { confirm, maxItems, ...properties } = tool.inputSchema.properties as Record<string, unknown>;
      const { maxItems: actionMaxItems, ...actionProperties } = (
        action.input as { properties: Record<string, unknown> }
      ).properties;
      expect(properties).toEqual(actionProperties);
      expect(maxItems === undefined).toBe(actionMaxItems === undefined);
      expect(confirm !== undefined).toBe(action.annotations.destructive);
      expect(tool.inputSchema.required).toEqual((action.input as { required?: string[] }).required);
      expect(tool.annotations).toEqual({
        title: action.title,
        readOnlyHint: action.annotations.readOnly,
        destructiveHint: action.annotations.destructive,
        idempotentHint: action.annotations.idempotent,
        openWorldHint: true,
      });
    }
  });

  it('selects tools: read-only, by action, by category', async () => {
    const readOnly = await connect({ selection: { readOnly: true }, checkCapabilities: false });
    const { tools } = await readOnly.client.listTools();
    expect(tools.length).toBe(manifest.actions.filter((a) => a.annotations.readOnly).length + 1);
    expect(tools.every((t) => t.annotations?.readOnlyHint)).toBe(true);
    await readOnly.close();
    const some = await connect({
      selection: { actions: ['get-user', 'list-groups'], categories: ['Users', 'Groups'] },
    });
    expect((await some.client.listTools()).tools.map((t) => t.name)).toEqual([
      'get-user',
      'list-groups',
      'explain-hidden-tools',
    ]);
  });

  it('reads: a user, as structured content and text, with no credential in the answer', async () => {
    const { client } = await connect();
    const result = await client.callTool({ name: 'get-user', arguments: { user: 'jane.doe@example.com' } });
    expect(result.isError).toBeFalsy();
    expect((result.structuredContent as { login: string }).login).toBe('jane.doe@example.com');
    expect(JSON.parse(textOf(result))).toEqual(result.structuredContent);
    expect(JSON.stringify(result)).not.toContain(env.sandbox.token);
  });

  it('answers a small page from list tools unless maxItems says more', async () => {
    const { client } = await connect();
    const result = await client.callTool({ name: 'list-users', arguments: {} });
    const output = result.structuredContent as { users: unknown[]; nextCursor?: string };
    expect(output.users.length).toBeLessThanOrEqual(AGENT_PAGE_SIZE);
  });

  it('creates, then changes nothing on a repeat', async () => {
    const { client } = await connect();
    const created = await client.callTool({ name: 'create-group', arguments: { name: 'MCP Testers' } });
    expect(created.isError).toBeFalsy();
    const { id: groupId, changed } = created.structuredContent as { id: string; changed: boolean };
    expect(changed).toBe(true);
    const args = { groupId, user: 'jane.doe@example.com' };
    const first = await client.callTool({ name: 'add-user-to-group', arguments: args });
    expect((first.structuredContent as { changed: boolean }).changed).toBe(true);
    const again = await client.callTool({ name: 'add-user-to-group', arguments: args });
    expect((again.structuredContent as { changed: boolean }).changed).toBe(false);
  });

  it('answers an error as a result with isError: code, message and what to do', async () => {
    const { client } = await connect();
    const result = await client.callTool({ name: 'get-user', arguments: { user: 'nobody@example.com' } });
    expect(result.isError).toBe(true);
    const { error } = JSON.parse(textOf(result));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBeTruthy();
    expect(error.whatToDo).toBeTruthy();
    expect(textOf(result)).not.toContain(env.sandbox.token);
  });

  it('offers the playbook prompts whose tools it lists, and fills one in', async () => {
    const { client } = await connect();
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(['onboard-user', 'offboard-user', 'lost-device']);
    const filled = await client.getPrompt({
      name: 'offboard-user',
      arguments: { user: 'jane.doe@example.com' },
    });
    const text = (filled.messages[0]!.content as { text: string }).text;
    expect(text).toContain('offboard-user');
    expect(text).toContain('"jane.doe@example.com"');
    await expect(client.getPrompt({ name: 'offboard-user', arguments: {} })).rejects.toThrow(/user/);
    await close?.();
    const readOnly = await connect({ selection: { readOnly: true } });
    expect((await readOnly.client.listPrompts()).prompts).toEqual([]);
  });
});
