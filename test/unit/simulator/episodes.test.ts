import { describe, expect, it } from 'vitest';
import { isParticipant, presenceOf, roomPublishers } from '../../../src/simulator/episodes.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;

describe('isParticipant', () => {
  it('accepts ids the upstream accepts, except the absent... convention', () => {
    for (const id of ['u1', 'user_1@example.com', 'A-b.c', 'x'.repeat(128), 'host']) {
      expect(isParticipant(id), id).toBe(true);
    }
    for (const id of ['', 'bad id', 'x'.repeat(129), 'ünï', 'a/b', 'absent', 'absent-42']) {
      expect(isParticipant(id), id).toBe(false);
    }
  });
});

describe('roomPublishers', () => {
  it('gives each room a stable set of two or three publishers, host first', () => {
    const rooms = Array.from({ length: 50 }, (_, index) => roomPublishers('app1', `room-${index}`));
    expect(rooms.every((publishers) => publishers[0] === 'host')).toBe(true);
    expect(new Set(rooms.map((publishers) => publishers.length))).toEqual(new Set([2, 3]));
    expect(roomPublishers('app1', 'room-7')).toEqual(rooms[7]);
  });
});

describe('presenceOf', () => {
  it('keeps users in the room most of the time, with whole-block and partial absences', () => {
    const times = Array.from({ length: DAY_MS / 10_000 }, (_, index) => NOW - DAY_MS + index * 10_000);
    const absences = Array.from({ length: 50 }, (_, index) => {
      const present = presenceOf('app1', 'room1', `user-${index}`);
      return times.filter((time) => !present(time)).length;
    });
    const absentShare = absences.reduce((sum, absent) => sum + absent, 0) / (absences.length * times.length);
    expect(absentShare).toBeGreaterThan(0);
    expect(absentShare).toBeLessThan(0.1);
    // Absences are decided per 10-minute block (60 samples): a partial one leaves a count of odd samples.
    expect(absences.some((absent) => absent % 60 !== 0)).toBe(true);
  });
});
