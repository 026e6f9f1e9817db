import { describe, expect, it } from 'vitest';
import {
  Backoff,
  MasterSelector,
  resolveRedirect,
  toSchedulerUrl,
} from '../../worker/mesos/index.js';

describe('toSchedulerUrl', () => {
  it.each([
    ['m1:5050', 'http://m1:5050/api/v1/scheduler'],
    ['http://m1:5050', 'http://m1:5050/api/v1/scheduler'],
    ['https://m1:5050/', 'https://m1:5050/api/v1/scheduler'],
    ['http://m1:5050/master/api/v1/scheduler', 'http://m1:5050/master/api/v1/scheduler'],
    [' 10.0.0.1:5050 ', 'http://10.0.0.1:5050/api/v1/scheduler'],
  ])('%s', (master, expected) => {
    expect(toSchedulerUrl(master)).toBe(expected);
  });

  it('rejects other schemes', () => {
    expect(() => toSchedulerUrl('zk://m1:2181/mesos')).toThrow(/use http or https/);
  });
});

describe('resolveRedirect', () => {
  const from = 'http://m1:5050/api/v1/scheduler';

  it.each([
    ['//m2:5050/master/api/v1/scheduler', 'http://m2:5050/master/api/v1/scheduler'],
    ['//m2:5050', 'http://m2:5050/api/v1/scheduler'],
    ['http://m3:5051/master/api/v1/scheduler', 'http://m3:5051/master/api/v1/scheduler'],
    ['/master/api/v1/scheduler', 'http://m1:5050/master/api/v1/scheduler'],
  ])('%s', (location, expected) => {
    expect(resolveRedirect(location, from)).toBe(expected);
  });

  it('keeps the scheme of https masters', () => {
    expect(resolveRedirect('//m2:5050', 'https://m1:5050/api/v1/scheduler')).toBe(
      'https://m2:5050/api/v1/scheduler',
    );
  });

  it('missing location', () => {
    expect(resolveRedirect(undefined, from)).toBeUndefined();
    expect(resolveRedirect('  ', from)).toBeUndefined();
  });
});

describe('MasterSelector', () => {
  it('prefers the leader until a failure', () => {
    const selector = new MasterSelector(['m1:5050', 'm2:5050']);
    expect(selector.current()).toBe('http://m1:5050/api/v1/scheduler');
    selector.setLeader('http://m9:5050/master/api/v1/scheduler');
    expect(selector.current()).toBe('http://m9:5050/master/api/v1/scheduler');
    selector.advance();
    expect(selector.current()).toBe('http://m2:5050/api/v1/scheduler');
    selector.advance();
    expect(selector.current()).toBe('http://m1:5050/api/v1/scheduler');
  });

  it('needs a master', () => {
    expect(() => new MasterSelector([])).toThrow(/No Mesos master configured/);
  });
});

describe('Backoff', () => {
  it('doubles up to the cap with jitter', () => {
    const low = new Backoff(100, 1000, () => 0);
    expect([1, 2, 3, 4, 5, 6].map(() => low.next())).toEqual([50, 100, 200, 400, 500, 500]);
    const high = new Backoff(100, 1000, () => 1);
    expect([1, 2, 3, 4, 5].map(() => high.next())).toEqual([100, 200, 400, 800, 1000]);
  });

  it('reset starts over', () => {
    const backoff = new Backoff(100, 1000, () => 1);
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.next()).toBe(100);
  });
});
