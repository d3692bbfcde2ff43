import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  canonicalQueryString,
  credentialScope,
  deriveSigningKeyChain,
  formatXDate,
  rfc3986Encode,
  sha256Hex,
  sign,
  signGetRequest,
} from '../../../src/upstream/signer.js';

interface Vector {
  name: string;
  signedHeaders: string;
  headers: Record<string, string>;
  canonicalRequest?: string;
  canonicalRequestSha256?: string;
  stringToSign?: string;
  signature: string;
  authorization: string;
}

const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/signing-vectors.json', import.meta.url), 'utf8'),
) as {
  inputs: {
    accessKeyId: string;
    secretAccessKey: string;
    now: string;
    region: string;
    service: string;
    method: string;
    host: string;
    path: string;
    body: string;
    query: Record<string, string>;
  };
  xDate: string;
  credentialScope: string;
  emptyBodySha256: string;
  canonicalQuery: string;
  url: string;
  signingKeyChainHex: Record<'kDate' | 'kRegion' | 'kService' | 'kSigning', string>;
  escaping: { input: string; encoded: string };
  vectors: Vector[];
};
const { inputs } = fixture;
const credentials = { accessKeyId: inputs.accessKeyId, secretAccessKey: inputs.secretAccessKey };
const scope = { credentials, region: inputs.region, service: inputs.service, xDate: fixture.xDate };

describe('signer building blocks', () => {
  it('formats X-Date and the credential scope', () => {
    expect(formatXDate(new Date(inputs.now))).toBe(fixture.xDate);
    expect(credentialScope(fixture.xDate, inputs.region, inputs.service)).toBe(fixture.credentialScope);
  });

  it('hashes the empty body', () => {
    expect(sha256Hex(inputs.body)).toBe(fixture.emptyBodySha256);
  });

  it('escapes per RFC 3986', () => {
    expect(rfc3986Encode(fixture.escaping.input)).toBe(fixture.escaping.encoded);
  });

  it('builds the canonical query and URL', () => {
    expect(canonicalQueryString(inputs.query)).toBe(fixture.canonicalQuery);
    expect(`https://${inputs.host}${inputs.path}?${canonicalQueryString(inputs.query)}`).toBe(fixture.url);
  });

  it('derives the signing key chain', () => {
    const chain = deriveSigningKeyChain(
      inputs.secretAccessKey,
      fixture.xDate.slice(0, 8),
      inputs.region,
      inputs.service,
    );
    for (const [step, hex] of Object.entries(fixture.signingKeyChainHex)) {
      expect(chain[step as keyof typeof chain].toString('hex'), step).toBe(hex);
    }
  });
});

describe.each(fixture.vectors)('vector $name', (vector) => {
  const signature = sign(
    {
      method: inputs.method,
      path: inputs.path,
      query: inputs.query,
      headers: vector.headers,
      bodySha256Hex: sha256Hex(inputs.body),
    },
    scope,
  );

  it('reproduces the canonical request', () => {
    if (vector.canonicalRequest !== undefined)
      expect(signature.canonicalRequest).toBe(vector.canonicalRequest);
    if (vector.canonicalRequestSha256 !== undefined) {
      expect(sha256Hex(signature.canonicalRequest)).toBe(vector.canonicalRequestSha256);
    }
    if (vector.stringToSign !== undefined) expect(signature.stringToSign).toBe(vector.stringToSign);
  });

  it('reproduces the signed headers, signature and Authorization', () => {
    expect(signature.signedHeaders).toBe(vector.signedHeaders);
    expect(signature.signatureHex).toBe(vector.signature);
    expect(signature.authorization).toBe(vector.authorization);
  });
});

describe('signGetRequest', () => {
  const recommended = fixture.vectors.find((vector) => vector.name === 'C');
  const base = {
    host: inputs.host,
    path: inputs.path,
    query: inputs.query,
    region: inputs.region,
    service: inputs.service,
    now: new Date(inputs.now),
  };

  it('sends the recommended header set (vector C) and the canonical query', () => {
    const signed = signGetRequest({ ...base, credentials });
    expect(signed.queryString).toBe(fixture.canonicalQuery);
    expect(signed.headers).toEqual({ ...recommended?.headers, Authorization: recommended?.authorization });
  });

  it('sends and signs an STS session token as X-Security-Token', () => {
    const signed = signGetRequest({ ...base, credentials: { ...credentials, sessionToken: 'STS-TOKEN' } });
    expect(signed.headers['X-Security-Token']).toBe('STS-TOKEN');
    expect(signed.headers.Authorization).toContain(
      'SignedHeaders=host;x-content-sha256;x-date;x-security-token,',
    );
    expect(signed.headers.Authorization).not.toBe(recommended?.authorization);
  });
});
