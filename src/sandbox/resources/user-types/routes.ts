/** The User Types API's operations: list, create, read, update, replace and delete types. */
import { noContent, ok, type RouteContext, type RouteHandler } from '../../route.js';
import {
  checkDeletable,
  checkNameIsFree,
  checkNameUnchanged,
  checkRoomForAnotherType,
  requireText,
  requireUserType,
  type UserTypeRecord,
  userTypesOf,
  userTypeTarget,
} from './model.js';
import { userTypeJson } from './render.js';

interface UserTypeBody {
  name?: string;
  displayName?: string;
  description?: string;
}

const listUserTypes: RouteHandler = (context) =>
  ok([...userTypesOf(context.org).values()].map((type) => userTypeJson(context.org, type)));

const createUserType: RouteHandler = (context) => {
  const { org } = context;
  const body = context.body as UserTypeBody;
  const name = requireText('name', body.name);
  const displayName = requireText('displayName', body.displayName);
  checkNameIsFree(org, name);
  checkRoomForAnotherType(org);
  const now = org.now();
  const type: UserTypeRecord = {
    id: org.ids.id('oty'),
    name,
    displayName,
    description: body.description ?? '',
    isDefault: false,
    createdBy: context.principal.userId,
    lastUpdatedBy: context.principal.userId,
    created: now,
    lastUpdated: now,
  };
  userTypesOf(org).set(type.id, type);
  org.changed();
  org.log.record('user_type.lifecycle.create', 'Create user type', [userTypeTarget(type)]);
  return ok(userTypeJson(org, type));
};

const getUserType: RouteHandler = (context) =>
  ok(userTypeJson(context.org, requireUserType(context.org, context.params.typeId!)));

/** POST: only the fields sent change. */
const updateUserType: RouteHandler = (context) => {
  const type = requireUserType(context.org, context.params.typeId!);
  const body = context.body as UserTypeBody;
  checkNameUnchanged(type, body.name);
  return changeUserType(context, type, {
    displayName: body.displayName ?? type.displayName,
    description: body.description ?? type.description,
  });
};

/** PUT: the whole type is sent again (name included, unchanged). */
const replaceUserType: RouteHandler = (context) => {
  const type = requireUserType(context.org, context.params.typeId!);
  const body = (context.body ?? {}) as UserTypeBody;
  checkNameUnchanged(type, requireText('name', body.name));
  return changeUserType(context, type, {
    displayName: body.displayName ?? '',
    description: body.description ?? '',
  });
};

function changeUserType(
  context: RouteContext,
  type: UserTypeRecord,
  next: { displayName: string; description: string },
) {
  const { org } = context;
  type.displayName = requireText('displayName', next.displayName);
  type.description = next.description;
  type.lastUpdated = org.now();
  type.lastUpdatedBy = context.principal.userId;
  org.changed();
  org.log.record('user_type.lifecycle.update', 'Update user type', [userTypeTarget(type)]);
  return ok(userTypeJson(org, type));
}

const deleteUserType: RouteHandler = (context) => {
  const { org } = context;
  const type = requireUserType(org, context.params.typeId!);
  checkDeletable(org, type);
  userTypesOf(org).delete(type.id);
  org.changed();
  org.log.record('user_type.lifecycle.delete', 'Delete user type', [userTypeTarget(type)]);
  return noContent();
};

export const userTypesRoutes: Record<string, RouteHandler> = {
  listUserTypes,
  createUserType,
  getUserType,
  updateUserType,
  replaceUserType,
  deleteUserType,
};
