/**
 * The simulator's own list of ListCallDetail metrics and how each behaves. Only the simulator knows these
 * names: the gateway treats `Name`/`Desc`/`Unit` as opaque strings.
 *
 * A value is made of a `level` (stable per series: this user's camera, this link's base RTT), a per-point
 * `noise`, and the episodes the stream is in at that instant.
 */

/** What is going wrong on a stream at one instant. */
export interface StreamCondition {
  readonly lossSpike: boolean;
  readonly rttSpike: boolean;
  readonly stall: boolean;
}

export interface MetricModel {
  readonly name: string;
  readonly desc: string;
  readonly unit: string;
  /** `level` and `noise` are uniform in [0, 1). */
  value(level: number, noise: number, condition: StreamCondition): number;
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** Common capture rates, so frame rates cluster the way real clients do. */
function nominalFrameRate(level: number): number {
  return level < 1 / 3 ? 15 : level < 2 / 3 ? 24 : 30;
}

/** Mostly a fraction of a percent, now and then a bit more. */
function quietLossRate(noise: number): number {
  return noise < 0.8 ? noise * 0.5 : (noise - 0.8) * 10;
}

const audioSendBitrate: MetricModel = {
  name: 'AudioSendBitrate',
  desc: 'Audio send bitrate',
  unit: 'kbps',
  value: (level, noise, { lossSpike }) =>
    round((32 + level * 32) * (0.95 + noise * 0.1) * (lossSpike ? 0.75 : 1), 1),
};

const videoSendBitrate: MetricModel = {
  name: 'VideoSendBitrate',
  desc: 'Video send bitrate',
  unit: 'kbps',
  // Congestion control backs the encoder off hard when loss rises.
  value: (level, noise, { lossSpike }) =>
    round((400 + level * 1100) * (0.9 + noise * 0.2) * (lossSpike ? 0.35 : 1), 1),
};

const videoSendFrameRate: MetricModel = {
  name: 'VideoSendFrameRate',
  desc: 'Video send frame rate',
  unit: 'fps',
  value: (level, noise, { lossSpike }) =>
    round((nominalFrameRate(level) - noise * 2) * (lossSpike ? 0.6 : 1), 1),
};

function packetLossRate(name: string, desc: string): MetricModel {
  return {
    name,
    desc,
    unit: '%',
    value: (_level, noise, { lossSpike }) => round(lossSpike ? 8 + noise * 22 : quietLossRate(noise), 2),
  };
}

const rtt: MetricModel = {
  name: 'Rtt',
  desc: 'Round-trip time',
  unit: 'ms',
  // A congested queue adds hundreds of ms on top of the path's own RTT; loss alone (retransmits, a busy
  // radio) stays well under 400 ms.
  value: (level, noise, { lossSpike, rttSpike }) =>
    rttSpike
      ? Math.round(450 + level * 250 + noise * 300)
      : Math.round((20 + level * 100) * (0.85 + noise * 0.3) * (lossSpike ? 2.5 : 1)),
};

const jitter: MetricModel = {
  name: 'Jitter',
  desc: 'Jitter',
  unit: 'ms',
  value: (level, noise, { lossSpike }) =>
    round((2 + level * 13) * (0.7 + noise * 0.6) * (lossSpike ? 3 : 1), 1),
};

const audioRecvBitrate: MetricModel = {
  name: 'AudioRecvBitrate',
  desc: 'Audio receive bitrate',
  unit: 'kbps',
  value: (level, noise, { lossSpike }) =>
    round((32 + level * 32) * (0.93 + noise * 0.1) * (lossSpike ? 0.7 : 1), 1),
};

const videoRecvBitrate: MetricModel = {
  name: 'VideoRecvBitrate',
  desc: 'Video receive bitrate',
  unit: 'kbps',
  value: (level, noise, { lossSpike, stall }) =>
    round((300 + level * 1000) * (0.9 + noise * 0.2) * (stall ? 0.1 : lossSpike ? 0.4 : 1), 1),
};

const videoRecvFrameRate: MetricModel = {
  name: 'VideoRecvFrameRate',
  desc: 'Video receive frame rate',
  unit: 'fps',
  value: (level, noise, { lossSpike, stall }) =>
    round(stall ? noise * 1.5 : (nominalFrameRate(level) - noise * 3) * (lossSpike ? 0.6 : 1), 1),
};

/** Milliseconds of the last sampling period spent frozen. */
const videoStallDuration: MetricModel = {
  name: 'VideoStallDuration',
  desc: 'Video stall duration',
  unit: 'ms',
  value: (_level, noise, { lossSpike, stall }) => {
    if (stall) return Math.round(3000 + noise * 6000);
    if (lossSpike) return noise < 0.5 ? 0 : Math.round(200 + (noise - 0.5) * 2600);
    return noise < 0.95 ? 0 : Math.round((noise - 0.95) * 6000);
  },
};

/** Audio concealment hides most network trouble, so audio stalls stay shorter and rarer than video ones. */
const audioStallDuration: MetricModel = {
  name: 'AudioStallDuration',
  desc: 'Audio stall duration',
  unit: 'ms',
  value: (_level, noise, { lossSpike, stall }) => {
    if (stall) return Math.round(200 + noise * 1500);
    if (lossSpike) return noise < 0.7 ? 0 : Math.round(100 + (noise - 0.7) * 2300);
    return 0;
  },
};

/** What a user sends, in the order the `up` entry lists it. */
export const UP_METRICS: readonly MetricModel[] = [
  audioSendBitrate,
  videoSendBitrate,
  videoSendFrameRate,
  packetLossRate('UpPacketLossRate', 'Uplink packet loss rate'),
  rtt,
  jitter,
];

/** What a user receives from one peer, in the order each `down` entry lists it. */
export const DOWN_METRICS: readonly MetricModel[] = [
  audioRecvBitrate,
  videoRecvBitrate,
  videoRecvFrameRate,
  packetLossRate('DownPacketLossRate', 'Downlink packet loss rate'),
  rtt,
  jitter,
  videoStallDuration,
  audioStallDuration,
];
