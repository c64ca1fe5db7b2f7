/**
 * What `okta-actions test-connection` prints: a short summary a person reads at a glance (who the
 * connection acts as, its roles and scopes, which actions are not expected to work and why, the rate
 * limit), and the per-action table only when asked for (--actions). The whole result is --json's job.
 */
import type { ActionCapability, Expectation } from '../runtime/capabilities.js';
import type { TestConnectionResult } from '../runtime/test-connection.js';

/** Up to this many actions that will not work are named in the summary; past it, reasons are counted. */
const NAMED_AT_MOST = 10;
/** The reasons counted in the summary, the commonest first. */
const REASONS_AT_MOST = 5;

/** Facts are lines of `  Label:  text`; a list under a fact starts where the text does. */
const LABEL_WIDTH = 15;
const TEXT_INDENT = ' '.repeat(2 + LABEL_WIDTH + 1);

const FEATURE_NAMES: Record<string, string> = { devices: 'Devices API', realms: 'Realms' };

/**
 * The summary: the result's message, then one line per fact the test learned. Unless the table follows,
 * it ends by saying how to get it.
 */
export function connectionSummary(result: TestConnectionResult, { tableFollows = false } = {}): string {
  const { details } = result;
  const lines = [result.message];
  const fact = (label: string, text: string) => lines.push(`  ${`${label}:`.padEnd(LABEL_WIDTH)} ${text}`);

  if (!result.ok) {
    const status = details.status ? `, HTTP ${details.status}` : '';
    const okta = details.okta?.errorCode ? `, Okta ${details.okta.errorCode}` : '';
    const retry = details.retryable ? 'trying again may help' : 'trying again as is will not help';
    if (details.code) fact('Error', `${details.code}${status}${okta}; ${retry}`);
    for (const problem of details.problems ?? [])
      fact('Problem', `${problem.path || 'connection'} ${problem.message}`);
    return `${lines.join('\n')}\n`;
  }

  if (details.subject) {
    const subject = details.subject;
    const who =
      subject.kind === 'user'
        ? `the user ${subject.login} (${subject.id})`
        : `the service app ${subject.clientId}`;
    fact(
      'Acts as',
      `${who}, with ${details.connectionType === 'api_token' ? 'an API token' : details.connectionType}`,
    );
  }
  fact(
    'Admin roles',
    details.adminRoles === undefined
      ? 'could not be read'
      : details.adminRoles.length > 0
        ? details.adminRoles.join(', ')
        : 'none',
  );
  if (details.scopes)
    fact('Scopes', `${details.scopes.join(' ')}${details.dpop ? ' (DPoP-bound token)' : ''}`);
  const features = Object.entries(details.features ?? {}).map(
    ([name, present]) => `${FEATURE_NAMES[name] ?? name} ${present ? 'available' : 'not available'}`,
  );
  if (features.length > 0) fact('Features', features.join(', '));
  // A few actions that will not work are named, under their reason. Many (a service app granted one
  // scope: some 80, for 20 reasons) would bury the summary: then the commonest reasons are counted, and
  // --actions names every action. Those that cannot be told are only counted: they can be all of them.
  const wontWork = groupByReason(details.actions ?? [], 'no');
  if ([...wontWork.values()].flat().length <= NAMED_AT_MOST) {
    for (const [reason, keys] of wontWork) {
      fact('Will not work', `${count(keys)}, because ${reason}:`);
      lines.push(...wrapped(keys.join(', '), TEXT_INDENT));
    }
  } else {
    const commonest = [...wontWork].sort(([, a], [, b]) => b.length - a.length);
    for (const [reason, keys] of commonest.slice(0, REASONS_AT_MOST)) {
      fact('Will not work', `${count(keys)}, because ${reason}`);
    }
    const rest = commonest.slice(REASONS_AT_MOST);
    if (rest.length > 0) {
      const others = rest.flatMap(([, keys]) => keys);
      fact(
        'Will not work',
        `${others.length} more, for ${rest.length} other reason${rest.length === 1 ? '' : 's'}`,
      );
    }
  }
  for (const [reason, keys] of groupByReason(details.actions ?? [], 'unknown')) {
    fact('Cannot tell', `${count(keys)}, because ${reason}`);
  }
  if (details.rateLimit) {
    const { remaining, limit, resetAt } = details.rateLimit;
    fact(
      'Rate limit',
      `${remaining} of ${limit} requests left on the last endpoint read; resets at ${resetAt}`,
    );
  }
  if (!tableFollows) {
    lines.push(
      'Every action and whether it is expected to work: --actions. The whole result as JSON: --json.',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The per-action table: key, expected (yes / no / unknown), and why not. */
export function actionTable(actions: ActionCapability[]): string {
  const keyWidth = Math.max('Action'.length, ...actions.map((action) => action.key.length));
  const rows = actions.map((action) =>
    `${action.key.padEnd(keyWidth)}  ${action.expected.padEnd(8)}  ${action.reason ?? ''}`.trimEnd(),
  );
  return `${['', `${'Action'.padEnd(keyWidth)}  Expected  Why not`, ...rows].join('\n')}\n`;
}

function count(keys: string[]): string {
  return `${keys.length} action${keys.length === 1 ? '' : 's'}`;
}

/** The actions with one expectation, grouped by their reason (in the order reasons first appear). */
function groupByReason(actions: ActionCapability[], expected: Expectation): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const action of actions) {
    if (action.expected !== expected) continue;
    const reason = action.reason ?? 'no reason given';
    groups.set(reason, [...(groups.get(reason) ?? []), action.key]);
  }
  return groups;
}

/** Breaks a long comma-separated list into lines of at most 100 characters, each indented. */
function wrapped(text: string, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent.length + line.length + 1 + word.length > 100) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(indent + line);
  return lines;
}
