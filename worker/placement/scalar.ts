/**
 * Exact arithmetic on Mesos scalar resources. Mesos keeps scalar values as fixed-point numbers
 * with three decimal places (`Value::Scalar` arithmetic in `src/common/values.cpp` rounds to
 * thousandths), so this module does the same: amounts are whole numbers of thousandths
 * ("millis"), which add and subtract without floating-point drift.
 */

const MILLIS_PER_UNIT = 1000;

/** Converts a scalar value (0.1 cpus, 50 MB) to whole thousandths, rounding as Mesos does. */
export function toMillis(value: number): number {
  if (!Number.isFinite(value)) {
    return 0;
  }

  return Math.round(value * MILLIS_PER_UNIT);
}

/** Converts whole thousandths back to the double Mesos expects, e.g. 100 → 0.1. */
export function fromMillis(millis: number): number {
  return millis / MILLIS_PER_UNIT;
}
