import nock from 'nock';
import { afterEach, beforeAll, beforeEach } from 'vitest';
import { forgetGovernors } from '../src/okta/governor.js';
import { contractProblemsOfRecordedRequests, resetRecordedRequests } from './helpers/okta-mock.js';

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
