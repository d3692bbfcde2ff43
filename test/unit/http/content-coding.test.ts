import { describe, expect, it } from 'vitest';
import { preferredCoding } from '../../../src/http/content-coding.js';

describe('preferredCoding', () => {
  it('prefers br, then gzip, among equally weighted codings', () => {
    expect(preferredCoding('gzip, deflate, br, zstd')).toBe('br');
    expect(preferredCoding('gzip, deflate')).toBe('gzip');
    expect(preferredCoding('*')).toBe('br');
  });

  it('follows the weights', () => {
    expect(preferredCoding('br;q=0.5, gzip;q=0.8')).toBe('gzip');
    // Unlisted, identity weighs no more than the least listed coding.
    expect(preferredCoding('gzip;q=0.8')).toBe('gzip');
    expect(preferredCoding('br;q=0, gzip')).toBe('gzip');
    expect(preferredCoding('gzip;q=0.5, identity')).toBe('identity');
    expect(preferredCoding('BR ; Q=1, gzip;q=0.9')).toBe('br');
  });

  it('answers identity to no header, an empty one, identity alone, or nothing acceptable', () => {
    expect(preferredCoding(null)).toBe('identity');
    expect(preferredCoding('')).toBe('identity');
    expect(preferredCoding('identity')).toBe('identity');
    expect(preferredCoding('deflate, zstd')).toBe('identity');
    expect(preferredCoding('*;q=0')).toBe('identity');
    expect(preferredCoding('br;q=nonsense')).toBe('identity');
  });
});
