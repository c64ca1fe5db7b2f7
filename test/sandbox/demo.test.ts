import { describe, expect, it } from 'vitest';
import { runDemo } from '../../src/cli/demo.js';

describe('the demo', () => {
  it('runs the whole playbook against a sandbox and says so', async () => {
    const lines: string[] = [];
    const ok = await runDemo({ out: (line) => lines.push(line) });
    const text = lines.join('\n');
    expect(ok, text).toBe(true);
    expect(text).toContain('test-connection: Connected to http://127.0.0.1:');
    for (const action of [
      'create-user',
      'list-groups',
      'add-user-to-group',
      'list-group-members',
      'deactivate-user',
      'remove-user-from-group',
      'delete-user',
      'list-devices',
      'deactivate-device',
    ]) {
      expect(text).toContain(` ${action} {`);
    }
    expect(text).toMatch(
      /14 actions, all succeeded, in [\d.]+ s: 8 changed Okta, 2 found it already as asked/,
    );
    expect(text).toContain('user.lifecycle.delete.initiated');
    // The listener part: what the playbook made Okta deliver, and polling agreeing with it.
    expect(text).toMatch(/user-created {13}Create Okta user: alex\.rivera@example\.com/);
    expect(text).toMatch(/device-deactivated {7}Device deactivated: Jane's MacBook Pro/);
    expect(text).toContain(
      '8 events by event hook; polling the System Log for the same triggers gives 8: the same events, each once',
    );
    expect(text).not.toContain('failed:');
  });
});
