/**
 * A CSP-safe stand-in for apache-arrow's `builder/valid.mjs`, swapped in by the web build
 * (renderer/vite.config.ts). Arrow compiles each builder's null check into a function with
 * `new Function` (a switch over the null values, for speed); the app's CSP never allows
 * 'unsafe-eval', so in the browser every builder — `tableFromJSON` for generated, JSON-lines
 * and Parquet inputs — would throw. Same answers, no eval: `===` against each null value,
 * and NaN when it is one of them (test/unit/arrowIsValid.test.ts compares the two).
 */
export function createIsValidFunction(nullValues?: readonly unknown[]): (value: unknown) => boolean {
  if (!nullValues || nullValues.length <= 0) return () => true;
  const nulls = nullValues.filter((x) => x === x);
  const nanIsNull = nulls.length !== nullValues.length;
  return (value) => !(nanIsNull && value !== value) && !nulls.includes(value);
}
