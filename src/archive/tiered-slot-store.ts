/**
 * Second-level stores one behind the other (Redis, then the archive): a key is asked of a tier only when the
 * tiers before it lack it, a slot found in a later tier is offered to the earlier ones (a slot read from the
 * archive is then in Redis for the other replicas), and every write goes to all of them.
 */
import type { SecondLevelSlotStore } from '../slots/call-detail-source.js';
import type { SlotEntry } from '../slots/slot-entry.js';

export function tieredSlotStore(
  tiers: ReadonlyArray<SecondLevelSlotStore | undefined>,
): SecondLevelSlotStore | undefined {
  const present = tiers.filter((tier): tier is SecondLevelSlotStore => tier !== undefined);
  if (present.length <= 1) return present[0];
  return {
    async getMany(keys) {
      const found = new Map<string, SlotEntry>();
      let wanted = keys;
      for (const [index, tier] of present.entries()) {
        if (wanted.length === 0) break;
        const here = await tier.getMany(wanted);
        if (here.size === 0) continue;
        for (const [key, entry] of here) found.set(key, entry);
        for (const earlier of present.slice(0, index)) earlier.putMany([...here]);
        wanted = wanted.filter((key) => !here.has(key));
      }
      return found;
    },
    putMany(entries) {
      for (const tier of present) tier.putMany(entries);
    },
  };
}
