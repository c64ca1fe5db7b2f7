import nock from 'nock';
import { afterEach, beforeAll, beforeEach, vi } from 'vitest';
import type { ActionHandler } from '../src/handler/define-action.js';
import { forgetGovernors } from '../src/transport/governor.js';
import { EXECUTIONS_DIR_VARIABLE, recordExecution, targetOf } from './helpers/executions.js';
import { contractProblemsOfRecordedRequests, resetRecordedRequests } from './helpers/okta-mock.js';

// In a full run (scripts/test.mjs), every handler that returns an output is written down, so the run can
// tell which actions its tests really executed (not which keys its files merely mention).
vi.mock('../src/generated/handlers.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/generated/handlers.js')>();
  const dir = process.env[EXECUTIONS_DIR_VARIABLE];
  if (!dir) return original;
  const recorded =
    (key: string, handler: ActionHandler): ActionHandler =>
    async (context) => {
      const output = await handler(context);
      recordExecution(dir, { key, dryRun: context.dryRun, target: targetOf(context.okta.orgUrl) });
      return output;
    };
  return {
    ...original,
    handlers: Object.fromEntries(
      Object.entries(original.handlers).map(([key, handler]) => [key, recorded(key, handler)]),
    ),
  };
});

beforeAll(() => {
  // No test may reach the internet; local servers (the built-package smoke test) are allowed.
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1') || host.startsWith('localhost'));
});

beforeEach(() => {
  resetRecordedRequests();
  // Rate-limit readings are per org for the whole process; each test starts without earlier tests' ones.
  forgetGovernors();
});

afterEach(() => {
  const problems = contractProblemsOfRecordedRequests();
  nock.abortPendingRequests();
  nock.cleanAll();
  if (problems.length > 0) {
    throw new Error(`Requests that break Okta's published API description:\n  ${problems.join('\n  ')}`);
  }
});
