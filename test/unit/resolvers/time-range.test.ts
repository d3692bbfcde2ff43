import { describe, expect, it } from 'vitest';
import { LIST_CALL_DETAIL_LIMITS } from '../../../src/model/call-detail.js';
import { validateRange } from '../../../src/resolvers/time-range.js';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const { retentionMs } = LIST_CALL_DETAIL_LIMITS;
const at = (iso: string): number => Date.parse(iso);

describe('validateRange', () => {
  const now = at('2024-05-10T12:00:00.500Z');

  it('accepts a past range, and one whose `to` lies in the future', () => {
    expect(validateRange({ fromMs: now - HOUR, toMs: now - 1 }, now, retentionMs)).toBeNull();
    expect(validateRange({ fromMs: now - HOUR, toMs: now + HOUR }, now, retentionMs)).toBeNull();
    expect(validateRange({ fromMs: now, toMs: now + 1 }, now, retentionMs)).toBeNull();
  });

  it('names `to` when the range is empty or reversed', () => {
    for (const toMs of [now - HOUR, now - 2 * HOUR]) {
      const problem = validateRange({ fromMs: now - HOUR, toMs }, now, retentionMs);
      expect(problem?.argument).toBe('to');
      expect(problem?.message).toContain('`to` must be after `from`');
    }
  });

  it('names `from` when it lies in the future, and says what is allowed', () => {
    const problem = validateRange({ fromMs: now + 1, toMs: now + HOUR }, now, retentionMs);
    expect(problem?.argument).toBe('from');
    expect(problem?.message).toContain('in the future');
    expect(problem?.message).toContain('2024-05-10T12:00:00.500Z');
  });

  it('accepts a `from` exactly 6 days old and names `from` one millisecond earlier', () => {
    expect(validateRange({ fromMs: now - 6 * DAY, toMs: now }, now, retentionMs)).toBeNull();
    const problem = validateRange({ fromMs: now - 6 * DAY - 1, toMs: now }, now, retentionMs);
    expect(problem?.argument).toBe('from');
    expect(problem?.message).toContain('6-day retention');
    expect(problem?.message).toContain('the oldest instant allowed now is 2024-05-04T12:00:00.500Z');
  });

  it('reports an empty range before a too-old `from`', () => {
    const old = now - 7 * DAY;
    expect(validateRange({ fromMs: old, toMs: old }, now, retentionMs)?.argument).toBe('to');
  });

  it('names the argument that is not a valid instant', () => {
    expect(validateRange({ fromMs: Number.NaN, toMs: now }, now, retentionMs)?.argument).toBe('from');
    expect(validateRange({ fromMs: now - HOUR, toMs: Number.NaN }, now, retentionMs)?.argument).toBe('to');
  });
});
