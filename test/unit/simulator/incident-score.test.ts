/**
 * Incident detection scored against the simulator's ground truth: the default rules, run through the
 * GraphQL API on the simulator's data for many rooms and users, find the episodes it injected (recall) and
 * little else (precision).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_INCIDENT_RULES } from '../../../src/resolvers/insights/default-incident-rules.js';
import { roomPublishers } from '../../../src/simulator/episodes.js';
import { streamEpisodes } from '../../../src/simulator/ground-truth.js';
import { type ScoredStream, scoreIncidents } from '../../../src/simulator/incident-score.js';
import { createInProcessGateway } from '../../helpers/in-process-gateway.js';
import { pastRange } from '../../helpers/test-gateway.js';

const QUERY = `query ($room: ID!, $users: [ID!]!, $from: DateTime!, $to: DateTime!) {
  callQuality(appId: "score-app", roomId: $room, userIds: $users, from: $from, to: $to) {
    userId
    streams {
      direction
      peerId
      incidents { kind start end }
      metric(name: "Rtt") { series { times } }
    }
  }
}`;

interface Answer {
  callQuality: Array<{
    userId: string;
    streams: Array<{
      direction: 'UP' | 'DOWN';
      peerId: string | null;
      incidents: Array<{ kind: string; start: string; end: string }>;
      metric: { series: { times: number[] } } | null;
    }>;
  }>;
}

/** k of each default rule: the samples an episode needs inside it to be detectable at all. */
function minSamples(incidentKind: string): number | undefined {
  const rule = DEFAULT_INCIDENT_RULES.find((candidate) => candidate.kind === incidentKind);
  return rule && 'k' in rule.sustain ? rule.sustain.k : undefined;
}

describe('incident detection on the simulator', () => {
  it('finds the injected episodes with precision and recall of at least 0.95', async () => {
    const gateway = createInProcessGateway({ env: { LIMIT_MAX_UPSTREAM_CALLS: '1000' } });
    const range = pastRange(2);
    const streams: ScoredStream[] = [];
    for (let room = 0; room < 16; room += 1) {
      const roomId = `score-room-${room}`;
      // Up to four senders and one user who only listens: UP and DOWN streams of both kinds of user.
      const users = [...roomPublishers('score-app', roomId).slice(0, 4), `listener-${room}`];
      const response = await gateway.query<Answer>(QUERY, { room: roomId, users, ...range });
      expect(response.errors).toBeUndefined();
      for (const user of response.data?.callQuality ?? []) {
        for (const stream of user.streams) {
          const truth = {
            appId: 'score-app',
            roomId,
            userId: user.userId,
            direction: stream.direction === 'UP' ? ('up' as const) : ('down' as const),
            peerId: stream.peerId ?? undefined,
          };
          streams.push({
            episodes: streamEpisodes(truth, range.fromMs, range.toMs),
            incidents: stream.incidents.map((incident) => ({
              kind: incident.kind,
              startMs: Date.parse(incident.start),
              endMs: Date.parse(incident.end),
            })),
            sampleTimes: stream.metric?.series.times ?? [],
          });
        }
      }
    }
    const score = scoreIncidents(streams, minSamples);
    // Enough of everything for the ratios to mean something.
    expect(streams.length).toBeGreaterThan(150);
    expect(score.episodes).toBeGreaterThan(500);
    expect(score.incidents).toBeGreaterThan(500);
    expect(score.precision).toBeGreaterThanOrEqual(0.95);
    expect(score.recall).toBeGreaterThanOrEqual(0.95);
  });
});
