/**
 * The process-wide table of metric texts is module state: this file fills it to its bound, which is why it
 * is a file of its own (vitest gives every test file fresh modules).
 */
import { describe, expect, it } from 'vitest';
import { internMetricText, isInternedMetricText } from '../../../src/slots/metric-text.js';
import { encodeSlotEntry, slotEntryBytes } from '../../../src/slots/slot-entry.js';
import { stringBytes } from '../../../src/slots/string-bytes.js';

function entryNamed(name: string) {
  const times = Float64Array.from([1000, 1001]);
  return encodeSlotEntry(
    [
      {
        userId: 'alice',
        direction: 'up',
        peerId: null,
        metrics: [{ name, description: 'd', unit: 'u', times, values: times }],
      },
    ],
    1000,
    2000,
  );
}

describe('metric texts', () => {
  it('are shared by every entry until 64 Ki characters are interned, then counted in full per entry', () => {
    const first = entryNamed('Rtt');
    expect(isInternedMetricText('Rtt')).toBe(true);
    const baseline = slotEntryBytes(first);
    expect(slotEntryBytes(entryNamed(`Rtt${'x'.repeat(1000)}`))).toBe(baseline);

    // An upstream answering with ever new texts fills the table, and then no more.
    for (let index = 0; index < 64; index += 1) internMetricText(`${index}`.padEnd(1024, '.'));
    const late = `Late${'x'.repeat(1000)}`;
    const lateEntry = entryNamed(late);
    expect(isInternedMetricText(late)).toBe(false);
    expect(slotEntryBytes(lateEntry)).toBe(baseline + stringBytes(late));
    // What was interned before stays shared.
    expect(slotEntryBytes(entryNamed('Rtt'))).toBe(baseline);
  });
});
