/**
 * The standalone simulator's settings from environment variables, as a pure function of the variables
 * (only `src/config/` and entry points read `process.env`).
 */
import type { SimulatorOptions } from './simulator.js';

/** Development-only key pair; the simulator serves synthetic data, so there is nothing to protect. */
export const DEFAULT_SIMULATOR_ACCESS_KEY = 'AKSIMULATOR';
export const DEFAULT_SIMULATOR_SECRET_KEY = 'SKSIMULATOR';
export const DEFAULT_SIMULATOR_PORT = 4100;

/** Every invalid variable at once, each problem naming its variable. */
export class InvalidSimulatorEnvironmentError extends Error {
  override readonly name = 'InvalidSimulatorEnvironmentError';
  readonly code = 'INVALID_CONFIG';

  constructor(readonly problems: readonly string[]) {
    super(`invalid simulator environment: ${problems.join('; ')}`);
  }
}

/**
 * Reads SIMULATOR_HOST (default 127.0.0.1), SIMULATOR_PORT (default 4100), SIMULATOR_ACCESS_KEY and
 * SIMULATOR_SECRET_KEY (default AKSIMULATOR / SKSIMULATOR) and SIMULATOR_SAMPLE_INTERVAL_MS (default 10000).
 * Empty values count as unset. Throws InvalidSimulatorEnvironmentError listing every invalid variable.
 */
export function simulatorOptionsFromEnv(env: Readonly<Record<string, string | undefined>>): SimulatorOptions {
  const problems: string[] = [];
  const value = (name: string) => (env[name] === '' ? undefined : env[name]);
  const integer = (name: string, fallback: number, min: number, max: number) => {
    const text = value(name);
    if (text === undefined) return fallback;
    const parsed = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (parsed >= min && parsed <= max) return parsed;
    problems.push(`${name} must be an integer from ${min} to ${max}, got '${text}'`);
    return fallback;
  };
  const options: SimulatorOptions = {
    host: value('SIMULATOR_HOST') ?? '127.0.0.1',
    port: integer('SIMULATOR_PORT', DEFAULT_SIMULATOR_PORT, 0, 65_535),
    credentials: {
      accessKeyId: value('SIMULATOR_ACCESS_KEY') ?? DEFAULT_SIMULATOR_ACCESS_KEY,
      secretAccessKey: value('SIMULATOR_SECRET_KEY') ?? DEFAULT_SIMULATOR_SECRET_KEY,
    },
    // Above an hour a 1-hour window would hold one point or none, which no dashboard can draw.
    sampleIntervalMs: integer('SIMULATOR_SAMPLE_INTERVAL_MS', 10_000, 1000, 3_600_000),
  };
  if (problems.length > 0) throw new InvalidSimulatorEnvironmentError(problems);
  return options;
}
