/**
 * The process logger: pino, one JSON object per line, on stdout by default (the platform collects it).
 *
 * Nothing secret is meant to reach a log call: request lines carry no headers, bodies or variables, and
 * errors never carry credentials. `redact` is the second line of defence, for the day someone logs an
 * object that holds one anyway.
 */
import { type DestinationStream, type Logger as PinoLogger, pino } from 'pino';
import type { LogLevel } from '../config/config.js';

export type Logger = PinoLogger;

export interface LoggerOptions {
  readonly level: LogLevel;
  /** Where the lines go; default stdout. Tests pass a stream that collects them. */
  readonly destination?: DestinationStream;
}

/** Keys whose values are credentials wherever they appear: headers, config objects, error properties. */
const SECRET_KEYS = [
  'authorization',
  'Authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'x-security-token',
  'X-Security-Token',
  'password',
  'secret',
  'secretAccessKey',
  'accessKeyId',
  'sessionToken',
  'token',
  'apiKey',
  'credentials',
];

// Top level, one level down (`{ headers: { authorization } }`) and two (`{ req: { headers: { cookie } } }`):
// deeper wildcards make pino walk every logged object, and nothing logs secrets that deep on purpose.
const REDACT_PATHS = SECRET_KEYS.flatMap((key) => {
  const property = `[${JSON.stringify(key)}]`;
  return [property, `*${property}`, `*.*${property}`];
});

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // Level names and ISO times read the same in a terminal and in any log store, without pino-pretty.
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}
