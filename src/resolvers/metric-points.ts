/** A metric's points as a client asked for them: raw, or one aggregated point per `step` bucket. */

import { InvalidArgumentError } from '../errors/invalid-argument.js';
import type { MetricSeries } from '../model/call-detail.js';
import type { Aggregate } from './aggregate.js';
import { downsample, type PointColumns, validateStep } from './downsample.js';
import { canonicalSeries } from './merge-windows.js';
import type { SlotDownsamples } from './piecewise-downsample.js';

export function metricPoints(
  metric: MetricSeries,
  step: number | null | undefined,
  kind: Aggregate,
  downsamples?: SlotDownsamples,
): PointColumns {
  const series = canonicalSeries(metric);
  if (step === null || step === undefined) return series;
  const problem = validateStep(step);
  if (problem !== null) throw new InvalidArgumentError('step', problem);
  return downsamples ? downsamples.downsample(series, step, kind) : downsample(series, step, kind);
}
