#!/usr/bin/env node
import { join } from 'node:path';
/**
 * Triggers: how fast the event hook receiver takes deliveries, and how far behind a System Log poll is.
 *
 *   receiver  handler.fetch() of okta-actions/triggers on one core: deliveries of one event each, with
 *             fresh event ids (so deduplication never short-cuts), until every event reached onEvent;
 *             against a bare handler that only reads the body and parses the JSON (the floor), measured
 *             in the same run, the two kinds alternating in rounds.
 *   polling   the lag from an event being written (an action run against an in-process sandbox) to poll()
 *             returning it, polling every --interval ms; the round trip of one empty poll is the floor.
 * Goals: the receiver's time per event <= 5x the bare parse. A benchmark, not a test: it never fails the build.
 *
 *   node bench/triggers.mjs [--events 4000] [--rounds 5] [--interval 250] [--samples 40]
 */
import { pathToFileURL } from 'node:url';
import { argument, ensureBuilt, loadPlugin, loadSandbox, median, percentile, report, root } from './lib.mjs';

const EVENTS = argument('events', 4000);
const ROUNDS = argument('rounds', 5);
const INTERVAL_MS = argument('interval', 250);
const SAMPLES = argument('samples', 40);
const SECRET = 'bench-hook-secret-0123456789';

function delivery(index) {
  const uuid = `00000000-0000-4000-a000-${String(index).padStart(12, '0')}`;
  return JSON.stringify({
    eventType: 'com.okta.event_hook',
    eventTypeVersion: '1.0',
    cloudEventsVersion: '0.1',
    source: 'https://acme.okta.com/api/v1/eventHooks/who8vt36qfNpCGz9H1e6',
    eventId: uuid,
    eventTime: new Date().toISOString(),
    contentType: 'application/json',
    data: {
      events: [
        {
          uuid,
          published: new Date().toISOString(),
          eventType: 'user.lifecycle.deactivate',
          version: '0',
          severity: 'INFO',
          displayMessage: 'Deactivate Okta user',
          actor: {
            id: '00u1adminAAAAAAAAAAA',
            type: 'User',
            alternateId: 'it.admin@example.com',
            displayName: 'IT Admin',
          },
          client: { ipAddress: '198.51.100.23', userAgent: { rawUserAgent: 'Mozilla/5.0' } },
          outcome: { result: 'SUCCESS' },
          target: [
            {
              id: '00ub0oNGTSWTBKOLGLNR',
              type: 'User',
              alternateId: 'jane.doe@example.com',
              displayName: 'Jane Doe',
            },
          ],
          transaction: { type: 'WEB', id: 'ZxYwVuTsRqPoNmLkJiHg' },
        },
      ],
    },
  });
}

const request = (body) =>
  new Request('https://hooks.example.com/okta', { method: 'POST', headers: { authorization: SECRET }, body });

async function receiverScenario() {
  ensureBuilt();
  const { createEventHookHandler } = await import(pathToFileURL(join(root, 'dist/triggers.js')).href);
  let delivered = 0;
  const handler = await createEventHookHandler({
    secret: SECRET,
    subscriptions: [{ key: 'user-deactivated' }],
    onEvent: () => {
      delivered += 1;
    },
  });
  const bare = async (req) => {
    JSON.parse(await req.text());
    return new Response(null, { status: 200 });
  };
  let next = 0;
  const kinds = {
    bare: async (n) => {
      for (let i = 0; i < n; i++) await bare(request(delivery(next++)));
    },
    receiver: async (n) => {
      const before = delivered;
      for (let i = 0; i < n; i++) await handler.fetch(request(delivery(next++)));
      await handler.idle();
      if (delivered - before !== n)
        throw new Error(`receiver: ${delivered - before} of ${n} events delivered`);
    },
  };
  await kinds.bare(300);
  await kinds.receiver(300);
  const perEvent = { bare: [], receiver: [] };
  const ratios = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 ? ['receiver', 'bare'] : ['bare', 'receiver'];
    const times = {};
    for (const kind of order) {
      const started = process.hrtime.bigint();
      await kinds[kind](EVENTS);
      times[kind] = Number(process.hrtime.bigint() - started) / 1e3 / EVENTS;
      perEvent[kind].push(times[kind]);
    }
    ratios.push(times.receiver / times.bare);
  }
  const bareUs = median(perEvent.bare);
  const receiverUs = median(perEvent.receiver);
  return report(
    `Receiver: ${EVENTS} deliveries x ${ROUNDS} rounds, one event each (us per event; events per second below)`,
    [
      {
        measure: 'time per event',
        baseline: bareUs,
        figure: receiverUs,
        unit: 'us',
        ratio: median(ratios),
        goal: 5,
      },
    ],
    [
      `bare parse: ${Math.round(1e6 / bareUs)} events/s; receiver: ${Math.round(1e6 / receiverUs)} events/s (median of rounds)`,
    ],
  );
}

async function pollingScenario() {
  const { execute } = await loadPlugin();
  const { startSandbox } = await loadSandbox();
  const { poll } = await import(pathToFileURL(join(root, 'dist/triggers.js')).href);
  const sandbox = await startSandbox({ rateLimit: 100_000_000 });
  const connection = { type: 'api_token', apiAddress: sandbox.url, apiToken: sandbox.token };
  const options = { allowLoopback: true };
  try {
    const first = await poll({ connection, trigger: 'user-created' }, options);
    if (!first.ok) throw new Error(first.error.message);
    let cursor = first.output.cursor;
    const written = new Map();
    const lags = [];
    const roundTrips = [];
    let writing = true;
    // The poller: a host's loop, polling every INTERVAL_MS, on its own schedule.
    const poller = (async () => {
      while (writing || lags.length < written.size) {
        const started = Date.now();
        const result = await poll({ connection, trigger: 'user-created', cursor }, options);
        if (!result.ok) throw new Error(result.error.message);
        cursor = result.output.cursor;
        roundTrips.push(Date.now() - started);
        for (const event of result.output.events) {
          const at = written.get(event.user?.login);
          if (at !== undefined) lags.push(Date.now() - at);
        }
        await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
      }
    })();
    // The writer: events at random moments, as they happen in an org.
    for (let sample = 0; sample < SAMPLES; sample++) {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * INTERVAL_MS * 2));
      const login = `lag.${sample}.${Date.now()}@example.com`;
      const profile = { login, email: login, firstName: 'Lag', lastName: String(sample) };
      written.set(login, Date.now());
      const created = await execute('create-user', { connection, input: { profile } }, options);
      if (!created.ok) throw new Error(created.error.message);
    }
    writing = false;
    await poller;
    return report(
      `Polling lag: ${SAMPLES} events at random moments, a poll every ${INTERVAL_MS} ms (ms from the write to poll() returning it)`,
      [
        { measure: 'lag p50', baseline: median(roundTrips), figure: median(lags), unit: 'ms' },
        {
          measure: 'lag p95',
          baseline: percentile(roundTrips, 95),
          figure: percentile(lags, 95),
          unit: 'ms',
        },
      ],
      [
        `baseline: the round trip of one poll (p50, p95 of ${roundTrips.length}); the lag adds the wait for the next poll, up to ${INTERVAL_MS} ms.`,
      ],
    );
  } finally {
    await sandbox.close();
  }
}

const receiverMet = await receiverScenario();
const pollingMet = await pollingScenario();
console.log(receiverMet && pollingMet ? '\nEvery goal met.' : '\nA goal was NOT met.');
