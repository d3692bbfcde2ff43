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
  it('gives each room a stable roster of 2 to 12 senders, host then guest-1, guest-2, ...', () => {
    const rooms = Array.from({ length: 200 }, (_, index) => roomPublishers('app1', `room-${index}`));
    for (const publishers of rooms) {
      expect(publishers).toEqual(publishers.map((_, i) => (i === 0 ? 'host' : `guest-${i}`)));
    }
    expect(new Set(rooms.map((publishers) => publishers.length))).toEqual(
      new Set([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
    );
    expect(roomPublishers('app1', 'room-7')).toEqual(rooms[7]);
  });

  it('keeps demo-room at two or three senders, and gives room-of-N exactly N', () => {
    const demo = ['app1', 'demo-app', 'a', 'b', 'c', 'd'].map((app) => roomPublishers(app, 'demo-room'));
    expect(new Set(demo.map((publishers) => publishers.length))).toEqual(new Set([2, 3]));
    for (const app of ['app1', 'demo-app']) {
      expect(roomPublishers(app, 'room-of-12')).toHaveLength(12);
      expect(roomPublishers(app, 'room-of-12').at(-1)).toBe('guest-11');
      expect(roomPublishers(app, 'call-of-5')).toHaveLength(5);
    }
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
