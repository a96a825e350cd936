/**
 * Compare two JSON-like values where numbers computed by different JavaScript engines may differ in their last
 * bits (V8 in Node and V8 in Chromium need not agree on `Math.exp`/`Math.log`). Numbers match when
 * |a − b| ≤ abs + rel·|b|; everything else (strings, booleans, null, array lengths, object keys) must be equal.
 * Use it only across engines: within one engine a result is exact and is compared exactly.
 */
export interface Tolerance {
  abs: number;
  rel: number;
}

export const CROSS_ENGINE: Tolerance = { abs: 1e-9, rel: 1e-9 };

/** Every place where `actual` and `expected` differ beyond the tolerance, as "$.path: actual vs expected". */
export function approxDifferences(
  actual: unknown,
  expected: unknown,
  tolerance: Tolerance = CROSS_ENGINE,
  path = "$",
): string[] {
  if (typeof actual === "number" && typeof expected === "number") {
    if (Number.isNaN(actual) && Number.isNaN(expected)) return [];
    if (actual === expected) return []; // also equal infinities
    const close = Math.abs(actual - expected) <= tolerance.abs + tolerance.rel * Math.abs(expected);
    return close ? [] : [`${path}: ${actual} vs ${expected}`];
  }
  if (Array.isArray(actual) || Array.isArray(expected)) {
    if (!Array.isArray(actual) || !Array.isArray(expected)) return [`${path}: array vs not an array`];
    if (actual.length !== expected.length) return [`${path}: length ${actual.length} vs ${expected.length}`];
    return actual.flatMap((value, i) => approxDifferences(value, expected[i], tolerance, `${path}[${i}]`));
  }
  if (isObject(actual) && isObject(expected)) {
    const keys = [...new Set([...Object.keys(actual), ...Object.keys(expected)])].sort();
    return keys.flatMap((key) => {
      if (!(key in actual)) return [`${path}.${key}: missing vs ${JSON.stringify(expected[key])}`];
      if (!(key in expected)) return [`${path}.${key}: ${JSON.stringify(actual[key])} vs missing`];
      return approxDifferences(actual[key], expected[key], tolerance, `${path}.${key}`);
    });
  }
  return Object.is(actual, expected) ? [] : [`${path}: ${JSON.stringify(actual)} vs ${JSON.stringify(expected)}`];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
