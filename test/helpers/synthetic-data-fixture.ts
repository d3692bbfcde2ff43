/** The generator request and helpers the simulator's data tests share, in process and over HTTP. */
import type { SimulatedUserCallDetail, UserCallDetailRequest } from '../../src/simulator/synthetic-data.js';
import { HOUR_MS, NOW } from './signed-get.js';

export const START = NOW - 3 * HOUR_MS;

/** A past hour of room1 in app1, both directions, at the simulator's default sampling. */
export const base: Omit<UserCallDetailRequest, 'userId'> = {
  appId: 'app1',
  roomId: 'room1',
  startMs: START,
  endMs: START + HOUR_MS,
  direction: 0,
  sampleIntervalMs: 10_000,
  nowMs: NOW,
};

/** Enough ids that every kind of simulated user (publisher, viewer, absent, rejoining) is among them. */
export const candidates = Array.from({ length: 300 }, (_, index) => `user-${index}`);

export const timesOf = (entry: SimulatedUserCallDetail | undefined) =>
  entry?.CallDetail[0]?.Data.map((point) => point.Time) ?? [];

export const hasGap = (times: readonly number[], intervalMs: number) =>
  times.some((time, index) => index > 0 && time - (times[index - 1] ?? time) > intervalMs);
