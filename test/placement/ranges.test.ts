import { describe, expect, it } from 'vitest';
import {
  containsPort,
  containsRanges,
  countPorts,
  normalizeRanges,
  parseRanges,
  portAt,
  rangesFromPorts,
  subtractPorts,
  toWireRanges,
} from '../../worker/placement/index.js';

const wire = (...pairs: Array<[number, number]>) => ({
  range: pairs.map(([begin, end]) => ({ begin: String(begin), end: String(end) })),
});

describe('ranges', () => {
  it('parses decimal-string bounds', () => {
    expect(parseRanges(wire([31000, 32000]), 1, 65535)).toEqual([{ begin: 31000, end: 32000 }]);
  });

  it('parses fragmented and single-port ranges in order', () => {
    const parsed = parseRanges(wire([31500, 31500], [31000, 31002], [31010, 31011]), 1, 65535);

    expect(parsed).toEqual([
      { begin: 31000, end: 31002 },
      { begin: 31010, end: 31011 },
      { begin: 31500, end: 31500 },
    ]);
  });

  it('drops malformed and inverted ranges', () => {
    const ranges = {
      range: [
        { begin: 'abc', end: '31000' },
        { begin: '31005', end: '31001' },
        { begin: '-1', end: '5' },
        { begin: '31100', end: '31100' },
      ],
    };

    expect(parseRanges(ranges, 1, 65535)).toEqual([{ begin: 31100, end: 31100 }]);
  });

  it('clips to the port space', () => {
    const parsed = parseRanges(wire([0, 10], [65530, 70000]), 1, 65535);
    expect(parsed).toEqual([
      { begin: 1, end: 10 },
      { begin: 65530, end: 65535 },
    ]);
  });

  it('clips bounds beyond 2^53', () => {
    const ranges = { range: [{ begin: '65000', end: '18446744073709551615' }] };
    expect(parseRanges(ranges, 1, 65535)).toEqual([{ begin: 65000, end: 65535 }]);
  });

  it('parses no ranges as empty', () => {
    expect(parseRanges(undefined, 1, 65535)).toEqual([]);
    expect(parseRanges({}, 1, 65535)).toEqual([]);
  });

  it('merges overlapping and adjacent ranges', () => {
    const merged = normalizeRanges([
      { begin: 5, end: 7 },
      { begin: 1, end: 3 },
      { begin: 4, end: 4 },
      { begin: 6, end: 9 },
      { begin: 11, end: 12 },
    ]);

    expect(merged).toEqual([
      { begin: 1, end: 9 },
      { begin: 11, end: 12 },
    ]);
  });

  it('counts ports', () => {
    expect(countPorts([{ begin: 31000, end: 32000 }])).toBe(1001);
    expect(
      countPorts([
        { begin: 1, end: 1 },
        { begin: 5, end: 6 },
      ]),
    ).toBe(3);
    expect(countPorts([])).toBe(0);
  });

  it('checks containment of ports', () => {
    const ranges = [
      { begin: 31000, end: 31002 },
      { begin: 31010, end: 31010 },
      { begin: 31500, end: 31600 },
    ];

    expect(containsPort(ranges, 31000)).toBe(true);
    expect(containsPort(ranges, 31002)).toBe(true);
    expect(containsPort(ranges, 31003)).toBe(false);
    expect(containsPort(ranges, 31010)).toBe(true);
    expect(containsPort(ranges, 31550)).toBe(true);
    expect(containsPort(ranges, 30999)).toBe(false);
    expect(containsPort(ranges, 31601)).toBe(false);
    expect(containsPort([], 31000)).toBe(false);
  });

  it('checks containment of ranges', () => {
    const outer = [
      { begin: 31000, end: 31010 },
      { begin: 31020, end: 31030 },
    ];

    expect(containsRanges(outer, [{ begin: 31002, end: 31005 }])).toBe(true);
    expect(containsRanges(outer, [{ begin: 31005, end: 31020 }])).toBe(false);
    expect(containsRanges(outer, [{ begin: 31020, end: 31020 }])).toBe(true);
    expect(containsRanges(outer, [])).toBe(true);
  });

  it('subtracts ports from the middle and the edges', () => {
    const left = subtractPorts([{ begin: 31000, end: 31010 }], [31000, 31005, 31010]);

    expect(left).toEqual([
      { begin: 31001, end: 31004 },
      { begin: 31006, end: 31009 },
    ]);
  });

  it('subtracts a single-port range away', () => {
    const left = subtractPorts(
      [
        { begin: 31000, end: 31000 },
        { begin: 31002, end: 31003 },
      ],
      [31000, 31003],
    );

    expect(left).toEqual([{ begin: 31002, end: 31002 }]);
  });

  it('subtracts ports outside the ranges as no-ops', () => {
    const ranges = [{ begin: 31000, end: 31001 }];
    expect(subtractPorts(ranges, [30000, 40000])).toEqual(ranges);
    expect(subtractPorts(ranges, [])).toEqual(ranges);
  });

  it('subtracts a run of ports spanning ranges', () => {
    const left = subtractPorts(
      [
        { begin: 1, end: 5 },
        { begin: 8, end: 12 },
      ],
      [4, 5, 6, 7, 8, 9],
    );

    expect(left).toEqual([
      { begin: 1, end: 3 },
      { begin: 10, end: 12 },
    ]);
  });

  it('indexes ports across ranges', () => {
    const ranges = [
      { begin: 31000, end: 31001 },
      { begin: 31100, end: 31100 },
    ];

    expect(portAt(ranges, 0)).toBe(31000);
    expect(portAt(ranges, 1)).toBe(31001);
    expect(portAt(ranges, 2)).toBe(31100);
    expect(portAt(ranges, 3)).toBeUndefined();
  });

  it('builds ranges from ports and formats them', () => {
    const ranges = rangesFromPorts([31005, 31000, 31001, 31001]);

    expect(ranges).toEqual([
      { begin: 31000, end: 31001 },
      { begin: 31005, end: 31005 },
    ]);
    expect(toWireRanges(ranges)).toEqual(wire([31000, 31001], [31005, 31005]));
  });
});
