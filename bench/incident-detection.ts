/**
 * Incident detection scored against the simulator's ground truth: the default rules, through the gateway as
 * it ships, over many seeded rooms (up to four senders and one listener each, so UP and DOWN streams of both),
 * against the episodes the simulator injected (src/simulator/ground-truth.ts). Precision: incidents that
 * overlap an episode that explains them; recall: episodes holding at least their rule's k samples that an
 * incident of their kind overlaps.
 *
 * Run: node --import tsx bench/incident-detection.ts
 */
import { DEFAULT_INCIDENT_RULES } from '../src/resolvers/insights/default-incident-rules.js';
import { roomPublishers } from '../src/simulator/episodes.js';
import {
  type IncidentScoreAnswer,
  incidentScoreQuery,
  minSamplesOf,
  type ScoredStream,
  scoredStreamsOf,
  scoreIncidents,
} from '../src/simulator/incident-score.js';
import { pastRange, startBenchGateway } from './bench-gateway.js';
import { environmentLine, markdownTable, writeSection } from './results-file.js';

const APP = 'bench-app';
const ROOMS = 40;
const HOURS = 3;
const TARGET = 0.95;
const HEADING = '## Incident detection against the simulator’s ground truth';
const QUERY = incidentScoreQuery(APP);

const harness = await startBenchGateway();
const range = pastRange(HOURS, 10);
const fromMs = Date.parse(range.from);
const toMs = Date.parse(range.to);
const streams: ScoredStream[] = [];
let failed = 0;
const startedAt = performance.now();
try {
  for (let room = 0; room < ROOMS; room += 1) {
    const roomId = `incident-room-${room}`;
    const users = [...roomPublishers(APP, roomId).slice(0, 4), `listener-${room}`];
    const response = await harness.query<IncidentScoreAnswer>(QUERY, { room: roomId, users, ...range });
    if (response.errors !== undefined || !response.data) {
      failed += 1;
      continue;
    }
    streams.push(...scoredStreamsOf(response.data, { appId: APP, roomId, fromMs, toMs }));
  }
} finally {
  await harness.close();
}
const elapsedS = (performance.now() - startedAt) / 1000;
const score = scoreIncidents(streams, minSamplesOf(DEFAULT_INCIDENT_RULES));
const met = failed === 0 && score.precision >= TARGET && score.recall >= TARGET;
const ratio = ([total, hits]: readonly [number, number]) =>
  `${hits} / ${total} = ${total === 0 ? '-' : (hits / total).toFixed(3)}`;

writeSection(HEADING, [
  environmentLine('node --import tsx bench/incident-detection.ts'),
  '',
  `${ROOMS} rooms of \`${APP}\` (\`incident-room-0\` ...), each with up to 4 of its senders and one listener, ` +
    `${HOURS} h at the simulator's 10 s sampling, default incident rules: ${streams.length} streams, ` +
    `${harness.simulator.calls.length} upstream calls, ${elapsedS.toFixed(1)} s. An incident is true when it ` +
    'overlaps an episode that explains it (HIGH_PACKET_LOSS and HIGH_JITTER: a loss burst; HIGH_RTT: an RTT ' +
    'spike; LOW_MOS: either; VIDEO_FREEZE: a stall); an episode counts for recall when it holds at least ' +
    'its rule’s k samples.',
  '',
  markdownTable(
    ['measure', 'value'],
    [
      [`**precision** (target >= ${TARGET})`, `**${ratio([score.incidents, score.trueIncidents])}**`],
      [`**recall** (target >= ${TARGET})`, `**${ratio([score.episodes, score.foundEpisodes])}**`],
      ...[...score.byEpisodeKind].map(([kind, counts]) => [`recall, ${kind}`, ratio(counts)]),
      ...[...score.byIncidentKind].map(([kind, counts]) => [`precision, ${kind}`, ratio(counts)]),
      ['queries failed', String(failed)],
    ],
  ),
  '',
  met ? 'Target met.' : 'Target MISSED.',
]);
if (!met) process.exitCode = 1;
