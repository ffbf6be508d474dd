/**
 * The two readings every group of query rules (validation.ts, gaps.ts,
 * faults.ts, overlays.ts) makes of a received field, kept in one place so
 * that they cannot drift apart: this module imports nothing, so each of them
 * can use it without an import cycle.
 */

/** isWholeIn is true for a number that is an integer from min to max; it rejects NaN, ±Infinity and fractions. */
export function isWholeIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/**
 * readOrDefault returns the query's own value of name, or its default when
 * the query does not hold it (or holds undefined). null is a value, not an
 * absence: it is what the browser sends for an emptied input, and an error.
 */
export function readOrDefault<P>(query: Record<string, unknown>, name: keyof P & string, defaults: P): unknown {
  const value = Object.prototype.hasOwnProperty.call(query, name) ? query[name] : undefined;
  return value === undefined ? defaults[name] : value;
}
