import {
  appGroupPath,
  differingAttributes,
  findAppGroupAssignment,
  type OktaAppGroupJson,
} from '../../src/domain/apps.js';
import { defineAction, PLANNED } from '../../src/handler/define-action.js';
import { toPlainJson } from '../../src/handler/okta-context.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  const current = await findAppGroupAssignment(okta, input.appId, input.groupId);
  const changedFields = current ? changesTo(current, input) : ['assignment', ...givenFields(input)];
  const result = { appId: input.appId, groupId: input.groupId, previouslyAssigned: current !== undefined };
  if (current && changedFields.length === 0) {
    return {
      ...result,
      priority: current.priority ?? null,
      changed: false,
      changedFields,
      groupAssignment: current,
    };
  }

  const assigned = await change(
    current ? 'update group assignment' : 'assign group',
    { method: 'PUT', path: appGroupPath(input.appId, input.groupId) },
    () =>
      okta.sdk.applicationApi.assignGroupToApplication({
        appId: input.appId,
        groupId: input.groupId,
        applicationGroupAssignment: current ? updatedAssignment(current, input) : newAssignment(input),
      }),
  );
  if (!assigned) return PLANNED;
  const groupAssignment = toPlainJson<OktaAppGroupJson>(assigned);
  return {
    ...result,
    priority: groupAssignment.priority ?? null,
    changed: true,
    changedFields,
    groupAssignment,
  };
});

function changesTo(current: OktaAppGroupJson, input: Input): string[] {
  return [
    ...(input.priority !== undefined && input.priority !== current.priority ? ['priority'] : []),
    ...differingAttributes(current.profile, input.profile).map((name) => `profile.${name}`),
  ];
}

function givenFields(input: Input): string[] {
  return [
    ...(input.priority !== undefined ? ['priority'] : []),
    ...Object.keys(input.profile ?? {}).map((name) => `profile.${name}`),
  ];
}

function newAssignment(input: Input) {
  return {
    ...(input.priority !== undefined ? { priority: input.priority } : {}),
    ...(input.profile ? { profile: withoutNulls(input.profile) } : {}),
  };
}

/**
 * The PUT replaces the assignment's profile as a whole, so the current profile is sent back with the given
 * attributes laid over it (a null removes one), and the current priority when none was given.
 */
function updatedAssignment(current: OktaAppGroupJson, input: Input) {
  const priority = input.priority ?? current.priority;
  return {
    ...(priority !== undefined ? { priority } : {}),
    profile: withoutNulls({ ...current.profile, ...input.profile }),
  };
}

function withoutNulls(profile: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(profile).filter(([, value]) => value !== null));
}
