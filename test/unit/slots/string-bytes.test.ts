import { describe, expect, it } from 'vitest';
import { stringBytes } from '../../../src/slots/string-bytes.js';

describe('stringBytes', () => {
  it("is V8's 16-byte header and one byte per Latin-1 character, two per other, padded to 8", () => {
    expect(stringBytes('')).toBe(16);
    expect(stringBytes('a')).toBe(24);
    expect(stringBytes('a'.repeat(8))).toBe(24);
    expect(stringBytes('a'.repeat(9))).toBe(32);
    expect(stringBytes('é'.repeat(8))).toBe(24);
    expect(stringBytes('描'.repeat(4))).toBe(24);
    expect(stringBytes('描'.repeat(5))).toBe(32);
  });
});
