/**
 * What a list request asks for, read the same way by every list that takes them: a search or a filter
 * expression (Okta refuses both at once), and the order of a search's results.
 */
import { invalidSearch } from './errors.js';
import { type Expression, type ExpressionRules, parseExpression } from './expressions.js';

export interface ListCriteria {
  search: string | null;
  filter: string | null;
  /** The search or the filter, parsed; undefined when the request has neither. */
  expression: Expression | undefined;
  /** sortBy and sortOrder apply to search queries only, as Okta documents. */
  sortBy: string | null;
  descending: boolean;
}

/** A list without filter rules reads no filter: the parameter is not in its description, so it is ignored. */
export function listCriteria(
  query: URLSearchParams,
  rules: { search: ExpressionRules; filter?: ExpressionRules },
): ListCriteria {
  const search = query.get('search');
  const filter = rules.filter ? query.get('filter') : null;
  if (search !== null && filter !== null) throw invalidSearch('Use either search or filter, not both.');
  const expression =
    search !== null
      ? parseExpression(search, rules.search)
      : filter !== null && rules.filter
        ? parseExpression(filter, rules.filter)
        : undefined;
  const sortBy = search !== null ? query.get('sortBy') : null;
  const descending = sortBy !== null && query.get('sortOrder') === 'desc';
  return { search, filter, expression, sortBy, descending };
}

/**
 * The value at `path` ("profile.name") that a search sorts by, compared without case. Numbers stay numbers
 * where the list sorts them as such (users); elsewhere every value compares as text.
 */
export function sortValueAt(
  record: object,
  path: string,
  numbers: 'as numbers' | 'as text',
): string | number | null {
  let current: unknown = record;
  for (const part of path.split('.')) current = (current as Record<string, unknown> | undefined)?.[part];
  if (numbers === 'as numbers' && typeof current === 'number') return current;
  return current == null ? null : String(current).toLowerCase();
}
