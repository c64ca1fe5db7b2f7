/**
 * Whether an answer has the shape of Okta's example of it: every field the example has, the answer has,
 * with the same JSON type, object by object; for a list, the first item of each. Values are not compared
 * (they are each org's data), and a null on either side says nothing about the field's type (whether the
 * field may be null is the description's to say, and the sandbox checks every answer against it).
 */

export type JsonType = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';

export interface ShapeGap {
  /** Where, as dotted keys from the body; `[]` is a list's first item (`[].profile.login`). */
  path: string;
  /** `missing`, or the example's type and the answer's (`string, answer number`). */
  problem: string;
}

export function jsonType(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as JsonType;
}

/** Every place where `answer` lacks a field of `example`, or has it with another JSON type. */
export function shapeGaps(example: unknown, answer: unknown, path = ''): ShapeGap[] {
  const expected = jsonType(example);
  const actual = jsonType(answer);
  if (expected === 'null' || actual === 'null') return [];
  if (expected !== actual) return [{ path: path || '(body)', problem: `${expected}, answer ${actual}` }];
  if (expected === 'array') {
    const [first] = example as unknown[];
    if (first === undefined) return [];
    const [answered] = answer as unknown[];
    if (answered === undefined) return [{ path: path || '(body)', problem: 'a list, answer an empty list' }];
    return shapeGaps(first, answered, `${path}[]`);
  }
  if (expected !== 'object') return [];
  const answerObject = answer as Record<string, unknown>;
  return Object.entries(example as Record<string, unknown>).flatMap(([key, value]) => {
    const at = path && !path.endsWith('[]') ? `${path}.${key}` : `${path}${path ? '.' : ''}${key}`;
    return key in answerObject ? shapeGaps(value, answerObject[key], at) : [{ path: at, problem: 'missing' }];
  });
}
