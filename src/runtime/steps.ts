/**
 * The changes an action makes in Okta, one step each. Every change goes through `change()`, which in a
 * normal run sends it and records the outcome (so a failure halfway says exactly what was already done),
 * and in a dry run only records it (so the plan says exactly what would be done, and nothing is sent).
 */
import type { StepFailure, StepRecord } from '../errors/action-error.js';

export interface ChangeRequest {
  method: 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  path: string;
}

/** Maps a step's failure to what the envelope would say (code and message, secrets removed). */
export type ExplainFailure = (error: unknown) => StepFailure;

/** What a fresh read found after a change whose answer was lost (see src/okta/create-once.ts). */
export type LostAnswerOutcome = 'done' | 'not-done' | 'unknown';

export class StepLog {
  readonly records: StepRecord[] = [];

  constructor(
    readonly dryRun: boolean,
    private readonly explain?: ExplainFailure,
  ) {}

  /**
   * Makes one change. Resolves to what `send` resolved to, or to undefined in a dry run (nothing sent).
   */
  async change<T>(step: string, request: ChangeRequest, send: () => Promise<T>): Promise<T | undefined> {
    const where = { method: request.method, path: request.path };
    if (this.dryRun) {
      this.records.push({ step, status: 'planned', ok: true, changed: true, ...where });
      return undefined;
    }
    try {
      const result = await send();
      this.records.push({ step, status: 'done', ok: true, changed: true, ...where });
      return result;
    } catch (error) {
      // The step's own reason, recorded now: a later failure (a check that follows) must not be pinned on it.
      const reason = this.explain?.(error);
      this.records.push({
        step,
        status: 'failed',
        ok: false,
        changed: false,
        ...where,
        ...(reason ? { error: reason } : {}),
      });
      throw error;
    }
  }

  /**
   * Settles the last failed step once a fresh read has shown what its lost answer hid: it was carried out
   * after all (done), it was not, or the read failed too and nobody knows (the envelope then says so).
   */
  settle(outcome: LostAnswerOutcome): void {
    const record = this.records.findLast((r) => r.status === 'failed');
    if (!record) return;
    if (outcome === 'done') {
      Object.assign(record, { status: 'done', ok: true, changed: true });
      delete record.error;
    } else if (outcome === 'unknown') {
      record.outcomeUnknown = true;
    } else if (record.error) {
      record.error.message += ' A fresh read showed it had not taken effect.';
    }
  }

  /**
   * Like change(), but a failure is recorded with its reason and returned instead of thrown, so an action
   * of many independent steps (offboard-user) can go on and report every outcome.
   */
  async attempt<T>(
    step: string,
    request: ChangeRequest,
    send: () => Promise<T>,
  ): Promise<{ ok: true; value: T | undefined } | { ok: false }> {
    try {
      return { ok: true, value: await this.change(step, request, send) };
    } catch {
      return { ok: false }; // change() recorded the step as failed, with its reason
    }
  }

  /** Records a step that failed before anything was sent (the action found it cannot be done). */
  fail(step: string, error: StepFailure): void {
    this.records.push({ step, status: 'failed', ok: false, changed: false, error });
  }

  /** Notes a step that was not needed: Okta already was as asked. */
  skip(step: string): void {
    this.records.push({ step, status: 'skipped', ok: true, changed: false });
  }

  /** True when a step changed Okta (or would, in a dry run). */
  get changedAnything(): boolean {
    return this.records.some((record) => record.changed);
  }

  /** A sentence for the error message, or '' when nothing had completed before the failure. */
  describeProgress(): string {
    const done = this.records.filter((r) => r.status === 'done').map((r) => r.step);
    const failed = this.records.find((r) => r.status === 'failed')?.step;
    const unknown = this.records.filter((r) => r.outcomeUnknown).map((r) => r.step);
    const doneSentence =
      done.length === 0
        ? ''
        : ` Already done in Okta before the failure: ${done.join(', ')}${failed ? `; failed at: ${failed}` : ''}.`;
    const unknownSentence =
      unknown.length === 0
        ? ''
        : ` Whether Okta carried out ${unknown.join(', ')} is unknown: its answer was lost and the check that followed failed too; look in Okta before running this again.`;
    return doneSentence + unknownSentence;
  }

  /** The plan of a dry run: the requests a real run would send, in order. */
  plan(): Array<{ step: string; method: string; path: string }> {
    return this.records
      .filter((record) => record.status === 'planned')
      .map((record) => ({ step: record.step, method: record.method ?? '', path: record.path ?? '' }));
  }
}
