// @ts-check
/**
 * A subscription over GraphQL over SSE (graphql-sse's "distinct connections" mode, what the gateway serves at
 * /graphql): a POST asking for `text/event-stream`, read as `next` events until `complete`.
 *
 * A dropped connection (network, a restarted gateway, a completion the page did not ask for) is resumed after
 * a backoff: the new subscription's first event holds the whole window again, so nothing is lost or doubled.
 * An operation the API refuses (bad input, a credential) is not retried: the same request would fail again.
 */
import { ApiError, GRAPHQL_PATH } from './api.js';
import { authorizationHeader } from './auth.js';

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 15_000;

/**
 * @typedef {object} SubscriptionHandlers
 * @property {(data: any) => void} next an event's data
 * @property {(error: ApiError) => void} refused the operation's errors; the subscription has stopped
 * @property {(retryMs: number) => void} dropped the connection dropped; it is resumed after retryMs
 */

/**
 * Reads one event stream; resolves when it ends, rejects with ApiError when the operation is refused.
 * @param {Response} response
 * @param {SubscriptionHandlers} handlers
 */
async function readEvents(response, handlers) {
  if (!response.ok || !(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    const body = await response.json().catch(() => null);
    const error = body?.errors?.[0];
    throw new ApiError(error?.message ?? `HTTP ${response.status}`, error?.extensions?.code);
  }
  if (response.body === null) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n?/g, '\n');
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      const message = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
      let event = 'message';
      const data = [];
      for (const line of message.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (event === 'complete') return;
      if (event !== 'next' || data.length === 0) continue;
      const payload = JSON.parse(data.join('\n'));
      if (payload.data === null || payload.data === undefined) {
        const error = payload.errors?.[0];
        throw new ApiError(error?.message ?? 'subscription refused', error?.extensions?.code);
      }
      handlers.next(payload.data);
    }
  }
}

/**
 * Subscribes, and keeps the subscription alive until stopped.
 * @param {string} query
 * @param {Record<string, unknown>} variables
 * @param {SubscriptionHandlers} handlers
 * @returns {{ stop(): void }}
 */
export function subscribe(query, variables, handlers) {
  const controller = new AbortController();
  let retryMs = FIRST_RETRY_MS;
  const run = async () => {
    while (!controller.signal.aborted) {
      let received = false;
      try {
        const response = await fetch(GRAPHQL_PATH, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'text/event-stream',
            ...authorizationHeader(),
          },
          body: JSON.stringify({ query, variables }),
          signal: controller.signal,
        });
        await readEvents(response, {
          ...handlers,
          next: (data) => {
            received = true;
            retryMs = FIRST_RETRY_MS;
            handlers.next(data);
          },
        });
      } catch (error) {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError) {
          handlers.refused(error);
          return;
        }
      }
      if (controller.signal.aborted) return;
      const wait = received ? FIRST_RETRY_MS : retryMs;
      retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
      handlers.dropped(wait);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  };
  void run();
  return { stop: () => controller.abort() };
}
