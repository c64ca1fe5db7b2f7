/** The Schema API's reads: a user type's profile schema, the group schema, an app's user schema. */
import { ok, type RouteHandler } from '../../route.js';
import { appUserSchemaJson, groupSchemaJson, userSchemaJson } from './render.js';

const getUserSchema: RouteHandler = (context) => ok(userSchemaJson(context.org, context.params.schemaId!));

const getGroupSchema: RouteHandler = (context) => ok(groupSchemaJson(context.org));

const getApplicationUserSchema: RouteHandler = (context) =>
  ok(appUserSchemaJson(context.org, context.params.appId!));

export const schemaRoutes: Record<string, RouteHandler> = {
  getUserSchema,
  getGroupSchema,
  getApplicationUserSchema,
};
