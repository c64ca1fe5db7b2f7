/**
 * The one error shape every failure becomes. Hosts branch on `code` and show `message` in a flow's run log,
 * so messages say what failed and what to do about it.
 */
export const ERROR_CODES = [
  'INVALID_CONNECTION',
  'INVALID_INPUT',
  'INVALID_OPTIONS',
  'UNKNOWN_ACTION',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'TIMEOUT',
  'NETWORK',
  'UPSTREAM',
  'OUTPUT_CONTRACT',
  'INTERNAL',
  'UNSUPPORTED',
  'CANCELLED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** One problem with an input or connection field, `path` in dotted form (`profile.email`). */
export interface InputProblem {
  path: string;
  message: string;
}

/** What Okta itself said, kept for support tickets (errorId) and for precise handling (errorCode). */
export interface OktaErrorInfo {
  errorCode?: string;
  errorSummary?: string;
  errorId?: string;
  errorCauses?: Array<{ errorSummary: string }>;
  /**
   * For an OAuth access token, the refusal Okta put in WWW-Authenticate (RFC 6750 3, RFC 9449 7.1):
   * invalid_token, insufficient_scope (with the scopes the operation takes), invalid_dpop_proof, ...
   */
  challenge?: { error: string; description?: string; scope?: string[] };
}

/**
 * One change an action makes in Okta (or, in a dry run, would make), so a failure halfway says exactly
 * what already happened and a dry run says exactly what would.
 */
export interface StepFailure {
  code: ErrorCode;
  message: string;
  /** True when the step may well succeed if run again later. */
  retryable?: boolean;
}

export interface StepRecord {
  step: string;
  /**
   * done: sent and accepted; skipped: not needed (Okta already was as asked) or not possible, see
   * `reason`; failed; not-attempted: never tried, the run was cancelled or passed its deadline first;
   * planned: dry run.
   */
  status: 'done' | 'skipped' | 'failed' | 'not-attempted' | 'planned';
  /** False for a failed step and one never tried. */
  ok: boolean;
  /** True when the step changed Okta. */
  changed: boolean;
  /** The request the step sends, e.g. { method: 'POST', path: '/api/v1/users/00u.../lifecycle/suspend' }. */
  method?: string;
  path?: string;
  /** Why a failed step failed. */
  error?: StepFailure;
  /** Why a step was skipped or never tried. */
  reason?: string;
  /** The part of an action of independent parts (offboard-user) the step belongs to. */
  part?: string;
  /** True when the step's answer was lost and it could not be found out whether Okta carried it out. */
  outcomeUnknown?: boolean;
}

export interface ActionErrorEnvelope {
  code: ErrorCode;
  message: string;
  retryable: boolean;
  retryAfterMs?: number;
  status?: number;
  okta?: OktaErrorInfo;
  details?: InputProblem[];
  steps?: StepRecord[];
  /** How far a list had been read when the run failed or was cancelled (nothing of it is returned). */
  progress?: { pagesRead: number; itemsRead: number };
}

const RETRYABLE_BY_DEFAULT: ReadonlySet<ErrorCode> = new Set(['RATE_LIMITED', 'TIMEOUT', 'NETWORK']);

/**
 * Thrown by the core and by handlers for failures they understand. The runtime turns it into the envelope
 * unchanged; anything else thrown goes through the error mapper.
 */
export class ActionError extends Error {
  readonly envelope: ActionErrorEnvelope;

  constructor(
    code: ErrorCode,
    message: string,
    extra: Partial<Omit<ActionErrorEnvelope, 'code' | 'message'>> = {},
  ) {
    super(message);
    this.name = 'ActionError';
    this.envelope = { code, message, retryable: extra.retryable ?? RETRYABLE_BY_DEFAULT.has(code), ...extra };
  }
}

/** Shorthand for the most common handler-side failure: a field the caller filled in wrongly. */
export function invalidInput(path: string, message: string): ActionError {
  return new ActionError('INVALID_INPUT', `Input field "${path}" ${message}`, {
    details: [{ path, message }],
  });
}
