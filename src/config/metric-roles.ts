/**
 * Which upstream metric plays which part in the quality insights. The upstream's metric names are opaque
 * strings, not a published list, so the gateway never assumes them: these defaults name the ones documented
 * in Volcengine's examples (`bandwidth`, `fraction_lost`) and the embedded simulator's, and `METRIC_ROLES`
 * replaces a role's names for an account whose data calls them otherwise.
 */
import type { StreamDirection } from '../model/call-detail.js';
import type { EnvReader } from './env-reader.js';

export const METRIC_ROLES = ['RTT', 'JITTER', 'PACKET_LOSS', 'FREEZE', 'BITRATE', 'FRAME_RATE'] as const;
export type MetricRole = (typeof METRIC_ROLES)[number];

/** Per direction, the names that can play a role, the first a stream has winning. */
export type MetricRoleNames = Readonly<
  Record<MetricRole, Readonly<Record<StreamDirection, readonly string[]>>>
>;

const both = (...names: string[]) => ({ up: names, down: names });

export const DEFAULT_METRIC_ROLES: MetricRoleNames = {
  RTT: both('Rtt', 'rtt'),
  JITTER: both('Jitter', 'jitter'),
  PACKET_LOSS: { up: ['UpPacketLossRate', 'fraction_lost'], down: ['DownPacketLossRate', 'fraction_lost'] },
  FREEZE: { up: [], down: ['VideoStallDuration'] },
  BITRATE: { up: ['VideoSendBitrate', 'bandwidth'], down: ['VideoRecvBitrate', 'bandwidth'] },
  FRAME_RATE: { up: ['VideoSendFrameRate'], down: ['VideoRecvFrameRate'] },
};

const FORMAT =
  'a JSON object from role (RTT, JITTER, PACKET_LOSS, FREEZE, BITRATE, FRAME_RATE) to metric names, as a list ' +
  'for both directions or { "up": [...], "down": [...] }';

export function readMetricRoles(read: EnvReader): MetricRoleNames {
  const raw = read.optional('METRIC_ROLES');
  if (raw === undefined) return DEFAULT_METRIC_ROLES;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    read.problems.push(`METRIC_ROLES must be ${FORMAT}; it is not JSON`);
    return DEFAULT_METRIC_ROLES;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    read.problems.push(`METRIC_ROLES must be ${FORMAT}`);
    return DEFAULT_METRIC_ROLES;
  }
  const roles: Record<string, Record<StreamDirection, readonly string[]>> = { ...DEFAULT_METRIC_ROLES };
  for (const [role, names] of Object.entries(parsed)) {
    if (!(METRIC_ROLES as readonly string[]).includes(role)) {
      read.problems.push(
        `METRIC_ROLES names an unknown role "${role}"; the roles are ${METRIC_ROLES.join(', ')}`,
      );
      continue;
    }
    const perDirection = Array.isArray(names) ? { up: names, down: names } : names;
    const up: unknown = perDirection?.up;
    const down: unknown = perDirection?.down;
    if (!isNameList(up) || !isNameList(down)) {
      read.problems.push(
        `METRIC_ROLES.${role} must be a list of metric names or { "up": [...], "down": [...] }`,
      );
      continue;
    }
    roles[role] = { up, down };
  }
  return roles as MetricRoleNames;
}

function isNameList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((name) => typeof name === 'string' && name !== '');
}
