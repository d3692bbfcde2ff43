import { afterEach, describe, expect, it } from 'vitest';
import { type Simulator, type SimulatorOptions, startSimulator } from '../../../src/simulator/simulator.js';
import { canonicalQueryString, formatXDate, sha256Hex, sign } from '../../../src/upstream/signer.js';
import { CREDENTIALS, callQuery, NOW, type SimulatorAnswer, signedGet } from '../../helpers/signed-get.js';

const simulators: Simulator[] = [];

async function simulator(options: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  const started = await startSimulator({ credentials: CREDENTIALS, now: () => NOW, ...options });
  simulators.push(started);
  return started;
}

afterEach(async () => {
  await Promise.all(simulators.splice(0).map((started) => started.close()));
});

function expectError(answer: SimulatorAnswer, status: number, code: string, codeN: number): void {
  expect(answer.status).toBe(status);
  expect(answer.json.ResponseMetadata.Error).toMatchObject({ Code: code, CodeN: codeN });
  expect(answer.json.Result).toBeUndefined();
}

/** An Authorization over a chosen header set, for requests signGetRequest would never produce. */
function authorizationFor(headers: Record<string, string>, xDate = formatXDate(new Date(NOW))): string {
  return sign(
    { method: 'GET', path: '/', query: callQuery(), headers, bodySha256Hex: sha256Hex('') },
    { credentials: CREDENTIALS, region: 'cn-north-1', service: 'rtc', xDate },
  ).authorization;
}

describe('request signatures', () => {
  it('accepts the recommended header set (host, x-content-sha256, x-date)', async () => {
    const answer = await signedGet((await simulator()).url, callQuery());
    expect(answer.status).toBe(200);
  });

  it('accepts what the official Node SDK sends: only X-Date signed', async () => {
    const xDate = formatXDate(new Date(NOW));
    const answer = await signedGet((await simulator()).url, callQuery(), {
      headers: { 'X-Content-Sha256': undefined, Authorization: authorizationFor({ 'X-Date': xDate }) },
    });
    expect(answer.status).toBe(200);
  });

  it('refuses a request without Authorization with MissingSignature', async () => {
    const answer = await signedGet((await simulator()).url, callQuery(), {
      headers: { Authorization: undefined },
    });
    expectError(answer, 401, 'MissingSignature', 100005);
  });

  it('treats an Authorization that is not HMAC-SHA256 as missing', async () => {
    const answer = await signedGet((await simulator()).url, callQuery(), {
      headers: { Authorization: 'Bearer x' },
    });
    expectError(answer, 401, 'MissingSignature', 100005);
  });

  it('refuses an unknown access key with InvalidAccessKey', async () => {
    const answer = await signedGet((await simulator()).url, callQuery(), {
      credentials: { accessKeyId: 'AKOTHER', secretAccessKey: CREDENTIALS.secretAccessKey },
    });
    expectError(answer, 401, 'InvalidAccessKey', 100009);
  });

  it('refuses a wrong secret with SignatureDoesNotMatch, without echoing any signature', async () => {
    const answer = await signedGet((await simulator()).url, callQuery(), {
      credentials: { ...CREDENTIALS, secretAccessKey: 'SKWRONG' },
    });
    expectError(answer, 401, 'SignatureDoesNotMatch', 100010);
    expect(answer.text).not.toMatch(/[0-9a-f]{64}/);
  });

  it('refuses a query changed after signing', async () => {
    const answer = await signedGet((await simulator()).url, callQuery(), {
      sentQueryString: canonicalQueryString(callQuery({ UserId: 'u1,u2' })),
    });
    expectError(answer, 401, 'SignatureDoesNotMatch', 100010);
  });

  it('refuses a signature for another region', async () => {
    const answer = await signedGet((await simulator()).url, callQuery(), { region: 'cn-beijing' });
    expectError(answer, 401, 'SignatureDoesNotMatch', 100010);
  });

  it('refuses a signature that does not cover X-Date', async () => {
    const answer = await signedGet((await simulator()).url, callQuery(), {
      headers: { Authorization: authorizationFor({ 'X-Content-Sha256': sha256Hex('') }) },
    });
    expectError(answer, 401, 'SignatureDoesNotMatch', 100010);
  });

  it('refuses an X-Content-Sha256 that is not the body hash', async () => {
    const wrongHash = sha256Hex('not the body');
    const xDate = formatXDate(new Date(NOW));
    const answer = await signedGet((await simulator()).url, callQuery(), {
      headers: {
        'X-Content-Sha256': wrongHash,
        Authorization: authorizationFor({ 'X-Content-Sha256': wrongHash, 'X-Date': xDate }),
      },
    });
    expectError(answer, 401, 'SignatureDoesNotMatch', 100010);
  });
});

describe('X-Date', () => {
  it('accepts a clock 4 minutes off either way', async () => {
    const url = (await simulator()).url;
    for (const offsetMs of [-4 * 60_000, 4 * 60_000]) {
      const answer = await signedGet(url, callQuery(), { signedAt: NOW + offsetMs });
      expect(answer.status, `offset ${offsetMs}`).toBe(200);
    }
  });

  it('refuses a stale or future X-Date (more than 5 minutes off) with InvalidTimestamp', async () => {
    const url = (await simulator()).url;
    for (const offsetMs of [-6 * 60_000, 6 * 60_000]) {
      const answer = await signedGet(url, callQuery(), { signedAt: NOW + offsetMs });
      expectError(answer, 400, 'InvalidTimestamp', 100006);
    }
  });

  it('refuses an X-Date that is not YYYYMMDDTHHMMSSZ', async () => {
    const answer = await signedGet((await simulator()).url, callQuery(), {
      headers: { 'X-Date': '2026-11-25T12:00:00Z' },
    });
    expectError(answer, 400, 'InvalidTimestamp', 100006);
  });
});

describe('STS session tokens', () => {
  const sts = { ...CREDENTIALS, sessionToken: 'STS-TOKEN-1' };

  it('accepts a request carrying the signed session token', async () => {
    const answer = await signedGet((await simulator({ credentials: sts })).url, callQuery(), {
      credentials: sts,
    });
    expect(answer.status).toBe(200);
  });

  it('refuses a missing, wrong or unsigned token with InvalidAccessKey', async () => {
    const url = (await simulator({ credentials: sts })).url;
    const missing = await signedGet(url, callQuery(), { credentials: CREDENTIALS });
    const wrong = await signedGet(url, callQuery(), { credentials: { ...sts, sessionToken: 'STS-OTHER' } });
    const unsigned = await signedGet(url, callQuery(), {
      credentials: CREDENTIALS,
      headers: { 'X-Security-Token': sts.sessionToken },
    });
    for (const answer of [missing, wrong, unsigned]) expectError(answer, 401, 'InvalidAccessKey', 100009);
  });
});
