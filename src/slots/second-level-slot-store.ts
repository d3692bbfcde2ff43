/** The second-level slot stores (Redis shared by replicas, the archive) as the call-detail source sees them. */
import type { SlotEntry } from './slot-entry.js';

/**
 * What the source needs of a shared store. It must never throw nor wait long: a failure is a miss (get) or a
 * skipped write (put), so replicas degrade to their own cache.
 */
export interface SecondLevelSlotStore {
  getMany(keys: readonly string[]): Promise<Map<string, SlotEntry>>;
  putMany(entries: ReadonlyArray<readonly [string, SlotEntry]>): void;
}
