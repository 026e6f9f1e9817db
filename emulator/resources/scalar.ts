/**
 * Mesos compares and sums scalar resources as fixed-point numbers with three decimal places
 * (`src/common/values.cpp`, `convertToFixed`), so 0.1 + 0.2 is exactly 0.3 there. The emulator
 * stores scalars as integer thousandths ("milli") to do the same. It does not reuse the worker's
 * placement arithmetic, because as the test peer it must catch the product's bugs, not share them.
 */
export function toMilli(value: number): number {
  return Math.round(value * 1000);
}

export function fromMilli(milli: number): number {
  return milli / 1000;
}

/** Formats a scalar as Mesos prints it: rounded to three decimals, no trailing zeros. */
export function formatScalar(value: number): string {
  return String(fromMilli(toMilli(value)));
}
