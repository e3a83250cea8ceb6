import { createIsValidFunction as arrowOriginal } from 'apache-arrow/builder/valid';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createIsValidFunction } from '../../workers/browser/arrowIsValid.ts';

/*
 * The web build replaces apache-arrow's null check, which it compiles with `new Function`
 * (forbidden by the app's CSP), with workers/browser/arrowIsValid.ts. Same answers required.
 */
const scalar = fc.oneof(
  fc.constantFrom(null, undefined, Number.NaN, 0, -0, '', 'N/A', 'null', true, false, Infinity),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 4 }),
  fc.bigInt({ min: -5n, max: 5n }),
);

function compiles<T>(make: () => T): T | undefined {
  try {
    return make();
  } catch {
    return undefined;
  }
}

describe('CSP-safe isValid for Arrow builders', () => {
  it('should answer like apache-arrow for the default null values', () => {
    const ours = createIsValidFunction([null, undefined]);
    const theirs = arrowOriginal([null, undefined]);
    for (const value of [null, undefined, 0, -0, Number.NaN, '', 'x', false, 1n, {}, []]) {
      expect(ours(value), String(value)).toBe(theirs(value));
    }
    expect(ours(null)).toBe(false);
    expect(ours(0)).toBe(true);
  });

  it('should answer like apache-arrow for any null values and any value', () => {
    fc.assert(
      fc.property(fc.array(scalar, { maxLength: 5 }), scalar, (nullValues, value) => {
        // The original generates source text and cannot compile some strings (a backslash, say).
        const theirs = compiles(() => arrowOriginal(nullValues));
        fc.pre(theirs !== undefined);
        expect(createIsValidFunction(nullValues)(value)).toBe(theirs?.(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('should accept everything when nothing counts as null', () => {
    expect(createIsValidFunction([])(null)).toBe(true);
    expect(createIsValidFunction(undefined)(undefined)).toBe(true);
  });
});
