/**
 * The changes an action makes in Okta, one step each. Every change goes through `change()`, which in a
 * normal run sends it and records the outcome (so a failure halfway says exactly what was already done),
 * and in a dry run only records it (so the plan says exactly what would be done, and nothing is sent).
 */
import type { ErrorCode, StepRecord } from '../errors/action-error.js';

export interface ChangeRequest {
  method: 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  path: string;
}

export class StepLog {
  readonly records: StepRecord[] = [];

  constructor(readonly dryRun: boolean) {}

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
      this.records.push({ step, status: 'failed', ok: false, changed: false, ...where });
      throw error;
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
    explain: (error: unknown) => { code: ErrorCode; message: string },
  ): Promise<{ ok: true; value: T | undefined } | { ok: false }> {
    try {
      return { ok: true, value: await this.change(step, request, send) };
    } catch (error) {
      const failed = this.records.findLast((record) => record.status === 'failed');
      if (failed) failed.error = explain(error);
      return { ok: false };
    }
  }

  /** Records a step that failed before anything was sent (the action found it cannot be done). */
  fail(step: string, error: { code: ErrorCode; message: string }): void {
    this.records.push({ step, status: 'failed', ok: false, changed: false, error });
  }

  /** Notes a step that was not needed: Okta already was as asked. */
  skip(step: string): void {
    this.records.push({ step, status: 'skipped', ok: true, changed: false });
  }

  /** Attaches why the last failed step failed (set by the runtime, which maps the error). */
  explainFailure(code: ErrorCode, message: string): void {
    const failed = this.records.findLast((record) => record.status === 'failed' && !record.error);
    if (failed) failed.error = { code, message };
  }

  /** True when a step changed Okta (or would, in a dry run). */
  get changedAnything(): boolean {
    return this.records.some((record) => record.changed);
  }

  /** A sentence for the error message, or '' when nothing had completed before the failure. */
  describeProgress(): string {
    const done = this.records.filter((r) => r.status === 'done').map((r) => r.step);
    const failed = this.records.find((r) => r.status === 'failed')?.step;
    if (done.length === 0) return '';
    return ` Already done in Okta before the failure: ${done.join(', ')}${failed ? `; failed at: ${failed}` : ''}.`;
  }

  /** The plan of a dry run: the requests a real run would send, in order. */
  plan(): Array<{ step: string; method: string; path: string }> {
    return this.records
      .filter((record) => record.status === 'planned')
      .map((record) => ({ step: record.step, method: record.method ?? '', path: record.path ?? '' }));
  }
}
