/**
 * Creating without duplicates. A POST that failed ambiguously (a timeout, a dropped connection, a 5xx)
 * may have created the object anyway, so it is never simply sent again: the action first looks for the
 * object, and answers with it when this run created it; only when it is not there is the POST sent once
 * more. The transport never re-sends a POST by itself (guarded-executor.ts).
 *
 * The same care across runs: when a run repeats work an earlier run may have done (a queue's job run
 * again after its worker died mid-request, `resumesFrom` in the context), the object that earlier run may
 * have created is looked for before anything is sent, with the same test (its unique name or login,
 * created since that run started), and answered as created.
 */

import { ActionError } from '../errors/action-error.js';
import type { ChangeRequest, HandlerContext } from '../handler/define-action.js';
import { FORBIDDEN_ADDRESS } from '../http/address-guard.js';
import { isGarbledAnswer } from '../transport/raw-json.js';

/** Clocks of this host and of Okta may differ this much; an object older than that is not this run's. */
const CLOCK_TOLERANCE_MS = 60_000;

/** True when the failure leaves open whether Okta acted on the request. */
export function isAmbiguousFailure(error: unknown): boolean {
  if (isGarbledAnswer(error)) return true;
  if (error instanceof ActionError) return error.envelope.code === 'TIMEOUT';
  const thrown = error as { name?: string; status?: number; code?: string };
  if (thrown?.name === 'OktaApiError' || thrown?.name === 'HttpError') return (thrown.status ?? 0) >= 500;
  // Refused or unresolved connections never reached Okta; anything else cut off mid-way might have.
  return thrown?.name === 'FetchError' && !NEVER_SENT.has(thrown.code ?? '');
}

/** Network failures that happen before a request leaves: Okta cannot have acted on it. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', FORBIDDEN_ADDRESS]);

/** Whether an object Okta dates `created` was created by a request sent at `sentAt` (epoch ms) or later. */
export function createdSince(created: string | undefined, sentAt: number): boolean {
  const at = Date.parse(created ?? '');
  return !Number.isNaN(at) && at >= sentAt - CLOCK_TOLERANCE_MS;
}

export interface CreateOnce<T> {
  step: string;
  request: ChangeRequest;
  send: () => Promise<T>;
  /** After an ambiguous failure: the object, if this run created it (use createdSince), else undefined. */
  findCreated: (sentAt: number) => Promise<T | undefined>;
}

type ChangeContext = Pick<HandlerContext<unknown>, 'change' | 'settleLastChange'> &
  Partial<Pick<HandlerContext<unknown>, 'dryRun' | 'resumesFrom'>>;

export async function createOnce<T>(context: ChangeContext, create: CreateOnce<T>): Promise<T | undefined> {
  const earlier = await createdByEarlierRun(context, create);
  if (earlier !== undefined) return earlier;
  const sentAt = Date.now();
  try {
    return await context.change(create.step, create.request, create.send);
  } catch (error) {
    if (!isAmbiguousFailure(error)) throw error;
    const existing = await settledBy(context, () => create.findCreated(sentAt));
    context.settleLastChange(existing ? 'done' : 'not-done');
    if (existing) return existing;
    return context.change(
      `${create.step} (sent again: the first try had not created it)`,
      create.request,
      create.send,
    );
  }
}

/**
 * The object an earlier run of the same work created, when this run repeats it: recorded as the create
 * step, done, and named so (nothing is sent; the step's send only hands back what was found).
 */
async function createdByEarlierRun<T>(context: ChangeContext, create: CreateOnce<T>): Promise<T | undefined> {
  if (context.resumesFrom === undefined || context.dryRun) return undefined;
  const found = await create.findCreated(context.resumesFrom);
  if (found === undefined) return undefined;
  return context.change(`${create.step} (done by an earlier attempt)`, create.request, async () => found);
}

export interface ApplyOnce {
  step: string;
  request: ChangeRequest;
  send: () => Promise<unknown>;
  /** After an ambiguous failure: whether the change is now in place (a fresh read). */
  isDone: () => Promise<boolean>;
}

/**
 * The same care for a change that is not a create (a lifecycle POST, say): after an ambiguous failure,
 * read whether the change happened; if it did, the run succeeded; if not, it is sent once more.
 */
export async function applyOnce(context: ChangeContext, apply: ApplyOnce): Promise<void> {
  try {
    await context.change(apply.step, apply.request, apply.send);
  } catch (error) {
    if (!isAmbiguousFailure(error)) throw error;
    const done = await settledBy(context, apply.isDone);
    context.settleLastChange(done ? 'done' : 'not-done');
    if (done) return;
    await context.change(
      `${apply.step} (sent again: the first try had not done it)`,
      apply.request,
      apply.send,
    );
  }
}

/** Runs the check after a lost answer; if the check fails too, the step's outcome is marked unknown. */
async function settledBy<T>(context: ChangeContext, check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    context.settleLastChange('unknown');
    throw error;
  }
}
