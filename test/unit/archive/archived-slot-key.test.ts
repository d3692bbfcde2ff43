import { describe, expect, it } from 'vitest';
import { parseSlotKey } from '../../../src/archive/archived-slot-key.js';
import { type SlotKey, slotCacheKey } from '../../../src/slots/window-cache.js';

const SLOT: SlotKey = {
  appId: 'app1',
  roomId: 'room "1"',
  userId: 'ü',
  direction: 'down',
  slotStartMs: Date.UTC(2026, 0, 1, 12),
  slotMs: 300_000,
};

describe('parseSlotKey', () => {
  it('reads back the parts of every key the window cache makes', () => {
    expect(parseSlotKey(slotCacheKey(SLOT))).toEqual(SLOT);
    expect(parseSlotKey(slotCacheKey({ ...SLOT, direction: 'up', slotMs: 60_000 }))).toEqual({
      ...SLOT,
      direction: 'up',
      slotMs: 60_000,
    });
  });

  it('archives no key of another layout or version', () => {
    const key = slotCacheKey(SLOT);
    const version = key.slice(0, key.indexOf('['));
    expect(parseSlotKey(key.replace(version, 'cd1:'))).toBeUndefined();
    expect(parseSlotKey(`${version}["app1","r","u","sideways",0,300000]`)).toBeUndefined();
    expect(parseSlotKey(`${version}["app1","r","u","up",0.5,300000]`)).toBeUndefined();
    expect(parseSlotKey(`${version}[ "app1","r","u","up",0,300000]`)).toBeUndefined();
    expect(parseSlotKey(`${version}not json`)).toBeUndefined();
  });
});
