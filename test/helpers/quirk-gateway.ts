/**
 * A fresh quirk-modelling fake upstream and a real gateway in front of it for each test of a file, both closed
 * after the test.
 */
import { afterEach } from 'vitest';
import {
  type QuirkCall,
  type QuirkUpstream,
  startQuirkUpstream,
  type UserCallDetailEntry,
} from './quirk-upstream.js';
import { type GatewayOnlyOptions, startGatewayAt, type TestGatewayAt } from './test-gateway.js';

export function quirkGatewayPerTest() {
  let upstream: QuirkUpstream | undefined;
  let harness: TestGatewayAt | undefined;
  afterEach(async () => {
    await harness?.close();
    await upstream?.close();
    harness = upstream = undefined;
  });
  return async (
    answer: (call: QuirkCall) => readonly UserCallDetailEntry[],
    options?: GatewayOnlyOptions,
  ) => {
    upstream = await startQuirkUpstream(answer);
    harness = await startGatewayAt(upstream.url, options);
    return { upstream, harness };
  };
}
