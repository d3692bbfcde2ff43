import { describe, expect, it } from 'vitest';
import { InvalidSimulatorEnvironmentError, simulatorOptionsFromEnv } from '../../../src/simulator/options.js';

describe('simulatorOptionsFromEnv', () => {
  it('defaults to a development setup on 127.0.0.1:4100', () => {
    expect(simulatorOptionsFromEnv({})).toEqual({
      host: '127.0.0.1',
      port: 4100,
      credentials: { accessKeyId: 'AKSIMULATOR', secretAccessKey: 'SKSIMULATOR' },
      sampleIntervalMs: 10_000,
    });
  });

  it('reads every variable, and treats empty ones as unset', () => {
    const options = simulatorOptionsFromEnv({
      SIMULATOR_HOST: '0.0.0.0',
      SIMULATOR_PORT: '0',
      SIMULATOR_ACCESS_KEY: 'AK1',
      SIMULATOR_SECRET_KEY: '',
      SIMULATOR_SAMPLE_INTERVAL_MS: '5000',
    });
    expect(options).toEqual({
      host: '0.0.0.0',
      port: 0,
      credentials: { accessKeyId: 'AK1', secretAccessKey: 'SKSIMULATOR' },
      sampleIntervalMs: 5000,
    });
  });

  it('reports every invalid variable at once, by name', () => {
    let thrown: unknown;
    try {
      simulatorOptionsFromEnv({ SIMULATOR_PORT: '70000', SIMULATOR_SAMPLE_INTERVAL_MS: '10s' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidSimulatorEnvironmentError);
    const error = thrown as InvalidSimulatorEnvironmentError;
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.problems).toHaveLength(2);
    expect(error.problems[0]).toContain('SIMULATOR_PORT');
    expect(error.problems[1]).toContain('SIMULATOR_SAMPLE_INTERVAL_MS');
  });
});
