import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { manifest } from '../src/index.js';

/**
 * The action catalog (../shared/design/CATALOG.md): every key and its title. `true` marks the [S1] titles,
 * which StackOne-style hosts match exactly. Kept here so the test runs anywhere; when the design folder is
 * beside the project (as in CI), it is checked against it too.
 */
const CATALOG: Record<string, [string, boolean?]> = {
  'get-user': ['Get User', true],
  'list-users': ['List Users', true],
  'find-user': ['Find User'],
  'list-user-groups': ['List User Groups'],
  'list-user-apps': ['List User Apps'],
  'list-user-blocks': ['List User Blocks', true],
  'list-user-factors': ['List User Factors'],
  'list-user-roles': ['List User Roles'],
  'list-user-grants': ['List User Grants'],
  'get-user-info': ['Get User Info', true],
  'create-user': ['Create User', true],
  'update-user': ['Update User', true],
  'replace-user': ['Replace User', true],
  'delete-user': ['Delete User', true],
  'activate-user': ['Activate User'],
  'reactivate-user': ['Reactivate User'],
  'deactivate-user': ['Deactivate User'],
  'suspend-user': ['Suspend User'],
  'unsuspend-user': ['Unsuspend User'],
  'unlock-user': ['Unlock User'],
  'reset-password': ['Reset Password'],
  'expire-password': ['Expire Password'],
  'set-password': ['Set Password'],
  'reset-factors': ['Reset Factors'],
  'reset-factor': ['Reset Factor'],
  'clear-user-sessions': ['Clear User Sessions'],
  'revoke-user-grants': ['Revoke User Grants'],
  'list-groups': ['List Groups', true],
  'get-group': ['Get Group', true],
  'create-group': ['Create Group', true],
  'update-group': ['Update Group', true],
  'delete-group': ['Delete Group', true],
  'list-group-members': ['List Group Members', true],
  'add-user-to-group': ['Add User To Group', true],
  'remove-user-from-group': ['Remove User From Group', true],
  'list-group-apps': ['List Group Apps'],
  'list-group-rules': ['List Group Rules'],
  'get-group-rule': ['Get Group Rule'],
  'create-group-rule': ['Create Group Rule'],
  'activate-group-rule': ['Activate Group Rule'],
  'deactivate-group-rule': ['Deactivate Group Rule'],
  'delete-group-rule': ['Delete Group Rule'],
  'list-apps': ['List Applications'],
  'get-app': ['Get Application'],
  'activate-app': ['Activate Application'],
  'deactivate-app': ['Deactivate Application'],
  'list-app-users': ['List Application Users'],
  'assign-user-to-app': ['Assign User To Application'],
  'get-app-user': ['Get Application User'],
  'update-app-user': ['Update Application User'],
  'unassign-user-from-app': ['Unassign User From Application'],
  'list-app-groups': ['List Application Groups'],
  'assign-group-to-app': ['Assign Group To Application'],
  'unassign-group-from-app': ['Unassign Group From Application'],
  'list-devices': ['List Devices', true],
  'get-device': ['Get Device', true],
  'activate-device': ['Activate Device', true],
  'deactivate-device': ['Deactivate Device', true],
  'suspend-device': ['Suspend Device'],
  'unsuspend-device': ['Unsuspend Device'],
  'delete-device': ['Delete Device', true],
  'list-device-users': ['List Device Users'],
  'assign-role-to-user': ['Assign Role To User'],
  'unassign-role-from-user': ['Unassign Role From User'],
  'list-roles': ['List Roles'],
  'list-realms': ['List Realms', true],
  'get-realm': ['Get Realm', true],
  'create-realm': ['Create Realm', true],
  'update-realm': ['Update Realm', true],
  'delete-realm': ['Delete Realm', true],
  'list-user-types': ['List User Types', true],
  'get-user-type': ['Get User Type', true],
  'create-user-type': ['Create User Type', true],
  'update-user-type': ['Update User Type', true],
  'replace-user-type': ['Replace User Type', true],
  'delete-user-type': ['Delete User Type', true],
  'list-log-events': ['List System Log Events'],
  'list-network-zones': ['List Network Zones'],
  'get-network-zone': ['Get Network Zone'],
  'block-ip-addresses': ['Block IP Addresses'],
  'unblock-ip-addresses': ['Unblock IP Addresses'],
  'list-api-tokens': ['List API Tokens'],
  'revoke-api-token': ['Revoke API Token'],
  'list-identity-providers': ['List Identity Providers'],
  'list-event-hooks': ['List Event Hooks'],
  'create-event-hook': ['Create Event Hook'],
  'verify-event-hook': ['Verify Event Hook'],
  'activate-event-hook': ['Activate Event Hook'],
  'deactivate-event-hook': ['Deactivate Event Hook'],
  'delete-event-hook': ['Delete Event Hook'],
  'call-okta-api': ['Call Okta API'],
  'offboard-user': ['Offboard User'],
};

const CATALOG_FILE = new URL('../../shared/design/CATALOG.md', import.meta.url);

describe('the action catalog', () => {
  it('has every key of the catalog, and nothing else', () => {
    expect(manifest.actions.map((a) => a.key).sort()).toEqual(Object.keys(CATALOG).sort());
  });

  it('uses the catalog titles; the 32 [S1] titles exactly', () => {
    expect(Object.values(CATALOG).filter(([, s1]) => s1)).toHaveLength(32);
    for (const action of manifest.actions) expect(action.title, action.key).toBe(CATALOG[action.key]?.[0]);
  });

  // CI runs beside ../shared; a clone without it fails here, saying so, rather than skipping silently.
  it('matches ../shared/design/CATALOG.md', () => {
    expect(existsSync(CATALOG_FILE), `${CATALOG_FILE.pathname} is missing: clone beside ../shared`).toBe(
      true,
    );
    const text = readFileSync(CATALOG_FILE, 'utf8');
    const rows = text.split('\n').filter((line) => line.startsWith('|'));
    for (const [key, [title, s1]] of Object.entries(CATALOG)) {
      // A row names its key, or several keys joined by " / " (list-realms / get-realm / ...).
      const row = rows.find((line) =>
        line
          .split('|')[1]
          ?.split('/')
          .some((cell) => cell.trim() === key),
      );
      expect(row, key).toBeDefined();
      if (s1) expect(row!.includes(`${title} [S1]`) || /\[S1 ×\d+\]/.test(row!), key).toBe(true);
    }
  });
  // That every action was really executed (against the sandbox and nock, and dry-run when it changes Okta)
  // is checked from what the run recorded, by scripts/test.mjs ("every action executed").
});
