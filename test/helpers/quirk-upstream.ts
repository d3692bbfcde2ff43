/**
 * A loopback fake of ListCallDetail for the quirks the simulator does not model (a stream split into pieces,
 * data that arrives late, values near the double range): it answers every GET with a success envelope whose
 * `UserCallDetail` entries the test computes from the call. It checks no signature; every call is recorded.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

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

export interface QuirkUpstream {
  readonly url: string;
  readonly calls: readonly QuirkCall[];
  close(): Promise<void>;
}

export async function startQuirkUpstream(
  answer: (call: QuirkCall) => readonly UserCallDetailEntry[],
): Promise<QuirkUpstream> {
  const calls: QuirkCall[] = [];
  const server = createServer((request, response) => {
    const params = new URL(request.url ?? '/', 'http://fake').searchParams;
    const call: QuirkCall = {
      appId: params.get('AppId') ?? '',
      roomId: params.get('RoomId') ?? '',
      userIds: (params.get('UserId') ?? '').split(',').filter((id) => id !== ''),
      startMs: Date.parse(params.get('StartTime') ?? ''),
      endMs: Date.parse(params.get('EndTime') ?? ''),
      direction: Number(params.get('Direction') ?? '0'),
    };
    calls.push(call);
    const body = JSON.stringify({
      ResponseMetadata: {
        RequestId: `quirk-${calls.length}`,
        Action: 'ListCallDetail',
        Version: '2023-11-01',
      },
      Result: { UserCallDetail: answer(call) },
    });
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
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
