/**
 * A group rule's expression: a small, well-defined subset of the Okta Expression Language, parsed into a
 * condition and evaluated against a user. "The expression subset" below says what is understood and what
 * is refused.
 */
import { validationFailed } from '../../errors.js';
import type { SandboxOrg } from '../../org.js';
import { groupIdsOfUser } from '../groups/model.js';
import type { UserRecord } from '../users/model.js';

// ---------------------------------------------------------------------------------------------------------
// The expression subset
//
// Understood:  user.<attr> == "text"   user.<attr> != "text"   (profile attributes, case-sensitive)
//              String.startsWith(user.<attr>, "text")
//              isMemberOfAnyGroup("groupId", ...)   isMemberOfGroup("groupId")
//              a && b   a || b   (also AND / OR, any case), parentheses; && binds tighter than ||.
// Refused (400 E0000001): anything else: other functions (String.stringContains, Arrays.contains, ...),
// other operators (!, NOT, <, >, ternaries), numbers, booleans, null, single-quoted strings, attributes of
// anything but `user`, and group ids the org does not have.

export type RuleCondition =
  | { kind: 'and' | 'or'; left: RuleCondition; right: RuleCondition }
  | { kind: 'equals'; attribute: string; value: string; negated: boolean }
  | { kind: 'startsWith'; attribute: string; prefix: string }
  | { kind: 'memberOf'; groupIds: string[] };

type Token =
  | { type: 'name'; text: string }
  | { type: 'string'; text: string }
  | { type: '(' | ')' | ',' | '==' | '!=' | '&&' | '||' };

const PUNCTUATION = ['==', '!=', '&&', '||', '(', ')', ','] as const;

function refuseExpression(what: string): never {
  throw validationFailed('conditions.expression.value', [
    `conditions.expression.value: ${what} (the sandbox understands ==, !=, &&, ||, String.startsWith, isMemberOfAnyGroup and isMemberOfGroup on user profile attributes)`,
  ]);
}

function tokenizeExpression(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const space = /^\s+/.exec(rest);
    const punctuation = PUNCTUATION.find((p) => rest.startsWith(p));
    const name = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(rest);
    if (space) {
      i += space[0].length;
    } else if (punctuation) {
      tokens.push({ type: punctuation });
      i += punctuation.length;
    } else if (rest.startsWith('"')) {
      const [value, length] = readString(rest);
      tokens.push({ type: 'string', text: value });
      i += length;
    } else if (name) {
      tokens.push({ type: 'name', text: name[0] });
      i += name[0].length;
    } else {
      refuseExpression(`"${rest[0]}" is not understood`);
    }
  }
  return tokens;
}

/** A double-quoted string with backslash escapes: its value and how many characters it took. */
function readString(text: string): [string, number] {
  let value = '';
  let i = 1;
  while (i < text.length && text[i] !== '"') {
    if (text[i] === '\\' && i + 1 < text.length) i += 1;
    value += text[i];
    i += 1;
  }
  if (i >= text.length) refuseExpression('a string is not closed');
  return [value, i + 1];
}

export function parseRuleExpression(text: string): RuleCondition {
  const tokens = tokenizeExpression(text);
  let position = 0;
  const peek = () => tokens[position];
  const isWord = (token: Token | undefined, word: string) =>
    token?.type === 'name' && token.text.toUpperCase() === word;
  const expect = (type: Token['type'], what: string): Token => {
    const token = tokens[position];
    if (token?.type !== type) refuseExpression(`${what} is expected`);
    position += 1;
    return token!;
  };
  const expectString = (what: string): string => (expect('string', what) as { text: string }).text;

  const parseOr = (): RuleCondition => {
    let left = parseAnd();
    while (peek()?.type === '||' || isWord(peek(), 'OR')) {
      position += 1;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): RuleCondition => {
    let left = parsePrimary();
    while (peek()?.type === '&&' || isWord(peek(), 'AND')) {
      position += 1;
      left = { kind: 'and', left, right: parsePrimary() };
    }
    return left;
  };
  const parseArguments = (): string[] => {
    expect('(', 'an opening parenthesis');
    const values = [expectString('a group id in double quotes')];
    while (peek()?.type === ',') {
      position += 1;
      values.push(expectString('a group id in double quotes'));
    }
    expect(')', 'a closing parenthesis');
    return values;
  };
  const parsePrimary = (): RuleCondition => {
    const token = peek();
    if (!token) return refuseExpression('the expression ends too early');
    if (token.type === '(') {
      position += 1;
      const inner = parseOr();
      expect(')', 'a closing parenthesis');
      return inner;
    }
    if (token.type !== 'name') return refuseExpression('a condition is expected');
    position += 1;
    if (token.text === 'isMemberOfAnyGroup') return { kind: 'memberOf', groupIds: parseArguments() };
    if (token.text === 'isMemberOfGroup') {
      const groupIds = parseArguments();
      if (groupIds.length !== 1) refuseExpression('isMemberOfGroup takes one group id');
      return { kind: 'memberOf', groupIds };
    }
    if (token.text === 'String.startsWith') {
      expect('(', 'an opening parenthesis');
      const attribute = profileAttribute(expect('name', 'a user attribute') as { text: string });
      expect(',', 'a comma');
      const prefix = expectString('a prefix in double quotes');
      expect(')', 'a closing parenthesis');
      return { kind: 'startsWith', attribute, prefix };
    }
    const attribute = profileAttribute(token);
    const operator = peek();
    if (operator?.type !== '==' && operator?.type !== '!=')
      return refuseExpression(`== or != is expected after ${token.text}`);
    position += 1;
    const value = expectString('a value in double quotes');
    return { kind: 'equals', attribute, value, negated: operator.type === '!=' };
  };

  const condition = parseOr();
  if (position < tokens.length) refuseExpression('there is more after the end of the expression');
  return condition;
}

/** `user.department` -> `department`: group rules read the Okta user profile only. */
function profileAttribute(token: { text: string }): string {
  const match = /^user\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(token.text);
  if (!match) return refuseExpression(`${token.text} is not a user profile attribute (user.<attribute>)`);
  return match[1]!;
}

export function groupIdsInCondition(condition: RuleCondition): string[] {
  switch (condition.kind) {
    case 'and':
    case 'or':
      return [...groupIdsInCondition(condition.left), ...groupIdsInCondition(condition.right)];
    case 'memberOf':
      return condition.groupIds;
    default:
      return [];
  }
}

export function matchesCondition(org: SandboxOrg, condition: RuleCondition, user: UserRecord): boolean {
  switch (condition.kind) {
    case 'and':
      return matchesCondition(org, condition.left, user) && matchesCondition(org, condition.right, user);
    case 'or':
      return matchesCondition(org, condition.left, user) || matchesCondition(org, condition.right, user);
    case 'equals':
      return (user.profile[condition.attribute] === condition.value) !== condition.negated;
    case 'startsWith': {
      const value = user.profile[condition.attribute];
      return typeof value === 'string' && value.startsWith(condition.prefix);
    }
    case 'memberOf': {
      const memberships = new Set(groupIdsOfUser(org, user.id));
      return condition.groupIds.some((id) => memberships.has(id));
    }
  }
}
