/**
 * Upstream answers for the quirks the simulator does not model (a stream split into pieces, data that arrives
 * late, values near the double range): the `UserCallDetail` entries a test computes from the call, which the
 * in-process upstream serves in place of the simulator's data (createInProcessGateway's `answer`).
 */

export interface QuirkCall {
  readonly appId: string;
  readonly roomId: string;
  readonly userIds: readonly string[];
  readonly startMs: number;
  readonly endMs: number;
  /** 0 both, 1 up, 2 down, as sent. */
  readonly direction: number;
}

/** One upstream `UserCallDetail` entry, exactly as the real API spells it. */
export interface UserCallDetailEntry {
  readonly UserId: string;
  readonly RoomId: string;
  readonly Direction: 'up' | 'down';
  readonly PeerId?: string;
  readonly CallDetail: ReadonlyArray<{
    readonly Name: string;
    readonly Desc: string;
    readonly Unit: string;
    readonly Data: ReadonlyArray<{ readonly Time: number; readonly Value: number }>;
  }>;
}

/** Points every `stepMs` in `[fromMs, toMs)`, valued by `value(time)`. */
export function pointsBetween(
  fromMs: number,
  toMs: number,
  stepMs: number,
  value: (timeMs: number) => number,
) {
  const points: Array<{ Time: number; Value: number }> = [];
  for (let time = Math.ceil(fromMs / stepMs) * stepMs; time < toMs; time += stepMs) {
    points.push({ Time: time, Value: value(time) });
  }
  return points;
}

/** User u1's UP stream in room r with one metric: the shape most quirk tests need. */
export function upStreamOf(
  metric: { readonly name: string; readonly unit?: string },
  data: ReadonlyArray<{ readonly Time: number; readonly Value: number }>,
): UserCallDetailEntry {
  return {
    UserId: 'u1',
    RoomId: 'r',
    Direction: 'up',
    CallDetail: [{ Name: metric.name, Desc: metric.name, Unit: metric.unit ?? '', Data: data }],
  };
}
