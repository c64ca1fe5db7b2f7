/**
 * Okta's search and filter expressions (a SCIM-like language): `attribute op "value"` joined with `and`,
 * `or` and parentheses, string values in double quotes with backslash escapes. Each endpoint allows its own
 * operators and attributes, and search compares string values without regard to case while filter does
 * not. Parsed once per request into a tree, then evaluated against each object.
 */
import { invalidSearch } from './errors.js';

export type Operator = 'eq' | 'sw' | 'co' | 'ew' | 'gt' | 'ge' | 'lt' | 'le' | 'pr';

export type Expression =
  | { kind: 'and' | 'or'; left: Expression; right: Expression }
  | { kind: 'compare'; attribute: string; operator: Operator; value: string | number | boolean | null };

export interface ExpressionRules {
  /** What the parameter is called in error messages: "search" or "filter". */
  name: string;
  operators: ReadonlySet<Operator>;
  /** When given, only these attributes, each with its own operators. */
  attributes?: Readonly<Record<string, ReadonlySet<Operator>>>;
  caseInsensitive: boolean;
}

const OPERATORS: ReadonlySet<string> = new Set(['eq', 'sw', 'co', 'ew', 'gt', 'ge', 'lt', 'le', 'pr']);

type Token = { type: 'word'; text: string } | { type: 'string'; text: string } | { type: '(' | ')' };

export function parseExpression(text: string, rules: ExpressionRules): Expression {
  const tokens = tokenize(text, rules);
  let position = 0;
  const fail = (what: string): never => {
    throw invalidSearch(`Invalid ${rules.name} expression: ${what}`);
  };
  const peekWord = (): string | undefined => {
    const token = tokens[position];
    return token?.type === 'word' ? token.text.toLowerCase() : undefined;
  };

  const parseOr = (): Expression => {
    let left = parseAnd();
    while (peekWord() === 'or') {
      position += 1;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): Expression => {
    let left = parsePrimary();
    while (peekWord() === 'and') {
      position += 1;
      left = { kind: 'and', left, right: parsePrimary() };
    }
    return left;
  };
  const parsePrimary = (): Expression => {
    const token = tokens[position];
    if (!token) return fail('it ends too early');
    if (token.type === '(') {
      position += 1;
      const inner = parseOr();
      if (tokens[position]?.type !== ')') fail('a parenthesis is not closed');
      position += 1;
      return inner;
    }
    if (token.type !== 'word') return fail('an attribute name is expected');
    if (!/^[A-Za-z_][A-Za-z0-9_.$-]*$/.test(token.text))
      return fail(`"${token.text}" is not an attribute name`);
    const attribute = token.text;
    position += 1;
    const operatorToken = tokens[position];
    const operator = operatorToken?.type === 'word' ? operatorToken.text.toLowerCase() : undefined;
    if (!operator || !OPERATORS.has(operator)) {
      return fail(
        `"${operatorToken && 'text' in operatorToken ? operatorToken.text : 'nothing'}" after ${attribute} is not an operator`,
      );
    }
    position += 1;
    checkAllowed(attribute, operator as Operator, rules, fail);
    if (operator === 'pr') return { kind: 'compare', attribute, operator: 'pr', value: null };
    const valueToken = tokens[position];
    if (!valueToken || valueToken.type === '(' || valueToken.type === ')')
      return fail(`a value is expected after ${attribute} ${operator}`);
    position += 1;
    return { kind: 'compare', attribute, operator: operator as Operator, value: literal(valueToken, fail) };
  };

  const expression = parseOr();
  if (position < tokens.length) fail('there is more after the end of the expression');
  return expression;
}

function checkAllowed(
  attribute: string,
  operator: Operator,
  rules: ExpressionRules,
  fail: (what: string) => never,
): void {
  if (rules.attributes) {
    const allowed = rules.attributes[attribute];
    if (!allowed) fail(`${attribute} cannot be used in a ${rules.name} expression`);
    else if (!allowed.has(operator)) fail(`${operator} cannot be used with ${attribute}`);
  } else if (!rules.operators.has(operator)) {
    fail(`the ${operator} operator is not supported`);
  }
}

function literal(token: Token, fail: (what: string) => never): string | number | boolean | null {
  if (token.type === 'string') return token.text;
  const text = (token as { text: string }).text;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  if (text === 'null') return null;
  return fail(`the value ${text} must be in double quotes`);
}

function tokenize(text: string, rules: ExpressionRules): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (/\s/.test(char)) {
      i += 1;
    } else if (char === '(' || char === ')') {
      tokens.push({ type: char });
      i += 1;
    } else if (char === '"') {
      let value = '';
      i += 1;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i += 1;
        value += text[i];
        i += 1;
      }
      if (i >= text.length) throw invalidSearch(`Invalid ${rules.name} expression: a string is not closed`);
      i += 1;
      tokens.push({ type: 'string', text: value });
    } else {
      let word = '';
      while (i < text.length && !/[\s()"]/.test(text[i]!)) {
        word += text[i];
        i += 1;
      }
      tokens.push({ type: 'word', text: word });
    }
  }
  return tokens;
}

export function evaluate(expression: Expression, subject: unknown, caseInsensitive: boolean): boolean {
  if (expression.kind === 'compare') return matches(expression, subject, caseInsensitive);
  const left = evaluate(expression.left, subject, caseInsensitive);
  if (expression.kind === 'and') return left && evaluate(expression.right, subject, caseInsensitive);
  return left || evaluate(expression.right, subject, caseInsensitive);
}

function matches(
  expression: Extract<Expression, { kind: 'compare' }>,
  subject: unknown,
  caseInsensitive: boolean,
): boolean {
  const actual = valueAt(subject, expression.attribute);
  // An array attribute matches when any of its elements does (SCIM).
  const candidates = Array.isArray(actual) ? actual : [actual];
  return candidates.some((candidate) =>
    compare(candidate, expression.operator, expression.value, caseInsensitive),
  );
}

function compare(actual: unknown, operator: Operator, expected: unknown, caseInsensitive: boolean): boolean {
  if (operator === 'pr') return actual !== undefined && actual !== null && actual !== '';
  if (actual === undefined || actual === null) return expected === null && operator === 'eq';
  const fold = (value: unknown) =>
    caseInsensitive && typeof value === 'string' ? value.toLowerCase() : value;
  const a = fold(typeof actual === 'object' ? JSON.stringify(actual) : actual);
  const b = fold(expected);
  switch (operator) {
    case 'eq':
      return a === b || (typeof a === 'number' && String(a) === String(b));
    case 'sw':
      return String(a).startsWith(String(b));
    case 'co':
      return String(a).includes(String(b));
    case 'ew':
      return String(a).endsWith(String(b));
    case 'gt':
      return ordered(a, b) > 0;
    case 'ge':
      return ordered(a, b) >= 0;
    case 'lt':
      return ordered(a, b) < 0;
    case 'le':
      return ordered(a, b) <= 0;
  }
}

function ordered(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const left = String(a);
  const right = String(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** `profile.department` -> subject.profile.department. */
export function valueAt(subject: unknown, path: string): unknown {
  let current = subject;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
