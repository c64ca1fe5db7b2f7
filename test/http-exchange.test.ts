import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:net';
import { gzipSync } from 'node:zlib';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { startExchange } from '../src/http/http-exchange.js';
import { execute } from '../src/index.js';
import { fakeUser } from './helpers/fixtures.js';
import { connection, ORG, oktaMock } from './helpers/okta-mock.js';

const agent = new HttpsAgent({ keepAlive: true });
const URL_OF_JANE = `${ORG}/api/v1/users/jane`;

describe('one HTTP exchange (src/http/http-exchange.ts)', () => {
  it('asks for gzip and inflates a gzipped answer', async () => {
    const user = fakeUser();
    nock(ORG, { reqheaders: { 'accept-encoding': 'gzip' } })
      .get('/api/v1/users/jane')
      .reply(200, gzipSync(JSON.stringify(user)), {
        'Content-Type': 'application/json',
        'Content-Encoding': 'gzip',
      });
    const answer = await startExchange(URL_OF_JANE, { method: 'GET', headers: {} }, agent).answer;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body.toString('utf8'))).toEqual(user);
  });

  it('execute() reads a gzipped Okta answer like any other', async () => {
    const user = fakeUser({ id: '00ugzip000000000000' });
    oktaMock()
      .get('/api/v1/users/00ugzip000000000000')
      .reply(200, gzipSync(JSON.stringify(user)), {
        'Content-Type': 'application/json',
        'Content-Encoding': 'gzip',
      });
    const result = await execute('get-user', { connection, input: { user: '00ugzip000000000000' } });
    expect(result.ok && result.output.user.id).toBe('00ugzip000000000000');
  });

  it('fails a body that claims gzip but is not, as a network failure (never a half-read answer)', async () => {
    nock(ORG)
      .get('/api/v1/users/jane')
      .reply(200, Buffer.from('not gzip at all'), { 'Content-Encoding': 'gzip' });
    const failure = startExchange(URL_OF_JANE, { method: 'GET', headers: {} }, agent).answer;
    await expect(failure).rejects.toMatchObject({
      name: 'FetchError',
      type: 'system',
      code: 'Z_DATA_ERROR',
      message: expect.stringContaining(`request to ${URL_OF_JANE} failed, reason:`),
    });
  });

  it("leaves a caller's own Accept-Encoding alone (one header, theirs)", async () => {
    nock(ORG, { reqheaders: { 'accept-encoding': 'identity' } })
      .get('/api/v1/users/jane')
      .reply(200, {});
    const answer = await startExchange(
      URL_OF_JANE,
      { method: 'GET', headers: { 'accept-encoding': 'identity' } },
      agent,
    ).answer;
    expect(answer.status).toBe(200);
  });

  it('sends the body with its length in bytes', async () => {
    const body = JSON.stringify({ profile: { nickName: 'Zoë' } });
    nock(ORG, { reqheaders: { 'content-length': String(Buffer.byteLength(body)) } })
      .post('/api/v1/users/jane', (sent) => sent.profile.nickName === 'Zoë')
      .reply(200, {});
    const answer = await startExchange(
      URL_OF_JANE,
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body },
      agent,
    ).answer;
    expect(answer.status).toBe(200);
    expect(Buffer.byteLength(body)).toBe(body.length + 1); // the ë is two bytes: length, not characters
  });

  it('reads headers as fetch does: any case, repeated values joined, absent ones null', async () => {
    nock(ORG)
      .get('/api/v1/users')
      .reply(
        200,
        [],
        [
          'Link',
          '<https://acme.okta.com/api/v1/users?limit=2>; rel="self"',
          'Link',
          '<https://acme.okta.com/api/v1/users?after=x&limit=2>; rel="next"',
          'X-Rate-Limit-Remaining',
          '599',
        ],
      );
    const { headers } = await startExchange(`${ORG}/api/v1/users`, { method: 'GET', headers: {} }, agent)
      .answer;
    expect(headers.get('link')).toBe(
      '<https://acme.okta.com/api/v1/users?limit=2>; rel="self", <https://acme.okta.com/api/v1/users?after=x&limit=2>; rel="next"',
    );
    expect(headers.get('X-RATE-LIMIT-REMAINING')).toBe('599');
    expect(headers.get('x-rate-limit-reset')).toBeNull();
    const seen: string[] = [];
    headers.forEach((_value, name) => {
      seen.push(name);
    });
    expect(seen).toEqual([...seen].sort());
    expect(seen).toEqual(expect.arrayContaining(['link', 'x-rate-limit-remaining']));
  });

  it("gives a network failure node-fetch's FetchError shape, which retries and the error mapper read", async () => {
    nock(ORG)
      .get('/api/v1/users/jane')
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    await expect(
      startExchange(URL_OF_JANE, { method: 'GET', headers: {} }, agent).answer,
    ).rejects.toMatchObject({
      name: 'FetchError',
      type: 'system',
      code: 'ECONNRESET',
      message: `request to ${URL_OF_JANE} failed, reason: socket hang up`,
    });
  });

  it('abort() ends the exchange at once with an AbortError', async () => {
    nock(ORG).get('/api/v1/users/jane').delay(10_000).reply(200, {});
    const exchange = startExchange(URL_OF_JANE, { method: 'GET', headers: {} }, agent);
    exchange.abort();
    await expect(exchange.answer).rejects.toMatchObject({ name: 'AbortError' });
  });
});

// Real sockets: nock (active in every test process) replaces the socket layer and would hide how a real
// connection ends.
describe('an answer cut short on a real socket', () => {
  let server: Server | undefined;
  afterEach(() => {
    nock.activate();
    server?.close();
  });

  it('fails at once when the connection closes before Content-Length bytes came', async () => {
    server = createServer((socket) => {
      socket.once('data', () => {
        socket.end(
          'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"id":"00u',
        );
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/users/jane`;
    nock.restore();
    await expect(
      startExchange(url, { method: 'GET', headers: {} }, new HttpAgent({ keepAlive: true })).answer,
    ).rejects.toMatchObject({
      name: 'FetchError',
      code: 'ERR_STREAM_PREMATURE_CLOSE',
      message: `request to ${url} failed, reason: the connection closed before the answer was complete`,
    });
  });
});
