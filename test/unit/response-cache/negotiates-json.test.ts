/**
 * negotiatesJson against Yoga itself: for each Accept header, the format the gateway's app answered in
 * (response cache off, so Yoga negotiates every request) and whether the mirror predicted JSON.
 */
import { describe, expect, it } from 'vitest';
import { negotiatesJson } from '../../../src/response-cache/negotiates-json.js';
import { createInProcessGateway, IN_PROCESS_GRAPHQL_URL } from '../../helpers/in-process-gateway.js';

type Format = 'json' | 'sse' | 'multipart' | 'refused';

const harness = createInProcessGateway({ env: { RESPONSE_CACHE_MAX_MB: '0' } });

async function answeredFormat(accept: string | null): Promise<Format> {
  const response = await harness.fetch(
    new Request(IN_PROCESS_GRAPHQL_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(accept === null ? {} : { accept }) },
      body: JSON.stringify({ query: '{ __typename }' }),
    }),
  );
  await response.arrayBuffer();
  if (response.status === 406) return 'refused';
  const type = String(response.headers.get('content-type'));
  if (/^application\/(graphql-response\+)?json;/.test(type)) return 'json';
  if (type.startsWith('text/event-stream')) return 'sse';
  if (type.startsWith('multipart/mixed')) return 'multipart';
  throw new Error(`unexpected content type ${type}`);
}

describe('negotiatesJson', () => {
  it.each<[string | null, Format]>([
    [null, 'json'],
    ['', 'json'],
    ['*/*', 'json'],
    ['application/*', 'json'],
    ['application/json', 'json'],
    ['application/graphql-response+json', 'json'],
    ['APPLICATION/JSON; CHARSET=UTF-8', 'json'],
    ['text/event-stream', 'sse'],
    ['text/*', 'sse'],
    ['multipart/mixed', 'multipart'],
    ['multipart/mixed; deferSpec=20220824', 'multipart'],
    // Order and q-values do not count: any entry admitting JSON makes the answer JSON.
    ['text/event-stream, application/json', 'json'],
    ['application/json, text/event-stream', 'json'],
    ['multipart/mixed, application/json;q=0', 'json'],
    ['multipart/mixed, */*;q=0.1', 'json'],
    // Entries with another charset are dropped.
    ['application/json; charset=iso-8859-1', 'refused'],
    ['application/json; charset=iso-8859-1, text/event-stream', 'sse'],
    ['image/png', 'refused'],
    ['application', 'refused'],
  ])('Accept %j: Yoga answers %s, and the mirror agrees', async (accept, format) => {
    expect(await answeredFormat(accept)).toBe(format);
    const headers = accept === null ? undefined : { accept };
    expect(negotiatesJson(new Request(IN_PROCESS_GRAPHQL_URL, { headers }))).toBe(format === 'json');
  });
});
