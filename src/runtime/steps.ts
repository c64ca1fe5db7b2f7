/**
 * The changes an action makes in Okta, one step each. Every change goes through `change()`, which in a
 * normal run sends it and records the outcome (so a failure halfway says exactly what was already done),
 * and in a dry run only records it (so the plan says exactly what would be done, and nothing is sent).
 */
import type { StepFailure, StepRecord } from '../errors/action-error.js';
import type { ChangeRequest, LostAnswerOutcome } from '../handler/define-action.js';

/** Maps a step's failure to what the envelope would say (code and message, secrets removed). */
export type ExplainFailure = (error: unknown) => StepFailure;

/**
 * Why the run can send nothing more (it was cancelled, or it passed its deadline), or undefined while it
 * can. Steps asked for after that are recorded as never tried instead of failing one by one.
 */
export type HaltReason = () => string | undefined;

export class StepLog {
  readonly records: StepRecord[] = [];
  /** The part of a multi-part action (offboard-user) now running; its steps are marked with it. */
  private currentPart: string | undefined;
  /** Failures change() recorded before passing them on, so that part() does not record them twice. */
  private readonly recorded = new WeakSet<object>();

  constructor(
    readonly dryRun: boolean,
    private readonly explain?: ExplainFailure,
    private readonly halted: HaltReason = () => undefined,
  ) {}

  private push(record: StepRecord): void {
    this.records.push(this.currentPart === undefined ? record : { ...record, part: this.currentPart });
  }

  /**
   * Makes one change. Resolves to what `send` resolved to, or to undefined in a dry run (nothing sent).
   */
  async change<T>(step: string, request: ChangeRequest, send: () => Promise<T>): Promise<T | undefined> {
    const where = { method: request.method, path: request.path };
    if (this.dryRun) {
      this.push({ step, status: 'planned', ok: true, changed: true, ...where });
      return undefined;
    }
    try {
      const result = await send();
      this.push({ step, status: 'done', ok: true, changed: true, ...where });
      return result;
    } catch (error) {
      // The step's own reason, recorded now: a later failure (a check that follows) must not be pinned on it.
      const reason = this.explain?.(error);
      if (typeof error === 'object' && error !== null) this.recorded.add(error);
      this.push({
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
    const halt = this.halted();
    if (halt !== undefined) {
      this.notAttempted(step, halt);
      return { ok: false };
    }
    try {
      return { ok: true, value: await this.change(step, request, send) };
    } catch {
      return { ok: false }; // change() recorded the step as failed, with its reason
    }
  }

  /**
   * Runs one independent part of an action (offboard-user's "remove from groups", ...). Whatever fails
   * inside it, a read included, is recorded against the part and stops neither the part's other steps
   * (those use attempt()) nor the parts after it. A part the run can no longer start is recorded as never
   * tried, with the reason.
   */
  async part(name: string, run: () => Promise<void>): Promise<void> {
    const halt = this.halted();
    if (halt !== undefined) {
      this.notAttempted(name, halt);
      return;
    }
    this.currentPart = name;
    try {
      await run();
    } catch (error) {
      // A failed change is already on the list; so is a change whose outcome a failed read left unknown.
      const last = this.records.at(-1);
      const alreadyRecorded =
        (typeof error === 'object' && error !== null && this.recorded.has(error)) ||
        (last?.part === name && last.outcomeUnknown === true);
      if (!alreadyRecorded) {
        const reason = this.explain?.(error);
        this.push({
          step: name,
          status: 'failed',
          ok: false,
          changed: false,
          ...(reason ? { error: reason } : {}),
        });
      }
    } finally {
      this.currentPart = undefined;
    }
  }

  /** Records a step that failed before anything was sent (the action found it cannot be done). */
  fail(step: string, error: StepFailure): void {
    this.push({ step, status: 'failed', ok: false, changed: false, error });
  }

  /** Notes a step that was not needed (Okta already was as asked) or not possible, and why when given. */
  skip(step: string, reason?: string): void {
    this.push({ step, status: 'skipped', ok: true, changed: false, ...(reason ? { reason } : {}) });
  }

  /** Records a step the run never tried: it was cancelled or passed its deadline first. */
  private notAttempted(step: string, reason: string): void {
    this.push({ step, status: 'not-attempted', ok: false, changed: false, reason });
  }

  /** True when a step changed Okta (or would, in a dry run). */
  get changedAnything(): boolean {
    return this.records.some((record) => record.changed);
  }

  /**
   * Sentences for the error message: what Okta did, and what failed or was never tried. '' when nothing
   * was done. "Before the failure" only when nothing was done after the first failed step; an action of
   * independent parts goes on after a failure, so there it says what was done and what was not.
   */
  describeProgress(): string {
    const named = (status: StepRecord['status']) =>
      this.records.filter((r) => r.status === status).map((r) => r.step);
    const done = named('done');
    const failed = named('failed');
    const notTried = named('not-attempted');
    const unknown = this.records.filter((r) => r.outcomeUnknown).map((r) => r.step);
    const firstFailure = this.records.findIndex((r) => r.status === 'failed');
    const wentOn =
      notTried.length > 0 ||
      (firstFailure >= 0 && this.records.slice(firstFailure + 1).some((r) => r.status === 'done'));
    let doneSentence = '';
    if (!wentOn && done.length > 0)
      doneSentence = ` Already done in Okta before the failure: ${done.join(', ')}${failed.length > 0 ? `; failed at: ${failed[0]}` : ''}.`;
    else if (wentOn)
      doneSentence = [
        done.length > 0
          ? ` Done in Okta: ${done.join(', ')}.`
          : unknown.length > 0
            ? ''
            : ' Nothing was changed in Okta.',
        failed.length > 0 ? ` Failed: ${failed.join(', ')}.` : '',
        notTried.length > 0 ? ` Never tried: ${notTried.join(', ')}.` : '',
      ].join('');
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
