/**
 * The copy of an input (and of the host options) that validation checks, fills with defaults and trims:
 * plain data is copied by src/schema/validation.ts itself, anything else by structuredClone as before, so
 * the copy is always what structuredClone would make, and what it refuses is refused.
 */
import { describe, expect, it } from 'vitest';
import { loadValidators } from '../src/schema/validation.js';

describe('the copy an input is checked on', () => {
  const schema = { type: 'object', properties: { user: { type: 'string', default: 'x' } } } as const;

  it('is plain data equal to the input, whatever its shape, and never the input itself', async () => {
    const validators = await loadValidators();
    const inputs: unknown[] = [
      { user: 'jane', extra: [1, 'two', null, { deep: [true] }], missing: undefined },
      Object.assign(Object.create(null), { user: 'no prototype' }),
      [1, 2, 3],
      'text',
      // biome-ignore lint/suspicious/noSparseArray: a hole, copied as structuredClone copies it
      { list: [1, , 3] },
      { when: new Date(0) }, // a class instance: as structuredClone copies it
    ];
    for (const input of inputs) {
      const { value } = validators.checkInput('test:copy-any', {}, input);
      expect(value, JSON.stringify(input)).toStrictEqual(structuredClone(input));
      if (typeof input === 'object') expect(value).not.toBe(input);
    }
  });

  it('refuses what structuredClone refuses, and a field "__proto__" stays a field', async () => {
    const validators = await loadValidators();
    for (const input of [{ user: 'x', run: () => 1 }, new Proxy({ user: 'x' }, {})]) {
      expect(validators.checkInput('test:copy', schema, input).problems).toEqual([
        { path: '', message: 'must be plain JSON data (no functions or class instances)' },
      ]);
    }
    const { value } = validators.checkInput(
      'test:copy',
      schema,
      JSON.parse('{"__proto__": {"polluted": true}}'),
    );
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value as object)).toEqual(['__proto__', 'user']);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});
