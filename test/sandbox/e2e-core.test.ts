import { expect } from 'vitest';
import { findUser } from '../../src/sandbox/resources/users/model.js';
import { deviceIdsOf, groupIdOf } from '../helpers/sandbox-data.js';
import { mutation, mutationScenarios } from '../helpers/scenarios.js';

mutationScenarios([
  mutation({
    key: 'create-user',
    input: async () => ({ profile: { email: 'new.hire@example.com', firstName: 'New', lastName: 'Hire' } }),
    expectOutput: (output) =>
      expect(output).toMatchObject({ status: 'STAGED', login: 'new.hire@example.com' }),
  }),
  mutation({
    key: 'update-user',
    input: async () => ({
      user: 'jane.doe@example.com',
      profile: { title: 'Staff Engineer', city: 'Lisbon' },
    }),
    expectOutput: (output) => expect(output.changedFields).toEqual(['title', 'city']),
  }),
  mutation({ key: 'deactivate-user', input: async () => ({ user: 'jane.doe@example.com' }) }),
  mutation({
    key: 'delete-user',
    input: async () => ({ user: 'omar.haddad@example.com', missingOk: true }),
    expectOutput: (output, sandbox) => {
      expect(output).toMatchObject({ deactivatedFirst: true, deleted: true });
      expect(findUser(sandbox.org, 'omar.haddad@example.com')).toBeUndefined();
    },
  }),
  mutation({
    key: 'add-user-to-group',
    input: async (sandbox) => ({ groupId: groupIdOf(sandbox, 'Finance'), user: 'jane.doe@example.com' }),
  }),
  mutation({
    key: 'remove-user-from-group',
    input: async (sandbox) => ({ groupId: groupIdOf(sandbox, 'Engineering'), user: 'jane.doe@example.com' }),
  }),
  mutation({
    key: 'deactivate-device',
    input: async (sandbox) => ({ deviceId: deviceIdsOf(sandbox, 'jane.doe@example.com')[0]! }),
  }),
]);
