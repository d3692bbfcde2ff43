import { describe, expect, it } from 'vitest';
import { fnv1a32, seedOf, unitHash } from '../../../src/simulator/deterministic-hash.js';

describe('fnv1a32', () => {
  it('matches the published FNV-1a 32-bit values', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });
});

describe('seedOf', () => {
  it('keeps differently split identifiers apart', () => {
    expect(seedOf('a,b', 'c')).not.toBe(seedOf('a', 'b,c'));
    expect(seedOf('a', 'b')).toBe(seedOf('a', 'b'));
  });
});

describe('unitHash', () => {
  it('is uniform in [0, 1) over consecutive sample times', () => {
    const seed = seedOf('app', 'room', 'user', 'Rtt');
    const draws = Array.from({ length: 10_000 }, (_, index) =>
      unitHash(seed, 1_795_600_800_000 + index * 10_000),
    );
    expect(draws.every((draw) => draw >= 0 && draw < 1)).toBe(true);
    const mean = draws.reduce((sum, draw) => sum + draw, 0) / draws.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
    const buckets = Array.from(
      { length: 10 },
      (_, bucket) => draws.filter((d) => Math.floor(d * 10) === bucket).length,
    );
    expect(Math.min(...buckets)).toBeGreaterThan(900);
  });

  it('tells apart instants that differ only above 2^32 ms', () => {
    const seed = seedOf('x');
    expect(unitHash(seed, 2 ** 32 + 5)).not.toBe(unitHash(seed, 5));
  });
});
