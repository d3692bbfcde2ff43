import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/observability/logger.js';
import { pastRange, startTestGateway, TEST_CREDENTIALS } from '../../helpers/test-gateway.js';

describe('failed upstream attempts', () => {
  it('are logged once each with the upstream code, status and RequestId, and nothing of the request', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const harness = await startTestGateway({
      env: { UPSTREAM_RETRY_MAX_ATTEMPTS: '2', UPSTREAM_RETRY_BASE_DELAY_MS: '1' },
      logger: createLogger({ level: 'warn', destination }),
    });
    const { simulator } = harness;
    try {
      simulator.injectFault({ kind: 'http500', times: 2 });
      const response = await harness.query(
        `query ($from: DateTime!, $to: DateTime!) {
          callQuality(appId: "a", roomId: "r", userIds: ["u1", "u2"], from: $from, to: $to) { streams { direction } }
        }`,
        pastRange(1),
      );
      expect(response.errors?.[0]?.extensions?.code).toBe('UPSTREAM_ERROR');

      const failures = lines.filter((line) => String(line.msg).startsWith('upstream attempt failed'));
      expect(simulator.calls.map((call) => call.httpStatus)).toEqual([500, 500]);
      expect(
        failures.map((line) => [line.attempt, line.code, line.upstreamCode, line.httpStatus, line.users]),
      ).toEqual([
        [1, 'UPSTREAM_ERROR', 'InternalError', 500, 2],
        [2, 'UPSTREAM_ERROR', 'InternalError', 500, 2],
      ]);
      for (const line of failures) expect(line.requestId).toMatch(/\S+/);
      const text = JSON.stringify(lines);
      expect(text).not.toContain(TEST_CREDENTIALS.secretAccessKey);
      expect(text).not.toContain(TEST_CREDENTIALS.accessKeyId);
    } finally {
      await harness.close();
    }
  });
});
