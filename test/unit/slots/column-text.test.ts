/**
 * Slot text (column-text.ts) as the column sink stitches it: any run of a slot entry's numbers comes out as
 * JSON.stringify would print it, kept after the first print, and a number JSON cannot carry is reported at its
 * index instead of printed.
 */
import { describe, expect, it } from 'vitest';
import { ColumnSink } from '../../../src/resolvers/column-sink.js';
import { createColumnText, markSlotData } from '../../../src/slots/column-text.js';

const WINDOW_CACHE_BYTES = 1024 * 1024;

function slotData(values: readonly number[]): Float64Array {
  const data = Float64Array.from(values);
  markSlotData(data);
  return data;
}

/** The body a sink makes of one column, as a result holding only its token. */
function stitched(sink: ColumnSink, token: string): string {
  return sink.stitch(JSON.stringify({ column: token })).toString('utf8');
}

describe('slot text', () => {
  it('prints runs of slot data and made-per-request columns as JSON.stringify does, keeping slot text', () => {
    const text = createColumnText({ windowCacheMaxBytes: WINDOW_CACHE_BYTES });
    const data = slotData([1796124730000, 0.1, -0, 1.7e308, 5e-324, 42, -3.25]);
    const view = data.subarray(1, 6);
    const fresh = Float64Array.from([0.30000000000000004, 1e21, 7]);
    const sink = new ColumnSink(text, new WeakMap());
    const token = sink.add((each) => {
      each(view, 1, 4);
      each(data, 0, 1);
      each(fresh, 0, 3);
    });
    expect(typeof token).toBe('string');
    expect(stitched(sink, token as string)).toBe(
      JSON.stringify({ column: [...view.subarray(1, 4), data[0], ...fresh] }),
    );
    // The slot was printed once, and its text then served both runs of it.
    expect(text.stats()).toMatchObject({ misses: 1, hits: 1, entries: 1 });
  });

  it('reports the first number JSON cannot carry at its index in the whole column', () => {
    const text = createColumnText({ windowCacheMaxBytes: WINDOW_CACHE_BYTES });
    const data = slotData([1, 2, Number.NaN, 4]);
    const sink = new ColumnSink(text, new WeakMap());
    const first = sink.add((each) => {
      each(data, 0, 2);
    });
    expect(typeof first).toBe('string');
    const bad = sink.add((each) => {
      each(Float64Array.from([9, 9, 9]), 0, 3);
      each(data, 1, 4);
    });
    expect(bad).toEqual({ index: 4, value: Number.NaN });
    const infinite = sink.add((each) => {
      each(Float64Array.from([1, Number.POSITIVE_INFINITY]), 0, 2);
    });
    expect(infinite).toEqual({ index: 1, value: Number.POSITIVE_INFINITY });
    // The failed columns left nothing behind: the good one still stitches alone.
    expect(stitched(sink, first as string)).toBe('{"column":[1,2]}');
  });
  it("prints a series' column again from the byte ranges kept for that series, in a later operation", () => {
    const text = createColumnText({ windowCacheMaxBytes: WINDOW_CACHE_BYTES });
    const kept = new WeakMap();
    const series = { times: slotData([1000, 2000, 3000]), values: Float64Array.from([0.5, 1.25, -2]) };
    const first = new ColumnSink(text, kept);
    const times = first.addColumn(series, 'times');
    const values = first.addColumn(series, 'values');
    const json = JSON.stringify({ times: [1000, 2000, 3000], values: [0.5, 1.25, -2] });
    expect(first.stitch(JSON.stringify({ times, values })).toString('utf8')).toBe(json);
    const printed = text.stats();

    const later = new ColumnSink(text, kept);
    const again = { times: later.addColumn(series, 'times'), values: later.addColumn(series, 'values') };
    expect(later.stitch(JSON.stringify(again)).toString('utf8')).toBe(json);
    // Nothing looked up or printed again.
    expect(text.stats()).toEqual(printed);
    // Another series object with other numbers is its own.
    const other = { times: Float64Array.from([4000]), values: Float64Array.from([Number.NaN]) };
    expect(later.addColumn(other, 'values')).toEqual({ index: 0, value: Number.NaN });
    expect(new ColumnSink(text, kept).addColumn(other, 'values')).toEqual({ index: 0, value: Number.NaN });
  });
});
