/**
 * Every ```graphql block of README.md, executed against the simulator as a reader would paste it into GraphiQL:
 * an example that has gone stale (a fixed range that left the retention) or no longer matches the schema fails
 * here rather than in a reader's hands.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createInProcessGateway, IN_PROCESS_GRAPHQL_URL } from '../helpers/in-process-gateway.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const examples = [...readme.matchAll(/^```graphql\n([\s\S]*?)^```$/gm)].map((match) => match[1] as string);
const harness = createInProcessGateway();

/** Whether some leaf of the answer holds a value: an answer of nulls and empty lists shows a reader nothing. */
function holdsData(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(holdsData);
  if (value !== null && typeof value === 'object') return Object.values(value).some(holdsData);
  return value !== null && value !== undefined;
}

/** A subscription's first event, read from its event stream (GraphQL over SSE), which is then cancelled. */
async function firstEvent(query: string) {
  const response = await harness.fetch(
    new Request(IN_PROCESS_GRAPHQL_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query }),
    }),
  );
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!/^event: next\ndata: .*\n\n/m.test(text)) {
    const chunk = await reader.read();
    if (chunk.done) break;
    text += decoder.decode(chunk.value, { stream: true });
  }
  await reader.cancel();
  const data = /^event: next\ndata: (.*)$/m.exec(text)?.[1] ?? '{}';
  return { status: response.status, ...(JSON.parse(data) as { data?: unknown; errors?: unknown }) };
}

describe('README GraphQL examples', () => {
  it('has examples to run', () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it.each(examples.map((text, index) => [index + 1, text]))(
    'example %i runs without errors and answers with data',
    async (_index, text) => {
      const response = /^\s*subscription\b/.test(text as string)
        ? await firstEvent(text as string)
        : await harness.query<Record<string, unknown>>(text as string);
      expect(response.errors).toBeUndefined();
      expect(response.status).toBe(200);
      expect(holdsData(response.data)).toBe(true);
      // Upstream data, not only echoed arguments: streams, the metric names found in them, a user's score, or
      // a user found through another's streams.
      expect(JSON.stringify(response.data)).toMatch(/"(direction|name)":|"worstScore":\d|"foundVia":"/);
    },
  );
});
