/**
 * Chart-ready frames: several streams of one metric on one shared time axis, one column per stream, null where
 * a stream has no point, the table uPlot, ECharts and Grafana take as is.
 */
import { InvalidArgumentError } from '../errors/invalid-argument.js';
import type { StreamDetail, StreamDirection } from '../model/call-detail.js';
import type { Aggregate } from './aggregate.js';
import { MAX_STEP_SECONDS, validateStep } from './downsample.js';
import { metricPoints } from './metric-points.js';

/**
 * Digits a frame's values keep: a mean of `0.1`s prints as `0.48250000000000004` otherwise. Twelve stay far
 * above any measurement's precision and far below where binary fractions start to show.
 */
export const FRAME_SIGNIFICANT_DIGITS = 12;

/** The step used when `maxDataPoints` is given without `step`: the simulator's sampling is not known here. */
const MIN_DERIVED_STEP_SECONDS = 1;

export interface FrameColumnModel {
  readonly userId: string;
  readonly direction: StreamDirection;
  readonly peerId: string | null;
  /** One item per time of the frame; null where the stream has no point then. */
  readonly values: (number | null)[];
}

export interface FrameModel {
  readonly metric: string;
  /** As the first stream having the metric states it; null when no stream has it. */
  readonly unit: string | null;
  /** Unix ms, increasing: every time any column has a point at. */
  readonly times: number[];
  readonly columns: FrameColumnModel[];
}

export interface FrameStepArgs {
  readonly step?: number | null;
  readonly maxDataPoints?: number | null;
}

/**
 * The bucket length, as Grafana derives its interval: `max(minimum, ceil(range / maxDataPoints))`, the minimum
 * being `step` when given, else 1 s; capped at a day like `step`. Without `maxDataPoints`, `step` as given
 * (null: raw points). Throws InvalidArgumentError for a bad `step` or a `maxDataPoints` that is not a positive
 * whole number, before any upstream call.
 */
export function frameStep(args: FrameStepArgs, fromMs: number, toMs: number): number | null {
  const { step, maxDataPoints } = args;
  const problem = step === null || step === undefined ? null : validateStep(step);
  if (problem !== null) throw new InvalidArgumentError('step', problem);
  if (maxDataPoints === null || maxDataPoints === undefined) return step ?? null;
  if (!Number.isInteger(maxDataPoints) || maxDataPoints < 1) {
    throw new InvalidArgumentError(
      'maxDataPoints',
      `\`maxDataPoints\` must be a whole number of at least 1, got ${maxDataPoints}.`,
    );
  }
  const derived = Math.ceil((toMs - fromMs) / 1000 / maxDataPoints);
  return Math.min(MAX_STEP_SECONDS, Math.max(step ?? MIN_DERIVED_STEP_SECONDS, derived));
}

/** `value` to FRAME_SIGNIFICANT_DIGITS significant digits. */
export function roundValue(value: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(FRAME_SIGNIFICANT_DIGITS)) : value;
}

/**
 * One column per stream having `metric`, in the streams' order, on the union of their (bucketed) times.
 */
export function buildFrame(
  streams: readonly StreamDetail[],
  metric: string,
  step: number | null,
  kind: Aggregate,
): FrameModel {
  let unit: string | null = null;
  const picked: { stream: StreamDetail; times: Float64Array; values: Float64Array }[] = [];
  for (const stream of streams) {
    const series = stream.metrics.find((candidate) => candidate.name === metric);
    if (!series) continue;
    unit ??= series.unit;
    // Not spread: a series merged from several windows holds its columns in accessors, which spreading skips.
    const { times, values } = metricPoints(series, step, kind);
    picked.push({ stream, times, values });
  }
  const axis = new Set<number>();
  for (const { times } of picked) for (const time of times) axis.add(time);
  const times = [...axis].sort((a, b) => a - b);
  const index = new Map(times.map((time, i) => [time, i]));
  const columns = picked.map(({ stream, times: own, values }) => {
    const cells = new Array<number | null>(times.length).fill(null);
    for (let i = 0; i < own.length; i += 1) {
      cells[index.get(own[i] as number) as number] = roundValue(values[i] as number);
    }
    return { userId: stream.userId, direction: stream.direction, peerId: stream.peerId, values: cells };
  });
  return { metric, unit, times, columns };
}
