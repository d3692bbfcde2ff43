/**
 * Ranges older than the upstream's 6-day retention, end to end: a gateway archives (SQLite, in a temp dir)
 * what it fetched, the clock moves 8 days on (the simulator's too, so it refuses those ranges as the real API
 * would), and a restarted gateway serves them from the archive alone, or names what the archive lacks.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Tracer } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/observability/logger.js';
import { useArchiveTestbed } from '../../helpers/archive-testbed.js';
import { SERIES_STREAMS_SELECTION } from '../../helpers/expected-streams.js';
import { pastRange, startTestGateway, type TestGateway } from '../../helpers/test-gateway.js';

const DAY_MS = 24 * 3_600_000;
const HOUR_MS = 3_600_000;
const QUERY = `query ($from: DateTime!, $to: DateTime!) {
  callQuality(appId: "a", roomId: "r", userIds: ["u1", "u2", "u3"], from: $from, to: $to) {
    userId
    final
    ${SERIES_STREAMS_SELECTION}
  }
}`;

interface Answer {
  callQuality: Array<{ userId: string; final: boolean; streams: unknown[] | null }>;
}

const bed = useArchiveTestbed('callq-archive-');

/** A gateway on the shared simulator and archive file; the previous one is closed (its writes flushed) first. */
async function restartGateway(env: Record<string, string> = {}, tracer?: Tracer) {
  await bed.gateway?.close();
  bed.gateway = await startTestGateway({
    upstream: bed.simulator,
    now: bed.clock.now,
    env: { ARCHIVE_URL: `sqlite:${join(bed.dir, 'archive.sqlite')}`, ...env },
    ...(tracer ? { tracer } : {}),
  });
  return bed.gateway;
}

