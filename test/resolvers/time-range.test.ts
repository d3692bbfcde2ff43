import { describe, expect, it } from 'vitest';
import { splitIntoWindows, validateRange } from '../../src/resolvers/time-range.js';
import { LIST_CALL_DETAIL_LIMITS } from '../../src/upstream/call-detail.js';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const { maxSpanMs, retentionMs } = LIST_CALL_DETAIL_LIMITS;
const at = (iso: string): number => Date.parse(iso);

describe('splitIntoWindows', () => {
  it('tiles a whole-second 3 h range into three 1 h windows', () => {
    expect(splitIntoWindows(at('2024-05-01T10:00:00Z'), at('2024-05-01T13:00:00Z'), maxSpanMs)).toEqual([
      { startMs: at('2024-05-01T10:00:00Z'), endMs: at('2024-05-01T11:00:00Z') },
      { startMs: at('2024-05-01T11:00:00Z'), endMs: at('2024-05-01T12:00:00Z') },
      { startMs: at('2024-05-01T12:00:00Z'), endMs: at('2024-05-01T13:00:00Z') },
    ]);
  });

  it('floors a sub-second from, ceils a sub-second to, and shortens only the last window', () => {
    const windows = splitIntoWindows(
      at('2024-05-01T10:00:00.250Z'),
      at('2024-05-01T12:30:00.750Z'),
      maxSpanMs,
    );
    expect(windows).toEqual([
      { startMs: at('2024-05-01T10:00:00Z'), endMs: at('2024-05-01T11:00:00Z') },
      { startMs: at('2024-05-01T11:00:00Z'), endMs: at('2024-05-01T12:00:00Z') },
      { startMs: at('2024-05-01T12:00:00Z'), endMs: at('2024-05-01T12:30:01Z') },
    ]);
  });

  it('gives one window for a range shorter than the span, even inside one second', () => {
    expect(
      splitIntoWindows(at('2024-05-01T10:00:00.100Z'), at('2024-05-01T10:00:00.900Z'), maxSpanMs),
    ).toEqual([{ startMs: at('2024-05-01T10:00:00Z'), endMs: at('2024-05-01T10:00:01Z') }]);
  });

  it('tiles a 6-day range with no gap and no overlap', () => {
    const from = at('2024-05-01T10:20:30.400Z');
    const to = from + 6 * DAY;
    const windows = splitIntoWindows(from, to, maxSpanMs);
    expect(windows).toHaveLength(6 * 24 + 1);
    expect(windows[0]?.startMs).toBe(at('2024-05-01T10:20:30Z'));
    expect(windows.at(-1)?.endMs).toBe(at('2024-05-07T10:20:31Z'));
    for (let i = 1; i < windows.length; i += 1) {
      expect(windows[i]?.startMs).toBe(windows[i - 1]?.endMs);
      expect(windows[i - 1]?.endMs).toBe((windows[i - 1]?.startMs ?? 0) + maxSpanMs);
    }
  });

  it('gives no windows for an empty whole-second range', () => {
    expect(splitIntoWindows(at('2024-05-01T10:00:00Z'), at('2024-05-01T10:00:00Z'), maxSpanMs)).toEqual([]);
  });

  it('refuses a span that is not a positive whole number of seconds', () => {
    expect(() => splitIntoWindows(0, HOUR, 1500)).toThrow(RangeError);
    expect(() => splitIntoWindows(0, HOUR, 0)).toThrow(RangeError);
  });
});

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
