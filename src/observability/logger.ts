/**
 * The process logger: pino, one JSON object per line, on stdout by default (the platform collects it); on a
 * terminal, lines for people instead (pino-pretty), unless LOG_FORMAT says otherwise.
 *
 * Nothing secret is meant to reach a log call: request lines carry no headers, bodies or variables, and
 * errors never carry credentials. `redact` is the second line of defence, for the day someone logs an
 * object that holds one anyway. Pretty lines are made from the redacted JSON, so they hold no more than it.
 */
import { type DestinationStream, type Logger as PinoLogger, pino } from 'pino';
import pretty from 'pino-pretty';
import type { LogFormat, LogLevel } from '../config/config.js';

export type Logger = PinoLogger;

export interface LoggerOptions {
  readonly level: LogLevel;
  /** Default `auto`. */
  readonly format?: LogFormat;
  /** Where the lines go; default stdout. Tests pass a stream that collects them. */
  readonly destination?: DestinationStream;
  /** Whether the destination is a terminal; default: whether stdout is, when writing there. */
  readonly isTTY?: boolean;
}

/** `auto` is pretty only on a terminal: a pipe or a file is read by a program, which wants JSON. */
export function chooseLogFormat(format: LogFormat, isTTY: boolean): 'json' | 'pretty' {
  if (format === 'auto') return isTTY ? 'pretty' : 'json';
  return format;
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
  const isTTY = options.isTTY ?? (options.destination === undefined && process.stdout.isTTY === true);
  const destination =
    chooseLogFormat(options.format ?? 'auto', isTTY) === 'pretty'
      ? pretty({
          destination: options.destination ?? 1,
          // Colours only for a terminal: LOG_FORMAT=pretty into a file should not fill it with escape codes.
          colorize: isTTY,
          translateTime: 'SYS:HH:MM:ss.l',
          ignore: 'pid,hostname',
          // Written as each line comes, like pino's own stdout, so the last lines before an exit are not lost.
          sync: true,
        })
      : options.destination;
  return pino(
    {
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // Level names and ISO times read the same in a terminal and in any log store, without pino-pretty.
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
