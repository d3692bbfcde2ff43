import { describe, expect, it } from 'vitest';
import { ifNoneMatchHolds } from '../../../src/http/if-none-match.js';

describe('ifNoneMatchHolds', () => {
  it('matches *, and any listed tag weakly', () => {
    expect(ifNoneMatchHolds(null, '"a"')).toBe(false);
    expect(ifNoneMatchHolds('*', '"a"')).toBe(true);
    expect(ifNoneMatchHolds('"b", W/"a"', '"a"')).toBe(true);
    expect(ifNoneMatchHolds('"b"', '"a"')).toBe(false);
  });
});
