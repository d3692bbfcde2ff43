import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { LogLevel } from '../../../src/config/config.js';
import { createLogger } from '../../../src/observability/logger.js';

function collectingLogger(level: LogLevel) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger({ level, destination }), lines };
}

describe('createLogger', () => {
  it('writes one JSON object per line, with the level name and an ISO time', () => {
    const { logger, lines } = collectingLogger('info');
    logger.child({ reqId: 'r-1' }).info({ status: 200 }, 'request');
    logger.debug('below the level');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] as string);
    expect(line).toMatchObject({ level: 'info', reqId: 'r-1', status: 200, msg: 'request' });
    expect(new Date(line.time).toISOString()).toBe(line.time);
  });

  it('logs nothing at the silent level', () => {
    const { logger, lines } = collectingLogger('silent');
    logger.error('even errors');
    expect(lines).toEqual([]);
  });

  it('redacts credentials that reach a log call anyway, at the top level and nested', () => {
    const { logger, lines } = collectingLogger('info');
    const secret = 'S3CR3T-value';
    logger.warn(
      {
        authorization: secret,
        headers: { authorization: secret, cookie: secret, 'x-api-key': secret, 'x-security-token': secret },
        req: { headers: { Authorization: secret } },
        config: { credentials: { accessKeyId: secret, secretAccessKey: secret } },
        err: Object.assign(new Error('upstream failed'), { headers: { authorization: secret } }),
      },
      'careless call',
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(secret);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      authorization: '[redacted]',
      headers: { authorization: '[redacted]', cookie: '[redacted]', 'x-api-key': '[redacted]' },
      req: { headers: { Authorization: '[redacted]' } },
      config: { credentials: '[redacted]' },
      err: { message: 'upstream failed', headers: { authorization: '[redacted]' } },
    });
  });
});
