/**
 * A stream's quality as a listener would rate it: the E-model's R (0..100) and MOS (1..4.5) at each instant
 * where RTT, jitter and loss are all sampled, averaged over the range or over epoch-aligned buckets. R is the
 * 0-100 score; its bands are ITU-T G.109's categories of speech transmission quality, the lower two merged.
 */
import type { MetricRoleNames } from '../../config/metric-roles.js';
import type { StreamDetail } from '../../model/call-detail.js';
import { mosOfR } from './e-model.js';
import { ratedSamples } from './role-metric.js';

export type QualityBand = 'EXCELLENT' | 'GOOD' | 'FAIR' | 'POOR';

/** G.109: R >= 90 best, >= 80 high, >= 70 medium, >= 60 low; below 60 not recommended. */
export function bandOf(score: number): QualityBand {
  if (score >= 90) return 'EXCELLENT';
  if (score >= 80) return 'GOOD';
  if (score >= 60) return 'FAIR';
  return 'POOR';
}

export interface QualityRating {
  /** The mean R of the samples, 0..100; null without samples. */
  readonly score: number | null;
  /** The MOS of that mean R. */
  readonly mos: number | null;
  readonly band: QualityBand | null;
}

export interface StreamQuality extends QualityRating {
  /** The roles the stream lacks for a rating (RTT, JITTER, PACKET_LOSS); empty when it can be rated. */
  readonly missing: readonly string[];
  /** Rated instants, for buckets. */
  readonly times: Float64Array;
  readonly ratings: Float64Array;
}

const NO_RATING: QualityRating = { score: null, mos: null, band: null };

export function streamQuality(stream: StreamDetail, roles: MetricRoleNames): StreamQuality {
  const rated = ratedSamples(stream, roles);
  if ('missing' in rated) {
    return { ...NO_RATING, missing: rated.missing, times: new Float64Array(), ratings: new Float64Array() };
  }
  const { times, values } = rated.series;
  return { ...rating(values, 0, values.length), missing: [], times, ratings: values };
}

export interface QualityBuckets {
  /** Bucket starts, unix ms, epoch-aligned; only buckets with a rated sample. */
  readonly times: readonly number[];
  readonly scores: readonly number[];
  readonly mos: readonly number[];
}

export function qualityBuckets(quality: StreamQuality, stepMs: number): QualityBuckets {
  const times: number[] = [];
  const scores: number[] = [];
  const mos: number[] = [];
  let start = 0;
  while (start < quality.times.length) {
    const bucket = Math.floor((quality.times[start] as number) / stepMs) * stepMs;
    let end = start + 1;
    while (end < quality.times.length && (quality.times[end] as number) < bucket + stepMs) end += 1;
    const { score, mos: bucketMos } = rating(quality.ratings, start, end);
    times.push(bucket);
    scores.push(score as number);
    mos.push(bucketMos as number);
    start = end;
  }
  return { times, scores, mos };
}

function rating(ratings: Float64Array, start: number, end: number): QualityRating {
  if (end <= start) return NO_RATING;
  let sum = 0;
  for (let i = start; i < end; i += 1) sum += ratings[i] as number;
  const score = sum / (end - start);
  return { score, mos: mosOfR(score), band: bandOf(score) };
}
