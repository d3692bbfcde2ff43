import { describe, expect, it } from 'vitest';
import { type ConfigError, loadConfig } from '../../../src/config/config.js';
import { DEFAULT_METRIC_ROLES } from '../../../src/config/metric-roles.js';

describe('METRIC_ROLES', () => {
  it('replaces the roles it names, for both directions or per direction, and keeps the others', () => {
    const roles = loadConfig({
      METRIC_ROLES: '{"RTT":["round_trip"],"PACKET_LOSS":{"up":["loss_up"],"down":["loss_down"]}}',
    }).metricRoles;
    expect(roles.RTT).toEqual({ up: ['round_trip'], down: ['round_trip'] });
    expect(roles.PACKET_LOSS).toEqual({ up: ['loss_up'], down: ['loss_down'] });
    expect(roles.JITTER).toEqual(DEFAULT_METRIC_ROLES.JITTER);
  });

  it('reports an unknown role and a malformed list by name', () => {
    const problems = (() => {
      try {
        loadConfig({ METRIC_ROLES: '{"LATENCY":["x"],"JITTER":{"up":"Jitter"}}' });
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    })();
    expect(problems).toEqual([
      'METRIC_ROLES names an unknown role "LATENCY"; the roles are RTT, JITTER, PACKET_LOSS, FREEZE, BITRATE, FRAME_RATE',
      'METRIC_ROLES.JITTER must be a list of metric names or { "up": [...], "down": [...] }',
    ]);
    expect(() => loadConfig({ METRIC_ROLES: 'nope' })).toThrow(
      /METRIC_ROLES must be a JSON object .* it is not JSON/,
    );
  });
});
