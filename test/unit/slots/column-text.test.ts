/**
 * Slot text (column-text.ts) as the column sink stitches it: any run of a slot entry's numbers comes out as
 * JSON.stringify would print it, kept after the first print, and a number JSON cannot carry is reported at its
 * index instead of printed.
 */
import { describe, expect, it } from 'vitest';
import { ColumnSink } from '../../../src/resolvers/column-sink.js';
import { isNonFinite, type KeptColumn, printColumn } from '../../../src/resolvers/kept-columns.js';
import { createColumnText, markSlotData } from '../../../src/slots/column-text.js';

const WINDOW_CACHE_BYTES = 1024 * 1024;

function slotData(values: readonly number[]): Float64Array {
  const data = Float64Array.from(values);
  markSlotData(data);
  return data;
}

/** A printed column's JSON: its byte ranges between brackets. */
function jsonOf(printed: KeptColumn): string {
  if (isNonFinite(printed)) throw new Error(`not printed: ${printed.value} at ${printed.index}`);
  const parts = printed.buffers.map((buffer, i) =>
    buffer.toString('utf8', printed.bounds[2 * i], printed.bounds[2 * i + 1]),
  );
  return `[${parts.join('')}]`;
}

describe('slot text', () => {
  it('prints runs of slot data and made-per-request columns as JSON.stringify does, keeping slot text', () => {
    const text = createColumnText({ windowCacheMaxBytes: WINDOW_CACHE_BYTES });
    const data = slotData([1796124730000, 0.1, -0, 1.7e308, 5e-324, 42, -3.25]);
    const view = data.subarray(1, 6);
    const fresh = Float64Array.from([0.30000000000000004, 1e21, 7]);
    const printed = printColumn(text, (each) => {
      each(view, 1, 4);
      each(data, 0, 1);
      each(fresh, 0, 3);
    });
    expect(jsonOf(printed)).toBe(JSON.stringify([...view.subarray(1, 4), data[0], ...fresh]));
    // The slot was printed once, and its text then served both runs of it.
    expect(text.stats()).toMatchObject({ misses: 1, hits: 1, entries: 1 });
  });

  it('reports the first number JSON cannot carry at its index in the whole column', () => {
    const text = createColumnText({ windowCacheMaxBytes: WINDOW_CACHE_BYTES });
    const data = slotData([1, 2, Number.NaN, 4]);
    const first = printColumn(text, (each) => {
      each(data, 0, 2);
    });
    expect(jsonOf(first)).toBe('[1,2]');
    const bad = printColumn(text, (each) => {
      each(Float64Array.from([9, 9, 9]), 0, 3);
      each(data, 1, 4);
    });
    expect(bad).toEqual({ index: 4, value: Number.NaN });
    const infinite = printColumn(text, (each) => {
      each(Float64Array.from([1, Number.POSITIVE_INFINITY]), 0, 2);
    });
    expect(infinite).toEqual({ index: 1, value: Number.POSITIVE_INFINITY });
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
    // Another series object with other numbers is its own; its failed column leaves nothing in the sink.
    const other = { times: Float64Array.from([4000]), values: Float64Array.from([Number.NaN]) };
    expect(later.addColumn(other, 'values')).toEqual({ index: 0, value: Number.NaN });
    expect(later.stitch(JSON.stringify(again)).toString('utf8')).toBe(json);
    expect(later.size).toBe(2);
    // Nothing looked up or printed again.
    expect(text.stats()).toEqual(printed);
    expect(new ColumnSink(text, kept).addColumn(other, 'values')).toEqual({ index: 0, value: Number.NaN });
  });
});