describe('the archive past the retention', () => {
  it('serves a range fetched 8 days ago as first served, with no upstream call', async () => {
    const range = pastRange(1, 10, bed.clock.now());
    const variables = { from: range.from, to: range.to };
    const first = await (await restartGateway()).query<Answer>(QUERY, variables);
    expect(first.errors).toBeUndefined();
    expect(first.data?.callQuality.every((entry) => (entry.streams?.length ?? 0) > 0)).toBe(true);
    const callsAfterFirst = bed.simulator.calls.length;
    expect(callsAfterFirst).toBe(1);

    bed.clock.advance(8 * DAY_MS);
    const later = await (await restartGateway()).query<Answer>(QUERY, variables);
    expect(later.errors).toBeUndefined();
    expect(later.data).toEqual(first.data);
    expect(bed.simulator.calls.length).toBe(callsAfterFirst);

    const metrics = await (
      await fetch((bed.gateway as TestGateway).gateway.graphqlUrl.replace(/\/graphql$/, '/metrics'))
    ).text();
    expect(metrics).toMatch(/^callq_archive_up 1$/m);
    expect(Number(/^callq_archive_bytes (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);
  });

  it('traces the archive lookup that serves a range, under the load that asked for it', async () => {
    const variables = pastRange(1, 10, bed.clock.now());
    expect((await (await restartGateway()).query<Answer>(QUERY, variables)).errors).toBeUndefined();
    bed.clock.advance(8 * DAY_MS);
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const later = await restartGateway({}, provider.getTracer('test'));
    expect((await later.query<Answer>(QUERY, variables)).errors).toBeUndefined();

    const spans = exporter.getFinishedSpans();
    const load = spans.find((span) => span.name === 'callDetail.load');
    const lookup = spans.find((span) => span.name === 'archive.getMany');
    expect(lookup?.parentSpanContext?.spanId).toBe(load?.spanContext().spanId);
    // 3 users x 12 slots x 2 directions, every one archived.
    expect(lookup?.attributes).toMatchObject({ 'callq.archive.keys': 72, 'callq.archive.found': 72 });
    expect(spans.filter((span) => span.name === 'ListCallDetail')).toEqual([]);
  });

  it('names the part of a range the archive lacks, at no upstream call', async () => {
    const archived = pastRange(1, 10, bed.clock.now());
    const first = await (await restartGateway()).query<Answer>(QUERY, {
      from: archived.from,
      to: archived.to,
    });
    expect(first.errors).toBeUndefined();
    const callsAfterFirst = bed.simulator.calls.length;

    bed.clock.advance(8 * DAY_MS);
    const harness = await restartGateway();
    // Half archived: the hour before was never fetched, and the upstream no longer has it.
    const fromMs = archived.fromMs - HOUR_MS;
    const half = await harness.query<Answer>(QUERY, {
      from: new Date(fromMs).toISOString(),
      to: archived.to,
    });
    expect(half.data?.callQuality.map((entry) => entry.streams)).toEqual([null, null, null]);
    expect(half.errors?.map((error) => error.extensions)).toEqual(
      ['u1', 'u2', 'u3'].map(() => ({
        code: 'NOT_ARCHIVED',
        missing: [{ from: new Date(fromMs).toISOString(), to: archived.from }],
      })),
    );
    expect(half.errors?.[0]?.path).toEqual(['callQuality', 0, 'streams']);
    expect(bed.simulator.calls.length).toBe(callsAfterFirst);
  });

  it('refuses before reading an operation that would read more archived slots than allowed', async () => {
    const harness = await restartGateway({ LIMIT_MAX_ARCHIVED_SLOTS: '100' });
    const toMs = Math.floor((bed.clock.now() - 8 * DAY_MS) / 300_000) * 300_000;
    const ask = (hours: number) =>
      harness.query<Answer>(QUERY, {
        from: new Date(toMs - hours * HOUR_MS).toISOString(),
        to: new Date(toMs).toISOString(),
      });
    // 3 users x 2 directions x 12 slots: within the limit (and not archived).
    const hour = await ask(1);
    expect(hour.errors?.map((error) => error.extensions?.code)).toEqual([
      'NOT_ARCHIVED',
      'NOT_ARCHIVED',
      'NOT_ARCHIVED',
    ]);
    // Twice that: refused as a whole, before any read.
    const twoHours = await ask(2);
    expect(twoHours.data).toBeUndefined();
    expect(twoHours.errors?.map((error) => error.extensions)).toEqual([
      { code: 'COST_LIMIT_EXCEEDED', archivedSlots: 144, limit: 100 },
    ]);
    expect(bed.simulator.calls).toHaveLength(0);
  });

  it('runs upstream-only, said once, when the archive file cannot be opened', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line).msg);
        done();
      },
    });
    // A directory that is a file: the archive cannot be made there, as on a broken or read-only disk.
    const notADirectory = join(bed.dir, 'not-a-directory');
    await writeFile(notADirectory, '');
    bed.gateway = await startTestGateway({
      upstream: bed.simulator,
      now: bed.clock.now,
      env: { ARCHIVE_URL: `sqlite:${join(notADirectory, 'archive.sqlite')}` },
      logger: createLogger({ level: 'warn', destination }),
    });
    expect(bed.gateway.gateway.archive).toBeNull();
    const range = pastRange(1, 10, bed.clock.now());
    const answer = await bed.gateway.query<Answer>(QUERY, { from: range.from, to: range.to });
    expect(answer.errors).toBeUndefined();
    expect(bed.simulator.calls).toHaveLength(1);
    expect(lines.filter((line) => line.startsWith('archive (sqlite) could not be opened'))).toHaveLength(1);
  });

  it('counts against the cost limit only what the upstream still has of a range', async () => {
    // Two days back from 8 days ago: 48 hourly calls if counted whole, 3 for the hours still in the retention.
    const harness = await restartGateway({ LIMIT_MAX_UPSTREAM_CALLS: '4' });
    const toMs = Math.floor((bed.clock.now() - 6 * DAY_MS + 2 * HOUR_MS) / 300_000) * 300_000;
    const fromMs = toMs - 2 * DAY_MS;
    const answer = await harness.query<Answer>(
      `query ($from: DateTime!, $to: DateTime!) {
        callQuality(appId: "a", roomId: "r", userIds: ["u1"], from: $from, to: $to) { ${SERIES_STREAMS_SELECTION} }
      }`,
      { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() },
    );
    expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['NOT_ARCHIVED']);
    const missing = answer.errors?.[0]?.extensions?.missing as Array<{ from: string; to: string }>;
    expect(missing).toHaveLength(1);
    expect(missing[0]?.from).toBe(new Date(fromMs).toISOString());
    // What the upstream still had was fetched (in at most the 3 calls counted), the rest named as missing.
    expect(Date.parse(missing[0]?.to ?? '')).toBeGreaterThan(bed.clock.now() - 6 * DAY_MS);
    expect(bed.simulator.calls.length).toBeGreaterThan(0);
    expect(bed.simulator.calls.length).toBeLessThanOrEqual(3);
  });
});
