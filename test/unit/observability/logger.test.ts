import { Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { type LogFormat, type LogLevel, loadConfig } from '../../../src/config/config.js';
import { chooseLogFormat, createLogger } from '../../../src/observability/logger.js';

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

  it("redacts a child's bindings and arrays' items, and leaves the caller's objects as they were", () => {
    const { logger, lines } = collectingLogger('info');
    const secret = 'S3CR3T-value';
    const logged = {
      calls: [{ token: secret, status: 200 }],
      note: { deep: { deeper: { token: 'too deep' } } },
    };
    logger.child({ apiKey: secret, reqId: 'r1' }).info(logged, 'with a child');
    expect(lines[0]).not.toContain(secret);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      apiKey: '[redacted]',
      reqId: 'r1',
      calls: [{ token: '[redacted]', status: 200 }],
      note: { deep: { deeper: { token: 'too deep' } } },
    });
    expect(logged.calls[0]?.token).toBe(secret);
  });
});

describe('log format', () => {
  function formatted(format: LogFormat | undefined, isTTY: boolean) {
    const chunks: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ level: 'info', format, destination, isTTY });
    return { logger, text: () => chunks.join('') };
  }

  it('chooses pretty lines on a terminal and JSON elsewhere, unless LOG_FORMAT says which', () => {
    expect(chooseLogFormat('auto', true)).toBe('pretty');
    expect(chooseLogFormat('auto', false)).toBe('json');
    expect(chooseLogFormat('json', true)).toBe('json');
    expect(chooseLogFormat('pretty', false)).toBe('pretty');
    expect(loadConfig({}).logFormat).toBe('auto');
    expect(loadConfig({ LOG_FORMAT: 'JSON' }).logFormat).toBe('json');
    expect(() => loadConfig({ LOG_FORMAT: 'fancy' })).toThrow(
      'LOG_FORMAT must be one of auto, json, pretty, got "fancy"',
    );
  });

  it('writes a line for people on a terminal, JSON with LOG_FORMAT=json there, and JSON into a pipe', () => {
    const tty = formatted(undefined, true);
    tty.logger.child({ reqId: 'r-1' }).warn({ status: 503 }, 'upstream down');
    expect(tty.text()).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] .*WARN.*: .*upstream down/);
    expect(stripVTControlCharacters(tty.text())).not.toBe(tty.text());
    expect(stripVTControlCharacters(tty.text())).toContain('reqId: "r-1"');
    expect(() => JSON.parse(tty.text())).toThrow();

    for (const [format, isTTY] of [
      ['json', true],
      [undefined, false],
    ] as const) {
      const json = formatted(format, isTTY);
      json.logger.warn({ status: 503 }, 'upstream down');
      expect(JSON.parse(json.text())).toMatchObject({ level: 'warn', status: 503, msg: 'upstream down' });
    }
  });

  it('keeps secrets out of pretty lines too, and colours only a terminal', () => {
    const secret = 'S3CR3T-pretty';
    const piped = formatted('pretty', false);
    piped.logger.error({ headers: { authorization: `Bearer ${secret}` }, token: secret }, 'refused');
    expect(piped.text()).toContain('refused');
    expect(piped.text()).toContain('[redacted]');
    expect(piped.text()).not.toContain(secret);
    expect(stripVTControlCharacters(piped.text())).toBe(piped.text());
  });
});
