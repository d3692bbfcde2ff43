/**
 * How well detected incidents match the simulator's ground truth: precision (incidents that overlap a true
 * episode of a kind that explains them) and recall (episodes, long enough for their rule to see, that an
 * incident of their kind overlaps). Shared by the scoring test and the benchmark, so both count alike.
 */
import { type Episode, type EpisodeKind, streamEpisodes } from './ground-truth.js';

export interface ScoredIncident {
  readonly kind: string;
  readonly startMs: number;
  /** Inclusive: the incident's last sample, or the first one back within bounds. */
  readonly endMs: number;
}

export interface ScoredStream {
  readonly episodes: readonly Episode[];
  readonly incidents: readonly ScoredIncident[];
  /** The instants the stream has a sample at, in the range scored. */
  readonly sampleTimes: readonly number[];
}

/** What the scoring asks of the gateway for a room's users: each stream's incidents and its sample times. */
export function incidentScoreQuery(appId: string): string {
  return `query ($room: ID!, $users: [ID!]!, $from: DateTime!, $to: DateTime!) {
  callQuality(appId: ${JSON.stringify(appId)}, roomId: $room, userIds: $users, from: $from, to: $to) {
    userId
    streams { direction peerId incidents { kind start end } metric(name: "Rtt") { series { times } } }
  }
}`;
}

/** The answer to incidentScoreQuery. */
export interface IncidentScoreAnswer {
  readonly callQuality: ReadonlyArray<{
    readonly userId: string;
    readonly streams: ReadonlyArray<{
      readonly direction: 'UP' | 'DOWN';
      readonly peerId: string | null;
      readonly incidents: ReadonlyArray<{
        readonly kind: string;
        readonly start: string;
        readonly end: string;
      }>;
      readonly metric: { readonly series: { readonly times: readonly number[] } } | null;
    }>;
  }>;
}

/** Each stream of an answer beside the episodes the simulator injected into it over the range. */
export function scoredStreamsOf(
  answer: IncidentScoreAnswer,
  room: { readonly appId: string; readonly roomId: string; readonly fromMs: number; readonly toMs: number },
): ScoredStream[] {
  return answer.callQuality.flatMap((user) =>
    user.streams.map((stream) => ({
      episodes: streamEpisodes(
        {
          appId: room.appId,
          roomId: room.roomId,
          userId: user.userId,
          direction: stream.direction === 'UP' ? 'up' : 'down',
          peerId: stream.peerId ?? undefined,
        },
        room.fromMs,
        room.toMs,
      ),
      incidents: stream.incidents.map(({ kind, start, end }) => ({
        kind,
        startMs: Date.parse(start),
        endMs: Date.parse(end),
      })),
      sampleTimes: stream.metric?.series.times ?? [],
    })),
  );
}

/**
 * k of each k-of-n rule by kind: the samples an episode needs inside it to be detectable at all. Takes the
 * rules (the gateway's defaults, which the simulator does not import) by their shape.
 */
export function minSamplesOf(
  rules: ReadonlyArray<{ readonly kind: string; readonly sustain: { readonly k: number } | object }>,
): (incidentKind: string) => number | undefined {
  return (incidentKind) => {
    const sustain = rules.find((rule) => rule.kind === incidentKind)?.sustain;
    return sustain !== undefined && 'k' in sustain ? sustain.k : undefined;
  };
}

/**
 * The episodes that can explain an incident of each default kind. Loss bursts triple the jitter and drag MOS
 * down, and RTT spikes drag MOS down: those incidents are true, just not the episode's headline kind.
 */
const EXPLAINED_BY: Readonly<Record<string, readonly EpisodeKind[]>> = {
  HIGH_PACKET_LOSS: ['LOSS_BURST'],
  HIGH_JITTER: ['LOSS_BURST'],
  HIGH_RTT: ['RTT_SPIKE'],
  LOW_MOS: ['LOSS_BURST', 'RTT_SPIKE'],
  VIDEO_FREEZE: ['STALL'],
};

/** The incident kind that must find each episode kind. */
export const DETECTED_AS: Readonly<Partial<Record<EpisodeKind, string>>> = {
  LOSS_BURST: 'HIGH_PACKET_LOSS',
  RTT_SPIKE: 'HIGH_RTT',
  STALL: 'VIDEO_FREEZE',
};

export interface IncidentScore {
  readonly incidents: number;
  /** Incidents overlapping an episode that explains them. */
  readonly trueIncidents: number;
  /** Episodes holding at least their rule's k samples. */
  readonly episodes: number;
  readonly foundEpisodes: number;
  readonly precision: number;
  readonly recall: number;
  /** Per incident kind: [incidents, true ones]. */
  readonly byIncidentKind: ReadonlyMap<string, readonly [number, number]>;
  /** Per episode kind: [episodes counted, found]. */
  readonly byEpisodeKind: ReadonlyMap<EpisodeKind, readonly [number, number]>;
}

/**
 * `minSamples(incidentKind)`: how many samples inside an episode its rule needs (k of a k-of-n rule); an
 * episode with fewer, or whose incident kind a stream is not judged by, is not counted for recall.
 */
export function scoreIncidents(
  streams: readonly ScoredStream[],
  minSamples: (incidentKind: string) => number | undefined,
): IncidentScore {
  let incidents = 0;
  let trueIncidents = 0;
  let episodes = 0;
  let foundEpisodes = 0;
  const byIncidentKind = new Map<string, [number, number]>();
  const byEpisodeKind = new Map<EpisodeKind, [number, number]>();
  const tally = <K>(map: Map<K, [number, number]>, key: K, hit: boolean) => {
    const counts = map.get(key) ?? [0, 0];
    counts[0] += 1;
    if (hit) counts[1] += 1;
    map.set(key, counts);
  };
  for (const stream of streams) {
    for (const incident of stream.incidents) {
      incidents += 1;
      const kinds = EXPLAINED_BY[incident.kind] ?? [];
      const explained = stream.episodes.some(
        (episode) => kinds.includes(episode.kind) && overlaps(episode, incident),
      );
      if (explained) trueIncidents += 1;
      tally(byIncidentKind, incident.kind, explained);
    }
    for (const episode of stream.episodes) {
      const incidentKind = DETECTED_AS[episode.kind];
      const needed = incidentKind === undefined ? undefined : minSamples(incidentKind);
      if (needed === undefined) continue;
      const inside = stream.sampleTimes.filter((time) => time >= episode.startMs && time < episode.endMs);
      if (inside.length < needed) continue;
      episodes += 1;
      const found = stream.incidents.some(
        (incident) => incident.kind === incidentKind && overlaps(episode, incident),
      );
      if (found) foundEpisodes += 1;
      tally(byEpisodeKind, episode.kind, found);
    }
  }
  return {
    incidents,
    trueIncidents,
    episodes,
    foundEpisodes,
    precision: incidents === 0 ? 1 : trueIncidents / incidents,
    recall: episodes === 0 ? 1 : foundEpisodes / episodes,
    byIncidentKind,
    byEpisodeKind,
  };
}

function overlaps(episode: Episode, incident: ScoredIncident): boolean {
  return incident.startMs < episode.endMs && incident.endMs >= episode.startMs;
}
