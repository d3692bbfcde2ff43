/**
 * `liveCallQuality` read as GraphQL over SSE from the app in process: what a subscription's first event says
 * beyond its data. The upstream answers no entries, so a 6-day window costs nothing but its calls.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createInProcessGateway, IN_PROCESS_GRAPHQL_URL } from '../../helpers/in-process-gateway.js';

const NOW = Date.parse('2026-12-01T12:00:00.000Z');
const SECOND = 1000;
const RETENTION = 6 * 24 * 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

const harness = createInProcessGateway({ now: () => NOW, answer: () => [] });
const controllers: AbortController[] = [];
afterEach(() => {
  for (const controller of controllers.splice(0)) controller.abort();
});

interface SseResult {
  data?: { live: { initial: boolean; windowFrom: string } } | null;
  errors?: unknown[];
  extensions?: { warnings?: unknown[] };
}

/** The first `next` message of a subscription with a window of `last` seconds. */
async function firstEvent(last: number): Promise<SseResult> {
  const controller = new AbortController();
  controllers.push(controller);
  const response = await harness.fetch(
    new Request(IN_PROCESS_GRAPHQL_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({
        query: `subscription { live: liveCallQuality(appId: "app1", roomId: "room1", userIds: ["alice"], last: ${last}) {
          initial windowFrom } }`,
      }),
      signal: controller.signal,
    }),
  );
  expect(response.status).toBe(200);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const message = /event: next\ndata: (.+)\n\n/.exec(text);
    if (message?.[1]) return JSON.parse(message[1]) as SseResult;
    const chunk = await reader.read();
    if (chunk.done) throw new Error(`the stream ended with no event: ${text}`);
    text += decoder.decode(chunk.value, { stream: true });
  }
}

describe('liveCallQuality warnings', () => {
  it('a window clamped into the retention says so in its first event’s extensions.warnings', async () => {
    const event = await firstEvent(518_400);
    expect(event.errors).toBeUndefined();
    expect(event.data?.live).toEqual({
      initial: true,
      windowFrom: iso(NOW - RETENTION + 10 * SECOND),
    });
    expect(event.extensions?.warnings).toEqual([
      {
        code: 'RANGE_CLAMPED',
        argument: 'last',
        message: expect.stringContaining(`served from ${iso(NOW - RETENTION + 10 * SECOND)}`),
        from: iso(NOW - RETENTION),
        servedFrom: iso(NOW - RETENTION + 10 * SECOND),
        path: ['live'],
      },
    ]);
  });

  it('a window inside the retention has no extensions', async () => {
    const event = await firstEvent(600);
    expect(event.data?.live).toEqual({ initial: true, windowFrom: iso(NOW - 600 * SECOND) });
    expect(event).not.toHaveProperty('extensions');
  });
});
