/**
 * Trusted documents through the real app: an operation sent over GET by the SHA-256 of its text, looked up in a
 * persisted-documents.json as codegen's client preset writes it, and what each mode refuses (coded, HTTP 400,
 * and without an upstream call).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createInProcessGateway, IN_PROCESS_GRAPHQL_URL } from '../../helpers/in-process-gateway.js';
import { pastRange } from '../../helpers/test-gateway.js';

const LISTED = `query Rtt($to: DateTime!) {
  callQuality(appId: "demo-app", roomId: "trusted", userIds: ["alice"], last: 600, to: $to) {
    userId
    final
    streams {
      direction
      metric(name: "Rtt") {
        summary {
          count
        }
      }
    }
  }
}`;
const UNLISTED = LISTED.replace('"alice"', '"bob"');

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function documentsFile(documents: Record<string, string>): string {
  const file = join(mkdtempSync(join(tmpdir(), 'callq-trusted-')), 'persisted-documents.json');
  writeFileSync(file, JSON.stringify(documents, null, 2));
  return file;
}

const file = documentsFile({ [sha256(LISTED)]: LISTED });

function gateway(mode: 'allow' | 'require') {
  return createInProcessGateway({ env: { TRUSTED_DOCUMENTS: file, TRUSTED_DOCUMENTS_MODE: mode } });
}

/** A GET as a browser or a CDN sends it: the hash and the variables in the URL, the CSRF header set. */
async function getByHash(harness: ReturnType<typeof gateway>, hash: string, variables: object) {
  const url = new URL(IN_PROCESS_GRAPHQL_URL);
  url.searchParams.set('extensions', JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }));
  url.searchParams.set('variables', JSON.stringify(variables));
  const response = await harness.fetch(
    new Request(url, { headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1' } }),
  );
  return {
    status: response.status,
    ...((await response.json()) as { data?: unknown; errors?: readonly unknown[] }),
  };
}

const codesOf = (body: { errors?: readonly unknown[] }) =>
  (body.errors ?? []).map((error) => (error as { extensions?: { code?: unknown } }).extensions?.code);

describe('trusted documents, TRUSTED_DOCUMENTS_MODE=require', () => {
  it('answers a listed hash over GET with what the document asks', async () => {
    const harness = gateway('require');
    const { to } = pastRange(1);
    const answer = await getByHash(harness, sha256(LISTED), { to });
    expect(answer.status).toBe(200);
    expect(answer.errors).toBeUndefined();
    const [alice] = (answer.data as { callQuality: Array<{ userId: string; final: boolean }> }).callQuality;
    expect([alice?.userId, alice?.final]).toEqual(['alice', true]);
    expect(harness.upstream.calls.map((call) => call.userIds)).toEqual([['alice']]);
  });

  it('refuses an operation sent as text, even a listed one, with no upstream call', async () => {
    const harness = gateway('require');
    const { to } = pastRange(1);
    for (const text of [UNLISTED, LISTED]) {
      const answer = await harness.query(text, { to });
      expect([answer.status, codesOf(answer), answer.data]).toEqual([
        400,
        ['PERSISTED_QUERY_ID_REQUIRED'],
        undefined,
      ]);
    }
    expect(harness.upstream.calls).toEqual([]);
  });

  it('refuses a hash not in the list, and a request with neither hash nor text, with no upstream call', async () => {
    const harness = gateway('require');
    const answer = await getByHash(harness, sha256(UNLISTED), { to: pastRange(1).to });
    expect([answer.status, codesOf(answer)]).toEqual([400, ['PERSISTED_QUERY_NOT_FOUND']]);
    const empty = await harness.fetch(
      new Request(IN_PROCESS_GRAPHQL_URL, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ variables: {} }),
      }),
    );
    expect([empty.status, codesOf((await empty.json()) as { errors?: readonly unknown[] })]).toEqual([
      400,
      ['BAD_REQUEST'],
    ]);
    expect(harness.upstream.calls).toEqual([]);
  });
});

describe('trusted documents, TRUSTED_DOCUMENTS_MODE=allow', () => {
  it('runs text as before, and a listed hash with the same answer', async () => {
    const harness = gateway('allow');
    const { to } = pastRange(1);
    const byText = await harness.query(UNLISTED, { to });
    expect([byText.status, byText.errors]).toEqual([200, undefined]);
    const listedByText = await harness.query(LISTED, { to });
    const byHash = await getByHash(harness, sha256(LISTED), { to });
    expect(byHash.status).toBe(200);
    expect(byHash.data).toEqual(listedByText.data);
  });

  it('answers an unknown hash PERSISTED_QUERY_NOT_FOUND, the code APQ clients resend the text on', async () => {
    const harness = gateway('allow');
    const answer = await getByHash(harness, sha256(UNLISTED), { to: pastRange(1).to });
    expect([answer.status, codesOf(answer)]).toEqual([400, ['PERSISTED_QUERY_NOT_FOUND']]);
    expect(harness.upstream.calls).toEqual([]);
  });
});
