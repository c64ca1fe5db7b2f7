/** How the live suite picks its target from OKTA_LIVE_ADDRESS and OKTA_LIVE_TOKEN (no network here). */
import { describe, expect, it } from 'vitest';
import { chooseTarget } from './target.js';

const TOKEN = '00LiveSuiteTargetTestToken0000000000000000';

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return String(error);
  }
  throw new Error('expected an error');
}

describe('chooseTarget', () => {
  it('neither variable: the sandbox, with normal timeouts', () => {
    expect(chooseTarget({})).toEqual({
      kind: 'sandbox',
      label: 'the built-in sandbox',
      timeouts: { test: 20_000, hook: 60_000 },
    });
    expect(chooseTarget({ OKTA_LIVE_ADDRESS: ' ', OKTA_LIVE_TOKEN: '' }).kind).toBe('sandbox');
  });

  it('both: that org, its address normalized as a host would, with generous timeouts', () => {
    const choice = chooseTarget({
      OKTA_LIVE_ADDRESS: 'https://acme-admin.okta.com/admin/dashboard',
      OKTA_LIVE_TOKEN: TOKEN,
    });
    expect(choice).toEqual({
      kind: 'okta',
      label: 'the Okta org https://acme.okta.com',
      timeouts: { test: 300_000, hook: 600_000 },
      orgUrl: 'https://acme.okta.com',
      host: 'acme.okta.com',
      apiToken: TOKEN,
    });
    // The label names the suite in the test output: never the token.
    expect(choice.label).not.toContain(TOKEN);
  });

  it('only one of them: an error naming the missing one, rather than a sandbox run mistaken for a live one', () => {
    expect(() => chooseTarget({ OKTA_LIVE_ADDRESS: 'acme.okta.com' })).toThrow(
      'OKTA_LIVE_ADDRESS is set but OKTA_LIVE_TOKEN is not',
    );
    const onlyToken = messageOf(() => chooseTarget({ OKTA_LIVE_TOKEN: TOKEN }));
    expect(onlyToken).toContain('OKTA_LIVE_TOKEN is set but OKTA_LIVE_ADDRESS is not');
    expect(onlyToken).not.toContain(TOKEN);
  });

  it('an address that is no Okta org address: an error saying why', () => {
    expect(() => chooseTarget({ OKTA_LIVE_ADDRESS: 'http://10.0.0.1', OKTA_LIVE_TOKEN: TOKEN })).toThrow(
      /^OKTA_LIVE_ADDRESS /,
    );
  });
});
