/**
 * A room at a glance: per user the weakest link (the worst bucket score of any of their streams), the time
 * spent in incidents and the metric most at fault, ranked worst first; per time bucket how many users were in
 * an incident. Never an average over users, which would hide the one participant everybody hears badly.
 */
import type { MetricRoleNames } from '../../config/metric-roles.js';
import type { StreamDetail, StreamDirection } from '../../model/call-detail.js';
import {
  type StreamIncident,
  type StreamIncidentRule,
  streamIncidents,
  type UnjudgedRule,
} from './stream-incidents.js';
import { bandOf, type QualityBand, qualityBuckets, streamQuality } from './stream-quality.js';

export interface UserStreams {
  readonly userId: string;
  readonly streams: readonly StreamDetail[];
}

export interface UserOverview {
  readonly userId: string;
  /** The lowest bucket score of any of the user's streams, 0..100; null when none could be rated. */
  readonly worstScore: number | null;
  readonly worstBand: QualityBand | null;
  /** The stream that scored it. */
  readonly worstStream: { readonly direction: StreamDirection; readonly peerId: string | null } | null;
  /** Seconds covered by at least one incident of any stream (overlaps counted once). */
  readonly incidentSeconds: number;
  readonly incidentCount: number;
  /** The measured metric whose incidents lasted longest in total (MOS only when no other had one); null without. */
  readonly worstMetric: string | null;
}

export interface RoomOverviewModel {
  /** Worst first: lowest worst score (unrated users last), then most time in incidents, then as asked. */
  readonly users: readonly UserOverview[];
  /** Every bucket of the range, epoch-aligned, and how many users had an incident overlapping it. */
  readonly bucketTimes: readonly number[];
  readonly usersInIncident: readonly number[];
  readonly unjudged: readonly UnjudgedRule[];
}

export interface RoomOverviewInput {
  readonly users: readonly UserStreams[];
  readonly fromMs: number;
  readonly toMs: number;
  readonly stepMs: number;
  readonly rules: readonly StreamIncidentRule[];
  readonly roles: MetricRoleNames;
}

export function roomOverview(input: RoomOverviewInput): RoomOverviewModel {
  const { stepMs } = input;
  const firstBucket = Math.floor(input.fromMs / stepMs) * stepMs;
  const bucketTimes: number[] = [];
  for (let time = firstBucket; time < input.toMs; time += stepMs) bucketTimes.push(time);
  const usersInIncident = bucketTimes.map(() => 0);
  const unjudged: UnjudgedRule[] = [];

  const overviews = input.users.map((user, order) => {
    const incidents: StreamIncident[] = [];
    let worst: { score: number; stream: StreamDetail } | null = null;
    for (const stream of user.streams) {
      const judged = streamIncidents(stream, input.rules, input.roles);
      incidents.push(...judged.incidents);
      unjudged.push(...judged.unjudged);
      for (const score of qualityBuckets(streamQuality(stream, input.roles), stepMs).scores) {
        if (worst === null || score < worst.score) worst = { score, stream };
      }
    }
    const intervals = mergeIntervals(
      incidents.map((incident) => [incident.startMs, incident.endMs] as const),
    );
    markBuckets(intervals, firstBucket, stepMs, usersInIncident);
    const overview: UserOverview = {
      userId: user.userId,
      worstScore: worst?.score ?? null,
      worstBand: worst === null ? null : bandOf(worst.score),
      worstStream: worst === null ? null : { direction: worst.stream.direction, peerId: worst.stream.peerId },
      incidentSeconds: intervals.reduce((sum, [start, end]) => sum + (end - start), 0) / 1000,
      incidentCount: incidents.length,
      worstMetric: longestMetric(incidents),
    };
    return { overview, order };
  });

  overviews.sort(
    (a, b) =>
      (a.overview.worstScore ?? Number.POSITIVE_INFINITY) -
        (b.overview.worstScore ?? Number.POSITIVE_INFINITY) ||
      b.overview.incidentSeconds - a.overview.incidentSeconds ||
      a.order - b.order,
  );
  return { users: overviews.map((entry) => entry.overview), bucketTimes, usersInIncident, unjudged };
}

/** Sorted, non-overlapping intervals covering the same instants. */
function mergeIntervals(intervals: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [start, end] of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** Counts the user once in every bucket one of its intervals overlaps (an instant incident, its own bucket). */
function markBuckets(
  intervals: ReadonlyArray<readonly [number, number]>,
  firstBucket: number,
  stepMs: number,
  counts: number[],
) {
  const marked = new Set<number>();
  for (const [start, end] of intervals) {
    const first = Math.max(0, Math.floor((start - firstBucket) / stepMs));
    const last = Math.min(counts.length - 1, Math.ceil((end - firstBucket) / stepMs) - 1);
    for (let index = first; index <= Math.max(first, last) && index < counts.length; index += 1)
      marked.add(index);
  }
  for (const index of marked) counts[index] = (counts[index] as number) + 1;
}

/**
 * MOS is computed from RTT, jitter and loss, so its incidents shadow theirs and outlast them (it stays low while
 * any one is bad): it is the worst metric only when no measured one had an incident, which says why.
 */
function longestMetric(incidents: readonly StreamIncident[]): string | null {
  const measured = incidents.filter((incident) => incident.metric !== 'MOS');
  const totals = new Map<string, number>();
  for (const incident of measured.length > 0 ? measured : incidents) {
    totals.set(incident.metric, (totals.get(incident.metric) ?? 0) + incident.endMs - incident.startMs);
  }
  let longest: string | null = null;
  for (const [metric, total] of totals)
    if (longest === null || total > (totals.get(longest) as number)) longest = metric;
  return longest;
}
