import { afterEach, describe, expect, it } from 'vitest';
import { useSandbox } from '../helpers/sandbox.js';
import { type ClientOptions, connectClient, textOf } from './helpers.js';

const env = useSandbox();
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function connect(options?: ClientOptions) {
  const connected = await connectClient(env.sandbox, options);
  close = connected.close;
  return connected;
}

async function newGroup(): Promise<string> {
  const answer = await env.api.post('/api/v1/groups', { profile: { name: `Doomed ${Math.random()}` } });
  return answer.body.id;
}

const deletesSent = () => env.sandbox.served.filter((request) => request.method === 'DELETE');

describe('destructive tools', () => {
  it('without elicitation and without confirm: answers the plan and sends nothing', async () => {
    const { client } = await connect();
    const groupId = await newGroup();
    const result = await client.callTool({ name: 'delete-group', arguments: { groupId } });
    expect(result.isError).toBe(true);
    const { error } = JSON.parse(textOf(result));
    expect(error.code).toBe('CONFIRMATION_REQUIRED');
    expect(error.whatToDo).toContain('confirm: true');
    expect(error.plan.plan).toEqual([expect.objectContaining({ method: 'DELETE' })]);
    expect(deletesSent()).toEqual([]);
    expect((await env.api.get(`/api/v1/groups/${groupId}`)).status).toBe(200);
  });

  it('with confirm: true, runs', async () => {
    const { client } = await connect();
    const groupId = await newGroup();
    const result = await client.callTool({ name: 'delete-group', arguments: { groupId, confirm: true } });
    expect(result.isError).toBeFalsy();
    expect((result.structuredContent as { changed: boolean }).changed).toBe(true);
    expect((await env.api.get(`/api/v1/groups/${groupId}`)).status).toBe(404);
  });

  it('with elicitation declined: asks with the plan, sends nothing (confirm: true does not skip asking)', async () => {
    const { client, asked } = await connect({ elicit: () => 'decline' });
    const groupId = await newGroup();
    const result = await client.callTool({ name: 'delete-group', arguments: { groupId, confirm: true } });
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain(`DELETE /api/v1/groups/${groupId}`);
    expect(result.isError).toBe(true);
    expect(JSON.parse(textOf(result)).error.code).toBe('DECLINED');
    expect(deletesSent()).toEqual([]);
    expect((await env.api.get(`/api/v1/groups/${groupId}`)).status).toBe(200);
  });

  it('with elicitation accepted: runs', async () => {
    const { client, asked } = await connect({ elicit: () => 'accept' });
    const groupId = await newGroup();
    const result = await client.callTool({ name: 'delete-group', arguments: { groupId } });
    expect(asked).toHaveLength(1);
    expect(result.isError).toBeFalsy();
    expect((await env.api.get(`/api/v1/groups/${groupId}`)).status).toBe(404);
  });
});
