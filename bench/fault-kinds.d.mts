/** Types for bench/fault-kinds.mjs, which the fault drill (plain Node) and test/sandbox/faults.test.ts share. */
import type { Sandbox } from '../src/sandbox/index.js';

export declare const STORM_MS: number;
export declare const TIMEOUT_MS: number;
export declare const SLOW_MS: number;
export declare const SLOW_TIMEOUT_MS: number;
export declare const TRUNCATE_TIMEOUT_MS: number;

export interface LossyProxy {
  url: string;
  loseAnswers(mode: 'reset' | 'hold' | '502' | 'malformed'): ArmedFault;
  close(): Promise<void>;
}

export interface FaultTarget {
  /** Only the sandbox's interface is used, so a sandbox from dist/ or from src/ will do. */
  sandbox: Sandbox;
  proxy?: LossyProxy;
  /** The operations (operationIds) to strike. */
  ops: string[];
  /** The budget a 429 storm restores. Default 600. */
  perMinute?: number;
}

export interface ArmedFault {
  /** How often the fault struck so far. */
  struck(): number;
  disarm(): void;
}

export interface AllowedEnvelope {
  code: string;
  /** Undefined: either. */
  retryable?: boolean;
}

export interface FaultKind {
  name: string;
  arm(target: FaultTarget): ArmedFault;
  /** Host options the run needs (a short request timeout, ...). */
  host?: { requestTimeoutMs?: number };
  /** The envelopes that are right when the run fails; empty: the run must succeed. */
  expect: AllowedEnvelope[];
  /** A run that took this long (ms) only got through thanks to the request timeout: worth flagging. */
  flagSlowerThan?: number;
  /** Only for list actions. */
  lists?: boolean;
  /** Only for actions that change Okta; needs a proxy. */
  changes?: boolean;
}

export declare const FAULT_KINDS: FaultKind[];

export declare function judgeEnvelope(
  kind: FaultKind,
  error: { code?: string; retryable?: boolean } | undefined,
): string | undefined;

export declare function startLossyProxy(targetUrl: string): Promise<LossyProxy>;
