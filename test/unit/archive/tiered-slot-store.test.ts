import { describe, expect, it } from 'vitest';
import { tieredSlotStore } from '../../../src/archive/tiered-slot-store.js';
import type { SecondLevelSlotStore } from '../../../src/slots/call-detail-source.js';
import { EMPTY_SLOT_ENTRY, type SlotEntry } from '../../../src/slots/slot-entry.js';

/** A store holding `keys`, recording what it is asked and given. */
function store(keys: readonly string[]) {
  const held = new Map<string, SlotEntry>(keys.map((key) => [key, EMPTY_SLOT_ENTRY]));
  const asked: string[][] = [];
  const given: string[][] = [];
  const tier: SecondLevelSlotStore = {
    async getMany(wanted) {
      asked.push([...wanted]);
      return new Map([...held].filter(([key]) => wanted.includes(key)));
    },
    putMany(entries) {
      given.push(entries.map(([key]) => key));
      for (const [key, entry] of entries) held.set(key, entry);
    },
  };
  return { tier, asked, given };
}

describe('tiered second-level stores', () => {
  it('asks the archive only for what Redis lacks, and offers Redis what the archive had', async () => {
    const redis = store(['a']);
    const archive = store(['b']);
    const tiers = tieredSlotStore([redis.tier, archive.tier]);
    const found = await tiers?.getMany(['a', 'b', 'c']);
    expect([...(found?.keys() ?? [])].sort()).toEqual(['a', 'b']);
    expect(archive.asked).toEqual([['b', 'c']]);
    expect(redis.given).toEqual([['b']]);
    expect(archive.given).toEqual([]);

    tiers?.putMany([['d', EMPTY_SLOT_ENTRY]]);
    expect(redis.given).toEqual([['b'], ['d']]);
    expect(archive.given).toEqual([['d']]);
  });

  it('is the one store given, or none', () => {
    const only = store([]);
    expect(tieredSlotStore([undefined, only.tier])).toBe(only.tier);
    expect(tieredSlotStore([undefined, undefined])).toBeUndefined();
  });
});
