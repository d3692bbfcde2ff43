/**
 * Incident detection scored against the simulator's ground truth: the default rules, run through the
 * GraphQL API on the simulator's data for many rooms and users, find the episodes it injected (recall) and
 * little else (precision).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_INCIDENT_RULES } from '../../../src/resolvers/insights/default-incident-rules.js';
import { roomPublishers } from '../../../src/simulator/episodes.js';
import {
  type IncidentScoreAnswer,
  incidentScoreQuery,
  minSamplesOf,
  type ScoredStream,
  scoredStreamsOf,
  scoreIncidents,
} from '../../../src/simulator/incident-score.js';
import { createInProcessGateway } from '../../helpers/in-process-gateway.js';
import { pastRange } from '../../helpers/test-gateway.js';

const QUERY = incidentScoreQuery('score-app');

describe('incident detection on the simulator', () => {
  it('finds the injected episodes with precision and recall of at least 0.95', async () => {
    const gateway = createInProcessGateway({ env: { LIMIT_MAX_UPSTREAM_CALLS: '1000' } });
    const range = pastRange(2);
    const streams: ScoredStream[] = [];
    for (let room = 0; room < 16; room += 1) {
      const roomId = `score-room-${room}`;
      // Up to four senders and one user who only listens: UP and DOWN streams of both kinds of user.
      const users = [...roomPublishers('score-app', roomId).slice(0, 4), `listener-${room}`];
      const response = await gateway.query<IncidentScoreAnswer>(QUERY, { room: roomId, users, ...range });
      expect(response.errors).toBeUndefined();
      if (response.data)
        streams.push(...scoredStreamsOf(response.data, { appId: 'score-app', roomId, ...range }));
    }
    const score = scoreIncidents(streams, minSamplesOf(DEFAULT_INCIDENT_RULES));
    // Enough of everything for the ratios to mean something.
    expect(streams.length).toBeGreaterThan(150);
    expect(score.episodes).toBeGreaterThan(500);
    expect(score.incidents).toBeGreaterThan(500);
    expect(score.precision).toBeGreaterThanOrEqual(0.95);
    expect(score.recall).toBeGreaterThanOrEqual(0.95);
  });
});
