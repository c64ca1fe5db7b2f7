/**
 * Secret canary for the triggers: the connection's API token and the event hook's secret go in, and
 * neither may come out of subscribe(), unsubscribe(), poll(), the receiver (its answers, its problem
 * reports, the events it hands on), console or stdout/stderr, or the org's System Log; on success and on
 * failure (a wrong or a non-admin token, Okta failing, an endpoint that cannot be verified, bad input).
 * The one place a secret may appear is subscribe()'s `secret` output, when it made the secret itself.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { createEventHookHandler, poll, subscribe, unsubscribe } from '../../src/triggers/index.js';
import { CANARY_HOST, captureWrites, evidenceOf, leaksIn, needlesOf, outcome } from '../helpers/canary.js';
import { deliveryBody, membershipEvent } from './deliveries.js';
import { ALL_TRIGGERS, runPlaybook } from './playbook.js';
import { startReceiver, type TestReceiver } from './receiver-server.js';

const API_TOKEN = '00CanaryTriggerTokenR4t8Yq2Wm6Xz0Lp3Nk7';
const NON_ADMIN_TOKEN = '00CanaryTriggerNonAdminB5c9Df3Gh7Jk1Mn4';
const HOOK_SECRET = 'CanaryHookSecret-Vb7Nq2Xr9Tz4Kw8Lp';
const NEEDLES = needlesOf([API_TOKEN, NON_ADMIN_TOKEN, HOOK_SECRET]);
captureWrites(() => NEEDLES);

const sandboxes: Sandbox[] = [];
const receivers: TestReceiver[] = [];
afterEach(async () => {
  for (const receiver of receivers.splice(0)) await receiver.close();
  for (const sandbox of sandboxes.splice(0)) await sandbox.close();
});

async function setUp() {
  const sandbox = await startSandbox({ token: API_TOKEN });
  sandboxes.push(sandbox);
  sandbox.addToken(NON_ADMIN_TOKEN, { admin: false });
  const receiver = await startReceiver(ALL_TRIGGERS, { secret: HOOK_SECRET });
  receivers.push(receiver);
  const connection = { type: 'api_token', apiAddress: sandbox.url, apiToken: API_TOKEN };
  return { sandbox, receiver, connection };
}

function expectNoLeak(
  label: string,
  ran: { result?: unknown; thrown?: string },
  sandbox: Sandbox,
  receiver?: TestReceiver,
) {
  const evidence = evidenceOf(label, ran, sandbox);
  if (receiver) {
    evidence.push({ where: `${label}: receiver problems`, text: JSON.stringify(receiver.problems) });
    evidence.push({ where: `${label}: events handed on`, text: JSON.stringify(receiver.received) });
  }
  expect(leaksIn(evidence, NEEDLES)).toEqual([]);
}

describe('canary: triggers', () => {
  it('subscribe, deliveries, poll and unsubscribe, all succeeding', async () => {
    const { sandbox, receiver, connection } = await setUp();
    const subscribed = await outcome(() =>
      subscribe({ connection, triggers: ALL_TRIGGERS, url: receiver.url, secret: HOOK_SECRET }, CANARY_HOST),
    );
    expect(subscribed.result).toMatchObject({ ok: true, output: { verificationStatus: 'VERIFIED' } });
    const since = new Date(Date.now() - 1000).toISOString();
    await runPlaybook(sandbox);
    await sandbox.eventHookDeliveries.idle();
    await receiver.idle();
    expect(receiver.received.length).toBeGreaterThan(15);
    const polled = await outcome(() => poll({ connection, trigger: 'user-created', since }, CANARY_HOST));
    expect(polled.result).toMatchObject({ ok: true });
    const removed = await outcome(() => unsubscribe({ connection }, CANARY_HOST));
    expect(removed.result).toMatchObject({ ok: true, output: { changed: true } });
    for (const [label, ran] of [
      ['subscribe', subscribed],
      ['poll', polled],
      ['unsubscribe', removed],
    ] as const)
      expectNoLeak(label, ran, sandbox, receiver);
  });

  it('a secret subscribe makes appears in its output and nowhere else', async () => {
    const { sandbox, receiver, connection } = await setUp();
    const ran = await outcome(() =>
      subscribe({ connection, triggers: ALL_TRIGGERS, url: receiver.url }, CANARY_HOST),
    );
    const made = (ran.result as { output?: { secret?: string } }).output?.secret;
    expect(made).toEqual(expect.any(String));
    const { secret: _shown, ...rest } = (ran.result as { output: Record<string, unknown> }).output;
    expect(
      leaksIn([...evidenceOf('subscribe', { result: rest }, sandbox)], needlesOf([made ?? '', API_TOKEN])),
    ).toEqual([]);
  });

  const failures: Array<
    [string, (s: Sandbox) => void, (c: Record<string, unknown>) => Record<string, unknown>, string?]
  > = [
    ['a non-admin token', () => undefined, (c) => ({ ...c, apiToken: NON_ADMIN_TOKEN })],
    ['a wrong token', () => undefined, (c) => ({ ...c, apiToken: `${API_TOKEN}x` })],
    ['Okta failing (500)', (s) => void s.faults.add({ fault: { kind: 'status', status: 500 } }), (c) => c],
    ['an endpoint that cannot be verified', () => undefined, (c) => c, 'http://127.0.0.1:9/okta'],
  ];
  for (const [name, arrange, connectionOf, url] of failures) {
    it(`failing: ${name}`, async () => {
      const { sandbox, receiver, connection } = await setUp();
      arrange(sandbox);
      const used = connectionOf(connection);
      const subscribed = await outcome(() =>
        subscribe(
          { connection: used, triggers: ALL_TRIGGERS, url: url ?? receiver.url, secret: HOOK_SECRET },
          CANARY_HOST,
        ),
      );
      expect(subscribed.result).toMatchObject({ ok: false });
      const polled = await outcome(() => poll({ connection: used, trigger: 'user-created' }, CANARY_HOST));
      if (!url) expect(polled.result).toMatchObject({ ok: false });
      expectNoLeak('subscribe', subscribed, sandbox, receiver);
      expectNoLeak('poll', polled, sandbox, receiver);
    });
  }

  it('failing: bad input with the secret in the wrong places', async () => {
    const { sandbox, receiver, connection } = await setUp();
    const ran = await outcome(() =>
      subscribe(
        {
          connection,
          triggers: [{ key: 'user-added-to-group', input: { groupId: HOOK_SECRET, note: HOOK_SECRET } }],
          url: `https://${HOOK_SECRET}.example.com/`,
          secret: HOOK_SECRET,
        },
        CANARY_HOST,
      ),
    );
    expect(ran.result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expectNoLeak('subscribe', ran, sandbox, receiver);
  });

  it('the receiver refusing forged deliveries says nothing of the secret', async () => {
    const problems: string[] = [];
    const handler = await createEventHookHandler({
      secret: HOOK_SECRET,
      subscriptions: ALL_TRIGGERS,
      onEvent: () => undefined,
      onProblem: (problem) => problems.push(JSON.stringify(problem)),
    });
    const near = [HOOK_SECRET.slice(0, -1), `${HOOK_SECRET}0`, HOOK_SECRET.toLowerCase()];
    const answers: string[] = [];
    for (const secret of near) {
      const response = await handler.fetch(
        new Request('https://hooks.example.com/okta', {
          method: 'POST',
          headers: { authorization: secret },
          body: JSON.stringify(deliveryBody([membershipEvent()])),
        }),
      );
      answers.push(`${response.status} ${await response.text()}`);
    }
    expect(answers.every((a) => a.startsWith('401'))).toBe(true);
    expect(
      leaksIn(
        [
          { where: 'answers', text: answers.join('\n') },
          { where: 'problems', text: problems.join('\n') },
        ],
        NEEDLES,
      ),
    ).toEqual([]);
  });
});
