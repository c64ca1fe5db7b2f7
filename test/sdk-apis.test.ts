/**
 * The SDK's API groups built from each group's own modules (src/transport/sdk-apis.ts), against the SDK's
 * own Client: every typed call a handler makes sends the same request and answers the same model (or the
 * same error), and the SDK's index is never loaded for them. Each parameter gets a value of its own, so a
 * parameter handed on in the wrong order shows in the request.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { resolveConnection } from '../src/connection/connection.js';
import { getOktaClient } from '../src/transport/client-factory.js';
import operations from '../src/transport/sdk-operations.gen.json';
import { connection, ORG, TOKEN } from './helpers/okta-mock.js';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..');

/** Every `okta.sdk.<group>.<method>` of the handlers and the domain helpers. */
function typedCallsOfHandlers(): Array<[group: string, method: string]> {
  const files = [
    ...readdirSync(join(root, 'actions')).map((key) => join(root, 'actions', key, 'handler.ts')),
    ...readdirSync(join(root, 'src/domain')).map((file) => join(root, 'src/domain', file)),
  ];
  const calls = new Set<string>();
  for (const file of files) {
    for (const match of readFileSync(file, 'utf8').matchAll(/sdk\.(\w+Api)\.(\w+)\(/g))
      calls.add(`${match[1]}.${match[2]}`);
  }
  return [...calls].sort().map((call) => call.split('.') as [string, string]);
}

interface Sent {
  method: string;
  path: string;
  body: string;
  headers: Record<string, unknown>;
}

/** Calls `group.method` with a distinct value per parameter and records the request it sent. */
async function sendThrough(client: Record<string, Record<string, unknown>>, group: string, method: string) {
  const apiName = (operations.properties as Record<string, string>)[group]!;
  const names = (operations.apis as Record<string, Record<string, string[]>>)[apiName]![method]!;
  const sent: Sent[] = [];
  for (const verb of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
    nock(ORG)
      .persist()
      .intercept(/.*/, verb)
      .reply(function (path, body) {
        const { accept, 'content-type': contentType, 'if-match': ifMatch } = this.req.headers;
        sent.push({
          method: this.req.method,
          path,
          body: typeof body === 'string' ? body : JSON.stringify(body),
          headers: { accept, contentType, ifMatch },
        });
        return [200, { id: '00u1', profile: { login: 'jane.doe@example.com' } }];
      });
  }
  const param = Object.fromEntries(names.map((name) => [name, `value-of-${name}`]));
  let outcome: unknown;
  try {
    const result = await (client[group]![method] as (p: unknown) => Promise<unknown>)(param);
    outcome = { class: result?.constructor?.name, json: JSON.stringify(result) };
  } catch (error) {
    outcome = { error: (error as Error).name, message: (error as Error).message };
  }
  nock.cleanAll();
  return { sent, outcome };
}

describe("the SDK's API groups, built from their own modules", () => {
  const calls = typedCallsOfHandlers();

  it('cover every typed call of the handlers', () => {
    expect(calls.length).toBeGreaterThan(40);
    const table = operations.apis as Record<string, Record<string, string[]>>;
    const properties = operations.properties as Record<string, string>;
    const missing = calls.filter(([group, method]) => !table[properties[group] ?? '']?.[method]);
    expect(missing).toEqual([]);
  });

  it("send the same requests and answer the same models as the SDK's own client", async () => {
    const ours = (await getOktaClient(await resolveConnection(connection))) as unknown as Record<
      string,
      Record<string, unknown>
    >;
    const sdkIndex = require('@okta/okta-sdk-nodejs');
    const theirs = new sdkIndex.Client({ orgUrl: ORG, token: TOKEN, cacheMiddleware: null });
    for (const [group, method] of calls) {
      const expected = await sendThrough(theirs, group, method);
      const actual = await sendThrough(ours, group, method);
      expect(actual, `${group}.${method}`).toEqual(expected);
      expect(actual.sent.length, `${group}.${method}`).toBe(1);
    }
  });

  it("answer a refusal with the SDK's own OktaApiError", async () => {
    const client = await getOktaClient(await resolveConnection(connection));
    nock(ORG)
      .post('/api/v1/users/00u1/lifecycle/suspend')
      .reply(404, { errorCode: 'E0000007', errorSummary: 'Not found: Resource not found: 00u1 (User)' });
    const error = await client.userApi.suspendUser({ userId: '00u1' }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(require('@okta/okta-sdk-nodejs').OktaApiError);
    expect(error).toMatchObject({ status: 404, errorCode: 'E0000007' });
  });
});
