/**
 * The secret canary's tools: capture everything the plugin writes (console, stdout/stderr, warnings),
 * and look for secrets, whole or cut short, in it and in results, thrown errors and the sandbox's
 * System Log. Used by test/canary.test.ts (API token, input secrets) and test/canary-oauth.test.ts (client
 * secrets, private keys, access and refresh tokens).
 */
import { inspect } from 'node:util';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';

/**
 * Host options of the canary runs: short limits, since each failure kind runs every action and the point
 * is what the runs say, not how long they wait. The request timeout leaves room for a busy machine (an
 * answer slower than 300 ms there turned a 500 into a TIMEOUT); the one kind about timeouts sets its own.
 */
export const CANARY_HOST = {
  allowLoopback: true,
  requestTimeoutMs: 3_000,
  maxRetries: 1,
  maxWaitMs: 200,
  actionTimeoutMs: 10_000,
};

export interface Evidence {
  where: string;
  text: string;
}

/** What to look for: each secret, and its middle (a secret cut short "00CanaryTok..." still leaks). */
export function needlesOf(secrets: readonly string[]): string[] {
  return secrets
    .flatMap((secret) => [secret, secret.slice(6, 18)])
    .filter((needle) => needle.length >= 8)
    .map((needle) => needle.toLowerCase());
}

/** Each needle found, with where and a little context. */
export function leaksIn(evidence: Evidence[], needles: readonly string[]): string[] {
  const found: string[] = [];
  for (const { where, text } of evidence) {
    const lower = text.toLowerCase();
    for (const needle of needles) {
      const at = lower.indexOf(needle);
      if (at >= 0) found.push(`${where}: ...${text.slice(Math.max(0, at - 80), at + needle.length + 40)}...`);
    }
  }
  return found;
}

/**
 * Spies on (and silences) console.*, process.stdout/stderr and process warnings for every test of the
 * file; after each test, fails it if anything written holds a needle. `needles` is read after the test,
 * so secrets made during it (tokens Okta issued) count too.
 */
export function captureWrites(needles: () => readonly string[]): void {
  let written: string[] = [];
  beforeEach(() => {
    written = [];
    const keep = (...args: unknown[]) => {
      written.push(
        args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg, { depth: 20 }))).join(' '),
      );
    };
    for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir'] as const) {
      vi.spyOn(console, method).mockImplementation(keep);
    }
    const write = ((chunk: unknown) => {
      keep(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return true;
    }) as typeof process.stdout.write;
    vi.spyOn(process.stdout, 'write').mockImplementation(write);
    vi.spyOn(process.stderr, 'write').mockImplementation(write);
    vi.spyOn(process, 'emitWarning').mockImplementation(keep as typeof process.emitWarning);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    // Whatever was written during the test, also after its last assertion.
    expect(leaksIn([{ where: 'console or stdout/stderr', text: written.join('\n') }], needles())).toEqual([]);
  });
}

/** A run's result or what it threw, as text. */
export async function outcome(run: () => Promise<unknown>): Promise<{ result?: unknown; thrown?: string }> {
  try {
    return { result: await run() };
  } catch (error) {
    return {
      thrown: error instanceof Error ? `${error.stack}\n${inspect(error, { depth: 20 })}` : String(error),
    };
  }
}

export function evidenceOf(
  label: string,
  ran: { result?: unknown; thrown?: string },
  sandbox?: Sandbox,
): Evidence[] {
  return [
    { where: `${label}: result`, text: JSON.stringify(ran.result ?? null) },
    { where: `${label}: result (inspected)`, text: inspect(ran.result, { depth: 20 }) },
    ...(ran.thrown ? [{ where: `${label}: thrown`, text: ran.thrown }] : []),
    ...(sandbox ? [{ where: `${label}: System Log`, text: JSON.stringify(sandbox.org.log.events) }] : []),
  ];
}
