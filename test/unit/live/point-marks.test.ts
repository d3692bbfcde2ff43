import { describe, expect, it } from 'vitest';
import { deliveredPoints, type PointMarks, takeNewPoints } from '../../../src/live/point-marks.js';
import type { StreamDetail } from '../../../src/model/call-detail.js';

function stream(times: number[], name = 'Rtt'): StreamDetail {
  return {
    userId: 'u',
    direction: 'up',
    peerId: null,
    metrics: [
      {
        name,
        description: '',
        unit: 'ms',
        times: Float64Array.from(times),
        values: Float64Array.from(times),
      },
    ],
  };
}

const timesOf = (streams: StreamDetail[]) => streams.map((one) => one.metrics.map((m) => [...m.times]));

describe('takeNewPoints', () => {
  it('takes each point once, per series, however often the same tail is read', () => {
    const marks: PointMarks = new Map();
    expect(timesOf(takeNewPoints([stream([10, 20])], marks))).toEqual([[[10, 20]]]);
    expect(takeNewPoints([stream([10, 20])], marks)).toEqual([]);
    expect(timesOf(takeNewPoints([stream([10, 20, 30, 40])], marks))).toEqual([[[30, 40]]]);
    expect(timesOf(takeNewPoints([stream([20, 30, 40], 'Loss')], marks))).toEqual([[[20, 30, 40]]]);
  });
});

describe('deliveredPoints', () => {
  it('keeps what precedes the tail or the marks: the next poll sends exactly the rest', () => {
    const marks: PointMarks = new Map();
    takeNewPoints([stream([10, 20, 30])], marks);
    const joined = deliveredPoints([stream([10, 20, 30, 40, 50]), stream([15, 25], 'Loss')], marks, 25);
    expect(timesOf(joined)).toEqual([[[10, 20, 30]], [[15]]]);
    const nextPoll = takeNewPoints([stream([30, 40, 50]), stream([25], 'Loss')], marks);
    expect(timesOf(nextPoll)).toEqual([[[40, 50]], [[25]]]);
  });
});
