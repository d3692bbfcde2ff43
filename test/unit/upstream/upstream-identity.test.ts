import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { accessKeyHash, upstreamIdentity } from '../../../src/upstream/upstream-identity.js';

const ENDPOINT = 'https://rtc.volcengineapi.com';
const KEY = 'AKLTexampleAccessKeyId0123456789';

describe('upstreamIdentity', () => {
  it('is the endpoint origin and the first 64 bits of the access key id SHA-256', () => {
    const hash = createHash('sha256').update(KEY).digest('hex').slice(0, 16);
    expect(accessKeyHash(KEY)).toBe(hash);
    expect(upstreamIdentity(ENDPOINT, KEY)).toBe(`["https://rtc.volcengineapi.com","${hash}"]`);
  });

  it('differs for another access key, another host, port or scheme', () => {
    const identities = [
      upstreamIdentity(ENDPOINT, KEY),
      upstreamIdentity(ENDPOINT, `${KEY}x`),
      upstreamIdentity('https://rtc.example.com', KEY),
      upstreamIdentity('https://rtc.volcengineapi.com:8443', KEY),
      upstreamIdentity('http://rtc.volcengineapi.com', KEY),
    ];
    expect(new Set(identities).size).toBe(identities.length);
  });

  it('is one identity however the same origin is spelt, and never holds user info or the key id', () => {
    const spellings = [
      'https://RTC.volcengineapi.com/',
      'https://proxy-user:proxy-pass@rtc.volcengineapi.com:443/x?y=1',
    ];
    for (const endpoint of spellings) {
      const identity = upstreamIdentity(endpoint, KEY);
      expect(identity).toBe(upstreamIdentity(ENDPOINT, KEY));
      expect(identity).not.toMatch(/proxy-|AKLT/);
    }
  });
});
