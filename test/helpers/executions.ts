/**
 * Which actions the test run really executed. test/setup.ts wraps every handler; each run that returns
 * an output (no exception) is written down here: the action, whether it was a dry run, and whether it
 * ran against the sandbox (a loopback org) or against nock (any other org). scripts/test.mjs reads the
 * records after a full run and fails when an action was never executed where it must be
 * (scripts/test-report.mjs says where).
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

/** Set by scripts/test.mjs for a full run: the folder the records go to, one file per worker process. */
export const EXECUTIONS_DIR_VARIABLE = 'OKTA_ACTIONS_TEST_EXECUTIONS_DIR';

export interface ExecutionRecord {
  key: string;
  dryRun: boolean;
  target: 'sandbox' | 'nock';
}

export function recordExecution(dir: string, record: ExecutionRecord): void {
  appendFileSync(join(dir, `${process.pid}.jsonl`), `${JSON.stringify(record)}\n`);
}

/** The sandbox listens on loopback; the nock tests use Okta-looking org addresses. */
export function targetOf(orgUrl: string): ExecutionRecord['target'] {
  return /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(orgUrl) ? 'sandbox' : 'nock';
}
