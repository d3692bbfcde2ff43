import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.js';
import { simulatorOptionsFromEnv } from '../../../src/simulator/options.js';

type Env = Record<string, string | undefined>;

interface DocumentedVariable {
  readonly name: string;
  /** The documented default as written between backticks; null when the table says `unset`. */
  readonly fallback: string | null;
}

const doc = readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');

/** The rows of the table that follows `heading`: `| `A`, `B` | `1`, `2` | meaning |`. */
function documentedVariables(heading: string): DocumentedVariable[] {
  const section = doc.slice(doc.indexOf(heading));
  const table = section.slice(section.indexOf('\n|')).split('\n\n')[0] ?? '';
  const rows = table.split('\n').slice(3);
  return rows.flatMap((row) => {
    const [names = '', fallbacks = ''] = row.split('|').slice(1, 3);
    const variables = [...names.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((match) => match[1] ?? '');
    const values = fallbacks.trim() === 'unset' ? [] : [...fallbacks.matchAll(/`([^`]*)`/g)].map((m) => m[1]);
    if (values.length > 0 && values.length !== variables.length) {
      throw new Error(
        `row ${names.trim()} pairs ${variables.length} variables with ${values.length} defaults`,
      );
    }
    return variables.map((name, index) => ({ name, fallback: values[index] ?? null }));
  });
}

/** Every variable `read` looks up, over environments that reach its conditional reads too. */
function variablesRead(read: (env: Env) => unknown, envs: readonly Env[]): Set<string> {
  const names = new Set<string>();
  for (const env of envs) {
    const recording = new Proxy(env, {
      get(target, name) {
        if (typeof name === 'string') names.add(name);
        return target[name as string];
      },
    });
    read(recording);
  }
  return names;
}

const GATEWAY_ENVS: readonly Env[] = [
  {},
  { VOLC_ACCESSKEY: 'AKexample', VOLC_SECRETKEY: 'SKexample', REDIS_URL: 'redis://127.0.0.1:6379' },
];

describe('docs/configuration.md', () => {
  const gateway = documentedVariables('# Configuration');
  const simulator = documentedVariables('## The simulator alone');

  it('documents every variable loadConfig reads, and no other', () => {
    const read = variablesRead(loadConfig, GATEWAY_ENVS);
    expect(gateway.map((variable) => variable.name).sort()).toEqual([...read].sort());
  });

  it("states loadConfig's defaults: setting a variable to its documented default changes nothing", () => {
    const defaults = loadConfig({});
    const documented = gateway.filter((variable) => variable.fallback !== null);
    expect(documented.length).toBeGreaterThan(40);
    for (const { name, fallback } of documented) {
      expect({ name, config: loadConfig({ [name]: fallback ?? '' }) }).toEqual({ name, config: defaults });
    }
  });

  it("documents every variable of the standalone simulator, with simulatorOptionsFromEnv's defaults", () => {
    const read = variablesRead(simulatorOptionsFromEnv, [{}]);
    expect(simulator.map((variable) => variable.name).sort()).toEqual([...read].sort());
    const defaults = simulatorOptionsFromEnv({});
    for (const { name, fallback } of simulator) {
      expect({ name, options: simulatorOptionsFromEnv({ [name]: fallback ?? '' }) }).toEqual({
        name,
        options: defaults,
      });
    }
  });
});
