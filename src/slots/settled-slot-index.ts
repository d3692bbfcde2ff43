/**
 * The window cache's keys of immutable entries by (app, room, user, direction): what lets a live dashboard's
 * poll find a user's ~13 settled slots of "the last hour" with one lookup of the user's key prefix, instead of
 * building a key string per slot (and hashing it again to look it up in the LRU). The index holds the LRU's own
 * key strings, whose hashes V8 keeps, and reads the entries through the LRU: so an entry served counts as
 * recently used, exactly as one looked up by its key, and nothing is served that the LRU does not hold.
 *
 * Kept in step with the LRU by the cache: a key is indexed when its entry is stored as immutable, and leaves
 * when the LRU lets the entry go (replaced, evicted, deleted) or holds the tail under it. The moving tail is
 * never indexed: it expires, and a slot that settled must be fetched again after that (see lookUpSlot).
 */
import type { SlotEntry } from './slot-entry.js';

interface Group {
  readonly slotMs: number;
  /** By slot ordinal (start / slotMs): small integers, which a Map finds without hashing a string. */
  readonly keys: Map<number, string>;
}

/**
 * What an indexed key weighs beyond the key and its entry (both counted by the cache already): its place in its
 * group's Map at the Map's average spare capacity, and a share of the group (its object, Map and key prefix),
 * of which a user's hour holds 12 slots. Measured by bench/cache-memory.ts.
 */
export const INDEXED_ENTRY_BYTES = 48;

const NO_ENTRIES: readonly SlotEntry[] = Object.freeze([]);

export interface SettledSlotIndex {
  add(prefix: string, slotStartMs: number, slotMs: number, key: string): void;
  remove(prefix: string, slotStartMs: number, slotMs: number): void;
  /**
   * The entries of up to `count` consecutive slots from `firstSlotStartMs`, in slot order, as far as each slot
   * is indexed and its entry holds the slot's part of `[fromMs, toMs)`.
   */
  find(
    prefix: string,
    slotMs: number,
    firstSlotStartMs: number,
    count: number,
    fromMs: number,
    toMs: number,
  ): readonly SlotEntry[];
}

/** `read`: the LRU's get, which makes the entry recent. */
export function createSettledSlotIndex(read: (key: string) => SlotEntry | undefined): SettledSlotIndex {
  const groups = new Map<string, Group>();
  return {
    add(prefix, slotStartMs, slotMs, key) {
      let group = groups.get(prefix);
      if (group === undefined) {
        group = { slotMs, keys: new Map() };
        groups.set(prefix, group);
      }
      // One cache holds one slot size; a key of another is simply left to the LRU.
      if (group.slotMs === slotMs) group.keys.set(slotStartMs / slotMs, key);
    },
    remove(prefix, slotStartMs, slotMs) {
      const group = groups.get(prefix);
      if (group === undefined || group.slotMs !== slotMs) return;
      group.keys.delete(slotStartMs / slotMs);
      if (group.keys.size === 0) groups.delete(prefix);
    },
    find(prefix, slotMs, firstSlotStartMs, count, fromMs, toMs) {
      const group = groups.get(prefix);
      if (group === undefined || group.slotMs !== slotMs) return NO_ENTRIES;
      const first = firstSlotStartMs / slotMs;
      const entries: SlotEntry[] = [];
      for (let slotStartMs = firstSlotStartMs; entries.length < count; slotStartMs += slotMs) {
        const key = group.keys.get(first + entries.length);
        const entry = key === undefined ? undefined : read(key);
        if (entry === undefined) break;
        // As holds(pieceOf(entry), need) of slot-pieces.ts, without making either.
        const slotEndMs = slotStartMs + slotMs;
        const held =
          (entry.coveredFromMs ?? slotStartMs) <= Math.max(fromMs, slotStartMs) &&
          Math.min(toMs, slotEndMs) <= (entry.coveredToMs ?? slotEndMs);
        if (!held) break;
        entries.push(entry);
      }
      return entries.length === 0 ? NO_ENTRIES : entries;
    },
  };
}
