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
    expect(text).not.toContain('failed:');
  });
});
