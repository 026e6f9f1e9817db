/**
 * Inclusive integer ranges as Mesos keeps them for RANGES resources such as `ports`. Bounds are
 * uint64 on the wire, so they are stored as bigint. Every list returned here is sorted and
 * coalesced (overlapping and adjacent ranges merged), the form Mesos offers them in.
 */
export interface Interval {
  begin: bigint;
  end: bigint;
}

/** The wire shape of `Value.Ranges`, with 64-bit bounds as decimal strings. */
export interface WireRanges {
  range?: Array<{ begin: string; end: string }>;
}

/** Sorts and merges a list of intervals; inverted intervals must be rejected before this. */
export function coalesce(list: readonly Interval[]): Interval[] {
  const sorted = [...list].sort(compareBegin);
  const result: Interval[] = [];

  for (const interval of sorted) {
    const last = result[result.length - 1];
    if (last !== undefined && interval.begin <= last.end + 1n) {
      if (interval.end > last.end) {
        last.end = interval.end;
      }
      continue;
    }
    result.push({ begin: interval.begin, end: interval.end });
  }

  return result;
}

function compareBegin(a: Interval, b: Interval): number {
  if (a.begin === b.begin) {
    return 0;
  }
  return a.begin < b.begin ? -1 : 1;
}

export function addRanges(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  return coalesce([...a, ...b]);
}

/** Returns the part of `a` that `b` does not cover. Both lists must be coalesced. */
export function subtractRanges(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const result: Interval[] = [];

  for (const interval of a) {
    let pieces: Interval[] = [{ begin: interval.begin, end: interval.end }];
    for (const cut of b) {
      pieces = pieces.flatMap((piece) => cutInterval(piece, cut));
    }
    result.push(...pieces);
  }

  return result;
}

function cutInterval(piece: Interval, cut: Interval): Interval[] {
  if (cut.end < piece.begin || cut.begin > piece.end) {
    return [piece];
  }

  const remaining: Interval[] = [];
  if (cut.begin > piece.begin) {
    remaining.push({ begin: piece.begin, end: cut.begin - 1n });
  }
  if (cut.end < piece.end) {
    remaining.push({ begin: cut.end + 1n, end: piece.end });
  }
  return remaining;
}

/** Tells whether every value in `inner` lies in `outer`. `outer` must be coalesced. */
export function containsRanges(outer: readonly Interval[], inner: readonly Interval[]): boolean {
  return inner.every((interval) =>
    outer.some((range) => range.begin <= interval.begin && interval.end <= range.end),
  );
}

export function containsValue(outer: readonly Interval[], value: bigint): boolean {
  return outer.some((range) => range.begin <= value && value <= range.end);
}

/** Counts the values covered by a coalesced list. */
export function countRanges(list: readonly Interval[]): bigint {
  return list.reduce((sum, interval) => sum + (interval.end - interval.begin + 1n), 0n);
}

/** Reads wire ranges without normalising them, so validation can see them as sent. */
export function parseWireRanges(wire: WireRanges | undefined): Interval[] {
  return (wire?.range ?? []).map((range) => ({
    begin: BigInt(range.begin),
    end: BigInt(range.end),
  }));
}

export function toWireRanges(list: readonly Interval[]): {
  range: Array<{ begin: string; end: string }>;
} {
  return {
    range: list.map((interval) => ({
      begin: interval.begin.toString(),
      end: interval.end.toString(),
    })),
  };
}

/** Formats ranges the way Mesos logs and error messages show them: `[31000-31005, 31010-31010]`. */
export function formatRanges(list: readonly Interval[]): string {
  return `[${list.map((interval) => `${interval.begin}-${interval.end}`).join(', ')}]`;
}
