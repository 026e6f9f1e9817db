import { describe, expect, it } from 'vitest';
import { fromMillis, placeLaunches, toMillis } from '../../worker/placement/index.js';
import { fixedRandom, offer, pending } from './fixtures.js';

describe('scalar arithmetic', () => {
  it('converts to and from thousandths', () => {
    expect(toMillis(0.1)).toBe(100);
    expect(toMillis(50)).toBe(50000);
    expect(toMillis(0.0004)).toBe(0);
    expect(toMillis(1.0005)).toBe(1001);
    expect(fromMillis(100)).toBe(0.1);
    expect(fromMillis(toMillis(0.3))).toBe(0.3);
  });

  it('subtracts 0.1 a thousand times without drift', () => {
    let floating = 100;
    let millis = toMillis(100);
    for (let i = 0; i < 1000; i += 1) {
      floating -= 0.1;
      millis -= toMillis(0.1);
    }

    expect(floating).not.toBe(0);
    expect(millis).toBe(0);
  });

  it('places exactly 1000 tasks of 0.1 cpus on 100 cpus', () => {
    const launches = Array.from({ length: 1001 }, () => pending({ cpus: 0.1, mem: 1 }));
    const result = placeLaunches(launches, [offer({ cpus: 100, mem: 2000 })], {
      role: '*',
      random: fixedRandom(0),
    });

    expect(result.placements).toHaveLength(1000);
    expect(result.unplaced).toEqual([launches[1000]]);
    for (const placement of result.placements) {
      const cpus = placement.taskInfo.resources?.find((resource) => resource.name === 'cpus');
      expect(cpus?.scalar?.value).toBe(0.1);
    }
  });

  it('places a task that takes the last 0.3 cpus', () => {
    const launches = [pending({ cpus: 0.1 }), pending({ cpus: 0.2 }), pending({ cpus: 0.3 })];
    const result = placeLaunches(launches, [offer({ cpus: 0.6 })], { role: '*' });

    expect(result.placements).toHaveLength(3);
    expect(result.unplaced).toEqual([]);
  });
});
