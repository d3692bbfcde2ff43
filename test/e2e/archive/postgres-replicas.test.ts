/**
 * Two real gateway processes archiving into one real PostgreSQL (a cluster of the test's own), in front of one
 * simulator that counts calls: what one archived the other serves, and PostgreSQL going away mid-run costs
 * queries the upstream can answer nothing.
 */
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPostgresArchive } from '../../../src/archive/postgres-archive.js';
import { type Simulator, startSimulator } from '../../../src/simulator/simulator.js';
import { type GatewayProcess, startGatewayProcess } from '../../helpers/gateway-process.js';
import { postgresAvailable, startTestPostgres, type TestPostgres } from '../../helpers/postgres-server.js';
import { pastRange, TEST_CREDENTIALS } from '../../helpers/test-gateway.js';

const QUERY = `query ($room: ID!, $from: DateTime!, $to: DateTime!) {
  callQuality(appId: "app1", roomId: $room, userIds: ["alice", "bob"], from: $from, to: $to) {
    userId streams { direction peerId metrics { name series { times values } } }
  }
}`;

async function until(condition: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let waited = 0; !(await condition()); waited += 50) {
    if (waited > 10_000) throw new Error(`${what}: not in time`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!postgresAvailable())('replicas on one PostgreSQL archive', () => {
  let postgres: TestPostgres;
  let simulator: Simulator;
  let a: GatewayProcess;
  let b: GatewayProcess;

  async function archivedRows(): Promise<number> {
    const client = new pg.Client(postgres.url);
    await client.connect();
    try {
      return Number((await client.query('SELECT count(*) AS n FROM slots')).rows[0].n);
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    postgres = await startTestPostgres();
    simulator = await startSimulator({ credentials: TEST_CREDENTIALS, sampleIntervalMs: 60_000 });
    const env = {
      VOLC_ACCESSKEY: TEST_CREDENTIALS.accessKeyId,
      VOLC_SECRETKEY: TEST_CREDENTIALS.secretAccessKey,
      VOLC_ENDPOINT: simulator.url,
      ARCHIVE_URL: postgres.url,
    };
    [a, b] = await Promise.all([startGatewayProcess(env), startGatewayProcess(env)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await simulator?.close();
    await postgres?.destroy();
  });
  beforeEach(() => simulator.resetCalls());

  it('serves through B, with no upstream call, the slots archived through A', async () => {
    const variables = { room: 'archived', ...pastRange(1) };
    const viaA = await a.query(QUERY, variables);
    expect(viaA.errors).toBeUndefined();
    expect(simulator.calls).toHaveLength(1);
    // An hour of 5-minute slots, two users, two directions, written off the request path.
    await until(async () => (await archivedRows()) === 12 * 2 * 2, 'the slots archived');

    const viaB = await b.query(QUERY, variables);
    expect(viaB).toEqual(viaA);
    expect(simulator.calls).toHaveLength(1);
  });

  it('keeps recordings, widening one asked for again, at the schema version of this build', async () => {
    const backend = openPostgresArchive({ url: postgres.url });
    try {
      const row = { appId: 'app1', roomId: 'kept', userId: 'alice', untilMs: 2_000, recordedToMs: 1_000 };
      await backend.upsertRecordings('upstream-a', [row]);
      await backend.upsertRecordings('upstream-a', [{ ...row, untilMs: 1_500, recordedToMs: 500 }]);
      expect(await backend.activeRecordings('upstream-a')).toEqual([{ ...row, recordedToMs: 500 }]);
      await backend.advanceRecording('upstream-a', row, 2_000);
      expect(await backend.activeRecordings('upstream-a')).toEqual([]);
      expect(await backend.activeRecordings('upstream-b')).toEqual([]);
    } finally {
      await backend.close();
    }
    const client = new pg.Client(postgres.url);
    await client.connect();
    expect((await client.query('SELECT version FROM schema_version')).rows).toEqual([{ version: 2 }]);
    await client.end();
  });

  it('answers from the upstream while PostgreSQL is down, says so once, and uses it again once back', async () => {
    await postgres.stop();
    const ranges = [pastRange(1, 70), pastRange(1, 130)];
    for (const [index, range] of ranges.entries()) {
      const answer = await a.query(QUERY, { room: `outage${index}`, ...range });
      expect(answer.errors).toBeUndefined();
    }
    expect(simulator.calls).toHaveLength(2);
    expect(a.output().match(/archive \(postgres\) unavailable/g)).toHaveLength(1);

    await postgres.start();
    // Probed again within its retry interval; a new fetch is then archived.
    await until(async () => {
      await a.query(QUERY, { room: `back${simulator.calls.length}`, ...pastRange(1, 200) });
      return /archive \(postgres\) is available again/.test(a.output());
    }, 'the archive back');
    expect(a.output().match(/archive \(postgres\) unavailable/g)).toHaveLength(1);
  }, 30_000);
});
