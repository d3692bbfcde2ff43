import { describe, expect, it } from 'vitest';
import { closestNames, editDistance } from '../../../src/resolvers/edit-distance.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['', 'Rtt', 3],
    ['Rtt', 'Rtt', 0],
    ['Rtt', 'Rt', 1],
    ['Jitter', 'Jiter', 1],
    ['Jitter', 'Jtiter', 1],
    ['kitten', 'sitting', 3],
    ['ca', 'abc', 3],
  ])('from "%s" to "%s" is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('closestNames', () => {
  const known = [
    'AudioSendBitrate',
    'VideoSendBitrate',
    'UpPacketLossRate',
    'Rtt',
    'Jitter',
    'DownPacketLossRate',
  ];

  it('prefers the names equal but for case', () => {
    expect(closestNames('RTT', known)).toEqual(['Rtt']);
    expect(closestNames('rtt', known)).toEqual(['Rtt']);
  });

  it('falls back on a small edit distance, nearest first, ties in known order', () => {
    expect(closestNames('Jiter', known)).toEqual(['Jitter']);
    expect(closestNames('VideoSendBitrat', known)).toEqual(['VideoSendBitrate', 'AudioSendBitrate']);
  });

  it('then on the names containing it, and gives nothing when nothing is close', () => {
    expect(closestNames('PacketLoss', known)).toEqual(['UpPacketLossRate', 'DownPacketLossRate']);
    expect(closestNames('Temperature', known)).toEqual([]);
    expect(closestNames('', known)).toEqual([]);
  });
});
