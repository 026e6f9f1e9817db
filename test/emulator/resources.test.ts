import { describe, expect, it } from 'vitest';
import { refuseDurationMs } from '../../emulator/allocator/refuse-filters.js';
import { acceptsMediaType, negotiateStreamType } from '../../emulator/http/accept-header.js';
import { ResourceBag } from '../../emulator/resources/resource-bag.js';
import {
  coalesce,
  containsRanges,
  formatRanges,
  subtractRanges,
  type Interval,
} from '../../emulator/resources/ranges.js';
import { formatDouble } from '../../emulator/validation/framework-validation.js';
import { ports, scalar } from './support/tasks.js';

const range = (begin: number, end: number): Interval => ({
  begin: BigInt(begin),
  end: BigInt(end),
});

describe('ranges', () => {
  it('coalesces overlapping and adjacent ranges', () => {
    expect(coalesce([range(5, 6), range(1, 2), range(3, 3), range(10, 12), range(11, 15)])).toEqual(
      [range(1, 3), range(5, 6), range(10, 15)],
    );
  });

  it('subtracts from the middle and the edges', () => {
    expect(
      subtractRanges(
        [range(31000, 32000)],
        [range(31000, 31000), range(31500, 31501), range(32000, 32000)],
      ),
    ).toEqual([range(31001, 31499), range(31502, 31999)]);
  });

  it('checks containment across fragments', () => {
    const offered = [range(31000, 31005), range(31010, 31020)];

    expect(containsRanges(offered, [range(31001, 31002), range(31015, 31020)])).toBe(true);
    expect(containsRanges(offered, [range(31004, 31011)])).toBe(false);
  });

  it('keeps uint64 bounds exact', () => {
    const max = 18446744073709551615n;

    expect(
      formatRanges(subtractRanges([{ begin: max - 2n, end: max }], [{ begin: max, end: max }])),
    ).toBe('[18446744073709551613-18446744073709551614]');
  });
});

describe('resource bag', () => {
  it('adds scalars in exact thousandths', () => {
    const bag = ResourceBag.from([scalar('cpus', 0.1), scalar('cpus', 0.2)]);

    expect(bag.scalarMilli('cpus')).toBe(300);
    expect(bag.toResources({ reservationRefinement: true })).toEqual([scalar('cpus', 0.3)]);
  });

  it('subtracts until resources are empty', () => {
    const bag = ResourceBag.from([scalar('cpus', 1), ports([31000, 31001])]);

    bag.subtract(ResourceBag.from([scalar('cpus', 0.7), ports([31000, 31000])]));
    bag.subtract(ResourceBag.from([scalar('cpus', 0.3)]));

    expect(bag.toResources({ reservationRefinement: true })).toEqual([ports([31001, 31001])]);
  });

  it('keeps reserved and unreserved resources apart', () => {
    const offered = ResourceBag.from([scalar('cpus', 4)]);

    expect(offered.contains(ResourceBag.from([{ ...scalar('cpus', 1), role: '*' }]))).toBe(true);
    expect(offered.contains(ResourceBag.from([{ ...scalar('cpus', 1), role: 'web' }]))).toBe(false);
    expect(offered.contains(ResourceBag.from([{ ...scalar('cpus', 1), revocable: {} }]))).toBe(
      false,
    );
    expect(
      offered.contains(ResourceBag.from([{ name: 'cpus', type: 'RANGES', ranges: { range: [] } }])),
    ).toBe(true);
  });

  it('formats like Mesos', () => {
    const bag = ResourceBag.from([scalar('cpus', 0.25), ports([31000, 31002], [31010, 31010])]);

    expect(bag.format('*')).toBe(
      'cpus(allocated: *):0.25; ports(allocated: *):[31000-31002, 31010-31010]',
    );
    expect(new ResourceBag().format()).toBe('{}');
  });
});

describe('refuse filter duration', () => {
  it.each([
    [undefined, 5000],
    [{}, 5000],
    [{ refuse_seconds: 0 }, 0],
    [{ refuse_seconds: -3 }, 5000],
    [{ refuse_seconds: 0.1 }, 1000],
    [{ refuse_seconds: 30 }, 30_000],
    [{ refuse_seconds: 1e12 }, 31_536_000_000],
  ])('maps %j to %d ms with a 1 s allocation interval', (filters, expected) => {
    expect(refuseDurationMs(filters, 1000)).toBe(expected);
  });
});

describe('Accept header', () => {
  it('matches wildcards and q=0 as libprocess does', () => {
    expect(acceptsMediaType(undefined, 'application/json')).toBe(true);
    expect(acceptsMediaType('application/*;q=0.5', 'application/json')).toBe(true);
    expect(acceptsMediaType('application/json;q=0', 'application/json')).toBe(false);
    expect(acceptsMediaType('text/html', 'application/json')).toBe(false);
    expect(negotiateStreamType('text/html, application/x-protobuf;q=0.1')).toBe(
      'application/x-protobuf',
    );
  });
});

describe('double formatting', () => {
  it.each([
    [1e300, '1e+300'],
    [Infinity, 'inf'],
    [604800, '604800'],
    [1234567, '1.23457e+06'],
    [0.5, '0.5'],
  ])('formats %d as %s', (value, expected) => {
    expect(formatDouble(value)).toBe(expected);
  });
});
