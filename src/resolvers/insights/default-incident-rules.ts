/**
 * The incident rules applied when a query brings none. Thresholds are those of published practice: Twilio's
 * Voice SDK raises its network warnings for RTT above 400 ms, jitter above 30 ms and MOS below 3.5, each in 3
 * of the last 5 samples; 5 % is where Twilio Voice Insights tags a call `high_packet_loss`. A video freeze is a
 * receiving stream stalled for more than a fifth of two sampling periods in three (2 s of 10 s, the
 * simulator's and Volcengine's sampling). The clear bounds, a little inside each threshold, are this gateway's.
 */
import type { StreamIncidentRule } from './stream-incidents.js';

const THREE_OF_FIVE = { k: 3, n: 5 } as const;

export const DEFAULT_INCIDENT_RULES: readonly StreamIncidentRule[] = [
  {
    kind: 'HIGH_RTT',
    input: { role: 'RTT' },
    comparison: 'ABOVE',
    threshold: 400,
    clearThreshold: 350,
    sustain: THREE_OF_FIVE,
  },
  {
    kind: 'HIGH_JITTER',
    input: { role: 'JITTER' },
    comparison: 'ABOVE',
    threshold: 30,
    clearThreshold: 25,
    sustain: THREE_OF_FIVE,
  },
  {
    kind: 'HIGH_PACKET_LOSS',
    input: { role: 'PACKET_LOSS' },
    comparison: 'ABOVE',
    threshold: 5,
    clearThreshold: 3,
    sustain: THREE_OF_FIVE,
  },
  {
    kind: 'LOW_MOS',
    input: { mos: true },
    comparison: 'BELOW',
    threshold: 3.5,
    clearThreshold: 3.6,
    sustain: THREE_OF_FIVE,
  },
  {
    kind: 'VIDEO_FREEZE',
    input: { role: 'FREEZE' },
    direction: 'down',
    comparison: 'ABOVE',
    threshold: 2000,
    sustain: { k: 2, n: 3 },
  },
];
