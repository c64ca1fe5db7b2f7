/**
 * Everything a job's run loads on first use, loaded before a worker takes its first job. Loading is
 * synchronous work that holds the event loop: the runtime, and the Okta SDK above all (~0.7 s alone, ~2,000
 * files, seconds when several workers start at once on a busy machine). A worker that already holds jobs
 * meanwhile cannot renew their locks; past lockDuration BullMQ counts them as stalled and hands them to
 * another worker while the first still runs them (bench/bullmq-fleet.mjs saw ~40 of 4,000 jobs run twice
 * that way before this). Loaded here, the first jobs find it all in place.
 */
import { createRequire } from 'node:module';
import { moduleUrl } from '../package/module-url.js';

let loaded: Promise<void> | undefined;

export function loadActionRuntime(): Promise<void> {
  loaded ??= (async () => {
    await import('../runtime/resumed-run.js');
    // From this package's location, as the transport requires it (src/transport/client-factory.ts): the
    // same file, so the transport's own require finds it in Node's module cache.
    createRequire(moduleUrl)('@okta/okta-sdk-nodejs');
  })();
  return loaded;
}
