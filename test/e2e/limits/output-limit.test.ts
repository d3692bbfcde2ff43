/**
 * What one operation may return is bounded (LIMIT_MAX_POINTS), whatever it costs upstream: on a real gateway
 * process with a 1 GB heap, three concurrent operations at the bound are served, three far past it are refused
 * with one coded error each, the process survives both, and /health is answered all along.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, spawnGateway, startGatewayProcess } from '../../helpers/gateway-process.js';
import { rssMb } from '../../helpers/process-rss.js';
import { pastRange, userIds } from '../../helpers/test-gateway.js';

const MAX_POINTS = 500_000;
// Far above a healthy answer (milliseconds); far below the 11 s one maximal operation held /health before.
const HEALTH_BOUND_MS = 5_000;
const HEAP_MB = 1024;
const USERS = userIds(20);
const range = pastRange(1);

let gateway: GatewayProcess;
beforeAll(async () => {
  // The defaults, LIMIT_MAX_POINTS included, on the embedded simulator.
  gateway = await startGatewayProcess({}, (env) => spawnGateway(env, [`--max-old-space-size=${HEAP_MB}`]));
});
afterAll(() => gateway.stop());

interface Post {
  readonly status: number;
  readonly body: {
    data?: Record<string, Array<{ streams: Array<{ metrics: Array<{ points: unknown[] }> }> }>> | null;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  };
}

async function post(query: string): Promise<Post> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables: { from: range.from, to: range.to } }),
  });
  return { status: response.status, body: (await response.json()) as Post['body'] };
}

/**
 * One alias per list of users, each asking for the room's settled hour with every raw point as an object: the
 * heaviest output there is.
 */
function heavy(aliases: ReadonlyArray<readonly string[]>): string {
  const fields = aliases.map(
    (users, index) =>
      `a${index}: callQuality(appId: "app", roomId: "room", userIds: ${JSON.stringify(users)}, from: $from, to: $to) {
        streams { metrics { points { time value } } }
      }`,
  );
  return `query ($from: DateTime!, $to: DateTime!) { ${fields.join('\n')} }`;
}

const copies = (count: number): string[][] => Array.from({ length: count }, () => [...USERS]);

/** Runs `work` while polling /health; resolves the slowest health answer (ms), failing on any that is not 200. */
async function whileWatchingHealth<T>(
  work: () => Promise<T>,
): Promise<{ result: T; slowestHealthMs: number }> {
  const health = new URL('/health', gateway.url);
  let slowestHealthMs = 0;
  let running = true;
  const watcher = (async () => {
    while (running) {
      const startedAt = performance.now();
      const response = await fetch(health, { signal: AbortSignal.timeout(HEALTH_BOUND_MS) });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      slowestHealthMs = Math.max(slowestHealthMs, performance.now() - startedAt);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  try {
    return { result: await work(), slowestHealthMs };
  } finally {
    running = false;
    await watcher;
  }
}

describe('output bound', () => {
  /** Points of each user over the hour, all metrics. */
  const pointsOf = new Map<string, number>();

  beforeAll(async () => {
    // Warms the window cache (one upstream call) and counts what each user's hour returns.
    const { body } = await post(`query ($from: DateTime!, $to: DateTime!) {
      callQuality(appId: "app", roomId: "room", userIds: ${JSON.stringify(USERS)}, from: $from, to: $to) {
        userId streams { metrics { summary { count } } }
      }
    }`);
    expect(body.errors).toBeUndefined();
    const entries = (body.data?.callQuality ?? []) as unknown as Array<{
      userId: string;
      streams: Array<{ metrics: Array<{ summary: { count: number } }> }>;
    }>;
    for (const entry of entries) {
      let points = 0;
      for (const stream of entry.streams) for (const metric of stream.metrics) points += metric.summary.count;
      pointsOf.set(entry.userId, points);
    }
  });

  it('serves three concurrent operations at the bound in a 1 GB heap, /health answered meanwhile', async () => {
    // Whole copies of the room's hour, then single users, as long as they fit: within one user of the bound.
    const perCopy = [...pointsOf.values()].reduce((sum, points) => sum + points, 0);
    const aliases = copies(Math.floor(MAX_POINTS / perCopy));
    let expected = aliases.length * perCopy;
    for (const [user, points] of pointsOf) {
      if (expected + points > MAX_POINTS) continue;
      aliases.push([user]);
      expected += points;
    }
    expect(expected).toBeGreaterThan(MAX_POINTS - Math.max(...pointsOf.values()));
    const { result, slowestHealthMs } = await whileWatchingHealth(() =>
      Promise.all([post(heavy(aliases)), post(heavy(aliases)), post(heavy(aliases))]),
    );
    for (const { status, body } of result) {
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      let points = 0;
      for (const entries of Object.values(body.data ?? {})) {
        for (const entry of entries)
          for (const stream of entry.streams) for (const m of stream.metrics) points += m.points.length;
      }
      expect(points).toBe(expected);
    }
    console.info(
      `output bound: 3 x ${expected} points served; slowest /health ${Math.round(slowestHealthMs)} ms, ` +
        `RSS after ${await rssMb(gateway.child.pid ?? 0)} MB`,
    );
  }, 120_000);

  it('refuses three concurrent 100-alias operations with one OUTPUT_LIMIT_EXCEEDED each, and lives on', async () => {
    const { result, slowestHealthMs } = await whileWatchingHealth(() =>
      Promise.all([post(heavy(copies(100))), post(heavy(copies(100))), post(heavy(copies(100)))]),
    );
    for (const { status, body } of result) {
      expect(status).toBe(200);
      expect(body.data).toBeUndefined();
      expect(body.errors).toEqual([
        {
          message:
            `this operation would return more than ${MAX_POINTS} points (LIMIT_MAX_POINTS); ask for fewer users, ` +
            'metrics or aliases, a shorter range, or a coarser `step`',
          extensions: { code: 'OUTPUT_LIMIT_EXCEEDED', limit: MAX_POINTS },
        },
      ]);
    }
    expect(gateway.child.exitCode).toBeNull();
    console.info(`output bound: 3 x 100 aliases refused; slowest /health ${Math.round(slowestHealthMs)} ms`);
  }, 120_000);
});
