/** What a route handler gets and gives back. Handlers are keyed by Okta operationId (routes.ts). */
import type { SandboxOrg } from './org.js';
import type { Page, PageRules, SortKey } from './paging.js';
import { pageOf } from './paging.js';
import type { LogParty } from './system-log.js';

export interface Principal {
  token: string;
  /**
   * Who acts: the admin who created an API token, the user an OAuth token was issued to, or, for a
   * client-credentials token, the service app's client id (so `me` names no user, as with Okta).
   */
  userId: string;
  /** False for a token whose admin lost its admin role (or an app without one): management calls answer 403. */
  admin: boolean;
  /** For an OAuth access token: the client it was issued to, its scopes, and the user it acts as. */
  oauth?: { clientId: string; scopes: string[]; userId: string | undefined };
  /** Who the System Log names for what this request changes, when not the sandbox admin. */
  actor?: LogParty;
}

export interface RouteContext {
  org: SandboxOrg;
  operationId: string;
  /** Path parameters, decoded. */
  params: Record<string, string>;
  url: URL;
  query: URLSearchParams;
  /** The parsed JSON body, or undefined. */
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  principal: Principal;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Most handlers answer at once; one that must call out (event hook verification) returns a promise. */
export type RouteHandler = (context: RouteContext) => RouteResult | Promise<RouteResult>;

export function ok(body: unknown, headers?: Record<string, string>): RouteResult {
  return { status: 200, body, ...(headers ? { headers } : {}) };
}

export function created(body: unknown): RouteResult {
  return { status: 201, body };
}

export function noContent(): RouteResult {
  return { status: 204 };
}

/** A page of a sorted list, answered with Okta's Link header. */
export function listPage<T>(
  context: RouteContext,
  sorted: readonly T[],
  keyOf: (item: T) => SortKey,
  rules: PageRules,
  toJson: (item: T) => unknown,
  descending = false,
): RouteResult {
  const page: Page<T> = pageOf(
    { baseUrl: context.org.baseUrl, url: context.url },
    sorted,
    keyOf,
    rules,
    descending,
  );
  return ok(page.items.map(toJson), page.headers);
}

/** A boolean query parameter as Okta reads it ("true"/"false"), with its default. */
export function flag(context: RouteContext, name: string, fallback: boolean): boolean {
  const value = context.query.get(name);
  return value === null ? fallback : value === 'true';
}

/** `{ href }` links as Okta writes them. */
export function link(
  org: SandboxOrg,
  path: string,
  methods?: string[],
): { href: string; hints?: { allow: string[] } } {
  return { href: `${org.baseUrl}${path}`, ...(methods ? { hints: { allow: methods } } : {}) };
}
