import { type OktaUserJson, userResult } from '../../src/domain/users.js';
import { ActionError, invalidInput } from '../../src/errors/action-error.js';
import { defineAction } from '../../src/handler/define-action.js';
import { quoteLiteral } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

/** One page of Okta's largest size; when even more users match, the message says "at least". */
const MAX_MATCHES = 200;

interface Criterion {
  attribute: 'profile.email' | 'profile.login';
  label: 'email' | 'login';
  value: string;
}

export default defineAction<Input, Output>(async ({ okta, input }) => {
  const criterion = criterionOf(input);
  // A filter, not a search: search reads an eventually consistent index and can miss a new user.
  // Okta's filter returns DEPROVISIONED users too; they are dropped here unless asked for.
  const page = await okta.paginate<OktaUserJson>({
    path: '/api/v1/users',
    query: { filter: `${criterion.attribute} eq ${quoteLiteral(criterion.value)}` },
    pageSize: MAX_MATCHES,
    maxItems: MAX_MATCHES,
  });
  const matches = input.includeDeprovisioned
    ? page.items
    : page.items.filter((user) => user.status !== 'DEPROVISIONED');
  if (matches.length === 0) throw notFound(criterion, page.items.length > 0);
  if (matches.length > 1) throw ambiguous(criterion, matches.length, page.nextCursor !== null);
  return userResult(matches[0]!);
});

function criterionOf(input: Input): Criterion {
  if (input.email && input.login)
    throw invalidInput('login', 'cannot be combined with email; give one of them');
  if (input.email) return { attribute: 'profile.email', label: 'email', value: input.email };
  if (input.login) return { attribute: 'profile.login', label: 'login', value: input.login };
  throw invalidInput('email', 'or login is required: give the address to look for');
}

function notFound(criterion: Criterion, onlyDeactivated: boolean): ActionError {
  const hint = onlyDeactivated
    ? ' Only a deactivated (DEPROVISIONED) user has it; set includeDeprovisioned to find that user.'
    : ' Check the spelling; the value must match exactly.';
  return new ActionError('NOT_FOUND', `No user has the ${criterion.label} ${criterion.value}.${hint}`, {
    retryable: false,
  });
}

function ambiguous(criterion: Criterion, count: number, more: boolean): ActionError {
  return new ActionError(
    'CONFLICT',
    `${more ? 'At least ' : ''}${count} users have the ${criterion.label} ${criterion.value}, so no single user can be chosen. Find the user by login (logins are unique), or list them with list-users and the filter ${criterion.attribute} eq "...".`,
    { retryable: false },
  );
}
