/**
 * Which org the live suite runs against, and how it talks to it.
 *
 * With OKTA_LIVE_ADDRESS and OKTA_LIVE_TOKEN set, a real Okta org (an api_token connection); without them,
 * the built-in sandbox, so the suite's code runs on every `npm test`. Reading the environment here is the
 * test's business only: the plugin itself never reads it, and gets everything as arguments, as a host
 * would pass it.
 */
import nock from 'nock';
import {
  type ActionKey,
  type ActionResult,
  type ActionTypes,
  type ErrorCode,
  execute,
  type HostOptions,
  normalizeApiAddress,
} from '../../src/index.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';

export const ADDRESS_VARIABLE = 'OKTA_LIVE_ADDRESS';
export const TOKEN_VARIABLE = 'OKTA_LIVE_TOKEN';

/** What is known before anything starts: enough to name the suite and set its timeouts. */
export type TargetChoice =
  | { kind: 'sandbox'; label: string; timeouts: Timeouts }
  | { kind: 'okta'; label: string; timeouts: Timeouts; orgUrl: string; host: string; apiToken: string };

export interface Timeouts {
  /** Each test. */
  test: number;
  /** beforeAll / afterAll (the sweep and the clean-up send several requests each). */
  hook: number;
}

/** A real org answers in hundreds of milliseconds and may hold a request for a rate-limit reset (up to a minute). */
const OKTA_TIMEOUTS: Timeouts = { test: 300_000, hook: 600_000 };
const SANDBOX_TIMEOUTS: Timeouts = { test: 20_000, hook: 60_000 };

/**
 * Host options for a real org: gentle with the org's rate limits, which it shares with every other
 * integration. Two requests in flight at most (test-connection reads three things at once), and only half of
 * each rate-limit budget, so a run never starves the org's real integrations.
 */
const OKTA_HOST_OPTIONS: HostOptions = { maxConcurrency: 2, maxApiCapacity: 50, maxWaitMs: 120_000 };
/** The sandbox listens on loopback, which a host must allow explicitly. */
const SANDBOX_HOST_OPTIONS: HostOptions = { allowLoopback: true };

/**
 * The target the variables name. Both set: that org. Neither: the sandbox. Only one: an error, since a
 * maintainer who meant a live run must not get a green sandbox run instead.
 */
export function chooseTarget(env: Record<string, string | undefined>): TargetChoice {
  const address = env[ADDRESS_VARIABLE]?.trim() || undefined;
  const apiToken = env[TOKEN_VARIABLE]?.trim() || undefined;
  if (!address && !apiToken)
    return { kind: 'sandbox', label: 'the built-in sandbox', timeouts: SANDBOX_TIMEOUTS };
  if (!address || !apiToken) {
    const missing = address ? TOKEN_VARIABLE : ADDRESS_VARIABLE;
    const given = address ? ADDRESS_VARIABLE : TOKEN_VARIABLE;
    throw new Error(
      `${given} is set but ${missing} is not: set both to run the live suite against a real Okta org, or neither to run it against the sandbox.`,
    );
  }
  const normalized = normalizeApiAddress(address);
  if (!normalized.ok) throw new Error(`${ADDRESS_VARIABLE} ${normalized.reason}.`);
  return {
    kind: 'okta',
    label: `the Okta org ${normalized.orgUrl}`,
    timeouts: OKTA_TIMEOUTS,
    orgUrl: normalized.orgUrl,
    host: normalized.host,
    apiToken,
  };
}

/** An org the suite can run actions against, started or reached. */
export interface SuiteTarget {
  readonly kind: TargetChoice['kind'];
  readonly label: string;
  readonly connection: { type: 'api_token'; apiAddress: string; apiToken: string };
  readonly host: HostOptions;
  /**
   * The error codes a read may answer because the org lacks a feature (no Devices API on Classic Engine, no
   * Realms subscription, ...). A real org may; the sandbox has every feature, so there: none.
   */
  readonly featureCodes: readonly ErrorCode[];
  /** Runs an action as a host would. */
  execute<Key extends ActionKey>(
    key: Key,
    input: ActionTypes[Key]['input'],
  ): Promise<ActionResult<ActionTypes[Key]['output']>>;
  /** Runs an action that must succeed; throws with its error code and message otherwise. */
  run<Key extends ActionKey>(key: Key, input: ActionTypes[Key]['input']): Promise<ActionTypes[Key]['output']>;
  /**
   * The sandbox's answers and the plugin's requests that broke Okta's API description since the last call
   * (each is a bug); none to report for a real org, which is the description's source.
   */
  takeContractProblems(): string[];
  close(): Promise<void>;
}

/** The codes a real org may answer for a read it lacks the feature of; never accepted from the sandbox. */
const FEATURE_CODES: Record<TargetChoice['kind'], readonly ErrorCode[]> = {
  okta: ['UNSUPPORTED', 'FORBIDDEN'],
  sandbox: [],
};

export async function openTarget(choice: TargetChoice): Promise<SuiteTarget> {
  if (choice.kind === 'sandbox') return sandboxTarget(await startSandbox());
  allowNetworkTo(choice.host);
  return targetOf({
    kind: 'okta',
    label: choice.label,
    connection: { type: 'api_token', apiAddress: choice.orgUrl, apiToken: choice.apiToken },
    host: OKTA_HOST_OPTIONS,
    takeContractProblems: () => [],
    close: async () => {},
  });
}

/**
 * A target over a started sandbox, closed with the target. `rules: 'okta'` applies a real org's rules
 * (feature codes accepted, an empty list allowed) to it: for the tests of those rules themselves.
 */
export function sandboxTarget(sandbox: Sandbox, rules: TargetChoice['kind'] = 'sandbox'): SuiteTarget {
  return targetOf({
    kind: rules,
    label: 'the built-in sandbox',
    connection: { type: 'api_token', apiAddress: sandbox.url, apiToken: sandbox.token },
    host: SANDBOX_HOST_OPTIONS,
    takeContractProblems: () => takeViolations(sandbox),
    close: () => sandbox.close(),
  });
}

function targetOf(
  parts: Pick<SuiteTarget, 'kind' | 'label' | 'connection' | 'host' | 'takeContractProblems' | 'close'>,
): SuiteTarget {
  const { connection, host } = parts;
  const target: SuiteTarget = {
    ...parts,
    featureCodes: FEATURE_CODES[parts.kind],
    execute: (key, input) => execute(key, { connection, input }, host),
    async run(key, input) {
      const result = await target.execute(key, input);
      if (!result.ok) throw new Error(`${key} failed: ${result.error.code} ${result.error.message}`);
      return result.output;
    },
  };
  return target;
}

/**
 * test/setup.ts keeps every test off the internet (only loopback may be reached). The live suite is the one
 * exception, and only for the org the maintainer named.
 */
function allowNetworkTo(orgHost: string): void {
  nock.enableNetConnect((host) => host === orgHost || host.startsWith(`${orgHost}:`));
}

function takeViolations(sandbox: Sandbox): string[] {
  const problems = [
    ...sandbox.contractViolations.map((v) => `sandbox answer: ${v}`),
    ...sandbox.requestViolations.map((v) => `plugin request: ${v}`),
  ];
  sandbox.contractViolations.length = 0;
  sandbox.requestViolations.length = 0;
  return problems;
}
