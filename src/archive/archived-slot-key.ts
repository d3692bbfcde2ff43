/**
 * Where an archived slot lives: the window cache's key (app, room, user, direction, slot start and size) read
 * back into its parts, so that archive rows have one column per part (swept by slot start, listed per room)
 * instead of an opaque string.
 */
import type { StreamDirection } from '../model/call-detail.js';
import { SLOT_KEY_VERSION, type SlotKey, slotCacheKey } from '../slots/window-cache.js';

/** The parts of a window cache key; undefined for a key of another layout (never archived). */
export function parseSlotKey(key: string): SlotKey | undefined {
  if (!key.startsWith(SLOT_KEY_VERSION)) return undefined;
  let parts: unknown;
  try {
    parts = JSON.parse(key.slice(SLOT_KEY_VERSION.length));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parts) || parts.length !== 6) return undefined;
  const [appId, roomId, userId, direction, slotStartMs, slotMs] = parts as unknown[];
  if (typeof appId !== 'string' || typeof roomId !== 'string' || typeof userId !== 'string') return undefined;
  if (direction !== 'up' && direction !== 'down') return undefined;
  if (!Number.isSafeInteger(slotStartMs) || !Number.isSafeInteger(slotMs)) return undefined;
  const slot: SlotKey = {
    appId,
    roomId,
    userId,
    direction: direction as StreamDirection,
    slotStartMs: slotStartMs as number,
    slotMs: slotMs as number,
  };
  // Only a key that prints back the same is one the window cache could have made.
  return slotCacheKey(slot) === key ? slot : undefined;
}
