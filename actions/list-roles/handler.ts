import { STANDARD_ADMIN_ROLES } from '../../src/domain/admin-roles.js';
import { ActionError, invalidInput } from '../../src/errors/action-error.js';
import { defineAction } from '../../src/handler/define-action.js';
import type { OktaContext } from '../../src/handler/okta-context.js';
import type { Input, Output } from './types.gen.js';

type CustomRole = Output['customRoles'][number];

/**
 * GET /api/v1/iam/roles answers an object, `{ roles, _links: { next } }`, not a list, so the shared
 * pagination helper (which reads list answers and Link headers) cannot page it; this reads it the same
 * way: Okta's next link followed as given, at most maxItems roles, and a cursor where a run stops early.
 */
const ROLES_PATH = '/api/v1/iam/roles';
const DEFAULT_MAX_ITEMS = 200;

interface RolesPage {
  roles?: CustomRole[];
  _links?: { next?: { href?: string } };
}

/** Where a run continues: the page (path and query, from Okta's link) and how many of its roles to skip. */
interface Position {
  page: string;
  skip: number;
}

export default defineAction<Input, Output>(async ({ okta, input }) => {
  const start: Position = input.cursor ? decodeCursor(input.cursor) : { page: ROLES_PATH, skip: 0 };
  const { roles, nextCursor } = await readCustomRoles(okta, start, input.maxItems ?? DEFAULT_MAX_ITEMS);
  return {
    customRoles: roles,
    count: roles.length,
    nextCursor,
    standardRoles: STANDARD_ADMIN_ROLES.map((role) => ({ ...role })),
  };
});

/** At most maxItems custom roles from `start` on, and where the next run continues (null: the end). */
async function readCustomRoles(
  okta: OktaContext,
  start: Position,
  maxItems: number,
): Promise<{ roles: CustomRole[]; nextCursor: string | null }> {
  const roles: CustomRole[] = [];
  let at = start;
  for (;;) {
    const body = await okta.getJson<RolesPage>(at.page);
    const onPage = (body.roles ?? []).slice(at.skip);
    const room = maxItems - roles.length;
    roles.push(...onPage.slice(0, room));
    // The page had more than fits: the next run starts on this same page, after what was returned.
    if (onPage.length > room)
      return { roles, nextCursor: encodeCursor({ page: at.page, skip: at.skip + room }) };
    const next = nextPage(okta, body);
    if (!next) return { roles, nextCursor: null };
    if (roles.length >= maxItems) return { roles, nextCursor: encodeCursor({ page: next, skip: 0 }) };
    if (next === at.page) {
      throw new ActionError(
        'UPSTREAM',
        "Okta's next-page link for the roles points at the same page; stopped.",
      );
    }
    at = { page: next, skip: 0 };
  }
}

/** The next page as a path and query, refusing a link to another host or endpoint (the token follows it). */
function nextPage(okta: OktaContext, body: RolesPage): string | undefined {
  const href = body._links?.next?.href;
  if (!href) return undefined;
  const url = new URL(href, okta.orgUrl);
  if (url.origin !== new URL(okta.orgUrl).origin || url.pathname !== ROLES_PATH) {
    throw new ActionError(
      'UPSTREAM',
      "Okta's next-page link for the roles leads elsewhere; refused to follow it.",
    );
  }
  return `${url.pathname}${url.search}`;
}

function encodeCursor(at: Position): string {
  return Buffer.from(JSON.stringify({ v: 1, p: at.page, s: at.skip })).toString('base64url');
}

function decodeCursor(cursor: string): Position {
  const refuse = () =>
    invalidInput('cursor', 'is not a cursor from a previous run of List Roles; copy its nextCursor exactly');
  let state: { v?: unknown; p?: unknown; s?: unknown } | null;
  try {
    state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse();
  }
  if (typeof state !== 'object' || state === null) throw refuse();
  const { p: page, s: skip } = state;
  if (
    state.v !== 1 ||
    typeof page !== 'string' ||
    typeof skip !== 'number' ||
    !Number.isInteger(skip) ||
    skip < 0
  )
    throw refuse();
  const url = new URL(page, 'http://placeholder');
  if (url.origin !== 'http://placeholder' || url.pathname !== ROLES_PATH) throw refuse();
  return { page: `${url.pathname}${url.search}`, skip };
}
