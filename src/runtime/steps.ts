/**
 * Records the steps of a multi-step action (deactivate, then delete; look up, then change), so that when
 * one fails the error says exactly what had already been done in Okta.
 */
import type { StepRecord } from '../errors/action-error.js';

export class StepLog {
  readonly records: StepRecord[] = [];

  /** Runs one step; `changed` tells whether it altered Okta (defaults to true for a completed step). */
  async run<T>(step: string, fn: () => Promise<T>, changed = true): Promise<T> {
    try {
      const result = await fn();
      this.records.push({ step, status: 'done', changed });
      return result;
    } catch (error) {
      this.records.push({ step, status: 'failed' });
      throw error;
    }
  }

  /** Notes a step that was not needed (already in the wanted state). */
  skip(step: string): void {
    this.records.push({ step, status: 'skipped', changed: false });
  }

  /** A sentence for the error message, or '' when nothing had completed before the failure. */
  describeProgress(): string {
    const done = this.records.filter((r) => r.status === 'done').map((r) => r.step);
    const failed = this.records.find((r) => r.status === 'failed')?.step;
    if (done.length === 0) return '';
    return ` Already done in Okta before the failure: ${done.join(', ')}${failed ? `; failed at: ${failed}` : ''}.`;
  }
}
