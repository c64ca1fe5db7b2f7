import { describe, expect, it } from 'vitest';
import { contractProblemsOfRecordedRequests, oktaMock, resetRecordedRequests } from './helpers/okta-mock.js';

// The contract check after every test is only worth something if it catches a bad request.
describe('the request contract harness', () => {
  it('flags a request with an undeclared parameter or a wrong body', async () => {
    oktaMock().get('/api/v1/users').query(true).reply(200, []);
    oktaMock().post('/api/v1/users').reply(200, {});
    await fetch('https://acme.okta.com/api/v1/users?limit=5&pageSize=9');
    await fetch('https://acme.okta.com/api/v1/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ profile: 'jane' }),
    });
    const problems = contractProblemsOfRecordedRequests();
    expect(problems).toEqual([
      expect.stringContaining('query parameter "pageSize" is not in the description'),
      expect.stringContaining('(createUser) body/profile: must be object'),
    ]);
    resetRecordedRequests();
  });
});
