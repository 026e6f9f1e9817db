/**
 * One inclusive range of ports. Lists of ranges, such as the `ports` resource `[31000-32000]`,
 * are kept normalized: sorted by `begin`, non-overlapping and non-adjacent. Mesos sends
 * Range.begin/end as 64-bit integers in decimal strings. Here they are plain numbers, because
 * every port fits in one.
 */
export interface PortRange {
  begin: number;
  end: number;
}

/** A Mesos `Value.Ranges` as it travels: uint64 bounds as decimal strings. */
export interface WireRanges {
  range?: Array<{ begin: string | number; end: string | number }>;
}

/**
 * Parses offered ranges and returns them normalized and clipped to `[min, max]`. Malformed and
 * inverted ranges are dropped.
 */
export function parseRanges(ranges: WireRanges | undefined, min: number, max: number): PortRange[] {
  const parsed: PortRange[] = [];
  for (const range of ranges?.range ?? []) {
    const begin = Math.max(parseBound(range.begin), min);
    const end = Math.min(parseBound(range.end), max);
    if (Number.isSafeInteger(begin) && Number.isSafeInteger(end) && begin <= end) {
      parsed.push({ begin, end });
    }
  }

  return normalizeRanges(parsed);
}

function parseBound(value: string | number): number {
  if (typeof value === 'number') {
    return Number.isInteger(value) ? value : Number.NaN;
  }

  // Values past 2^53 lose precision, but only as far as clipping to a port range goes.
  return /^\d+$/.test(value) ? Number(value) : Number.NaN;
}

/** Sorts ranges by `begin` and merges overlapping and adjacent ones. */
export function normalizeRanges(ranges: readonly PortRange[]): PortRange[] {
  const sorted = [...ranges].sort((a, b) => a.begin - b.begin);
  const merged: PortRange[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last && range.begin <= last.end + 1) {
      last.end = Math.max(last.end, range.end);
    } else {
      merged.push({ begin: range.begin, end: range.end });
    }
  }

  return merged;
}

/** Builds normalized ranges containing exactly the given ports, e.g. [31000, 31001, 31005]. */
export function rangesFromPorts(ports: Iterable<number>): PortRange[] {
  const sorted = Array.from(ports);
  if (!isAscending(sorted)) {
    sorted.sort((a, b) => a - b);
  }

  const ranges: PortRange[] = [];
  for (const port of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && port <= last.end + 1) {
      last.end = Math.max(last.end, port);
    } else {
      ranges.push({ begin: port, end: port });
    }
  }

  return ranges;
}

function isAscending(values: readonly number[]): boolean {
  for (let index = 1; index < values.length; index += 1) {
    if ((values[index] as number) < (values[index - 1] as number)) {
      return false;
    }
  }

  return true;
}

/** Formats normalized ranges as a Mesos `Value.Ranges` with decimal-string bounds. */
export function toWireRanges(ranges: readonly PortRange[]): {
  range: Array<{ begin: string; end: string }>;
} {
  return { range: ranges.map((range) => ({ begin: String(range.begin), end: String(range.end) })) };
}

/** Counts the values in normalized ranges. */
export function countPorts(ranges: readonly PortRange[]): number {
  let count = 0;
  for (const range of ranges) {
    count += range.end - range.begin + 1;
  }

  return count;
}

/** Tells whether `port` lies in normalized ranges (binary search). */
export function containsPort(ranges: readonly PortRange[], port: number): boolean {
  return findRangeIndex(ranges, port) >= 0;
}

/** Tells whether every value of `inner` lies in `outer`; both normalized. */
export function containsRanges(outer: readonly PortRange[], inner: readonly PortRange[]): boolean {
  return inner.every((range) => {
    const index = findRangeIndex(outer, range.begin);
    const container = outer[index];
    return container !== undefined && range.end <= container.end;
  });
}

function findRangeIndex(ranges: readonly PortRange[], port: number): number {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const range = ranges[middle] as PortRange;
    if (port < range.begin) {
      high = middle - 1;
    } else if (port > range.end) {
      low = middle + 1;
    } else {
      return middle;
    }
  }

  return -1;
}

/** Returns `ranges` without the given ports, as new normalized ranges. */
export function subtractPorts(ranges: readonly PortRange[], ports: Iterable<number>): PortRange[] {
  const removed = rangesFromPorts(ports);
  const result: PortRange[] = [];
  let cut = 0;
  for (const range of ranges) {
    let begin = range.begin;
    while (cut < removed.length && (removed[cut] as PortRange).end < begin) {
      cut += 1;
    }

    for (let index = cut; index < removed.length; index += 1) {
      const hole = removed[index] as PortRange;
      if (hole.begin > range.end) {
        break;
      }

      if (hole.begin > begin) {
        result.push({ begin, end: hole.begin - 1 });
      }

      begin = Math.max(begin, hole.end + 1);
    }

    if (begin <= range.end) {
      result.push({ begin, end: range.end });
    }
  }

  return result;
}

/**
 * Removes one port from normalized ranges in place, splitting the range that contains it. Returns
 * false, changing nothing, when the port is not in the ranges.
 */
export function removePort(ranges: PortRange[], port: number): boolean {
  const index = findRangeIndex(ranges, port);
  const range = ranges[index];
  if (!range) {
    return false;
  }

  if (range.begin === range.end) {
    ranges.splice(index, 1);
  } else if (port === range.begin) {
    range.begin += 1;
  } else if (port === range.end) {
    range.end -= 1;
  } else {
    ranges.splice(index + 1, 0, { begin: port + 1, end: range.end });
    range.end = port - 1;
  }

  return true;
}

/** Returns the port at position `index` (0-based) when the ranges are read in order. */
export function portAt(ranges: readonly PortRange[], index: number): number | undefined {
  let remaining = index;
  for (const range of ranges) {
    const size = range.end - range.begin + 1;
    if (remaining < size) {
      return range.begin + remaining;
    }

    remaining -= size;
  }

  return undefined;
}
