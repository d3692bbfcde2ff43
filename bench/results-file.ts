/**
 * Shared plumbing of the benchmarks: each one owns one `## ...` section of bench/RESULTS.md and replaces only
 * that section, so the benchmarks can run alone or in sequence (bench/run.ts) without losing each other's
 * figures.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

const RESULTS_FILE = new URL('./RESULTS.md', import.meta.url);

/** A markdown table padded the way biome formats tables, so `npm run lint` stays clean after a run. */
export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((_, column) =>
    Math.max(3, ...[header, ...rows].map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: readonly string[]) =>
    `| ${widths.map((width, column) => (cells[column] ?? '').padEnd(width)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** Replaces (or appends) the section that starts with `heading`, leaving every other section as it is. */
export function writeSection(heading: string, body: readonly string[]): string {
  const section = [heading, '', ...body, ''].join('\n');
  const existing = existsSync(RESULTS_FILE) ? readFileSync(RESULTS_FILE, 'utf8') : '# Benchmark results\n';
  const start = existing.indexOf(heading);
  let next: string;
  if (start === -1) {
    next = `${existing.trimEnd()}\n\n${section}`;
  } else {
    const after = existing.indexOf('\n## ', start + heading.length);
    const rest = after === -1 ? '' : `\n${existing.slice(after + 1)}`;
    next = `${existing.slice(0, start)}${section}${rest}`;
  }
  writeFileSync(RESULTS_FILE, next);
  console.log(section);
  return section;
}

function packageVersion(name: string): string {
  const url = new URL(`../node_modules/${name}/package.json`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((text) => text.startsWith('model name'));
    if (line !== undefined) return line.slice(line.indexOf(':') + 1).trim();
  } catch {
    // Not Linux: fall through to what Node reports.
  }
  return cpus()[0]?.model ?? 'unknown CPU';
}

function onlineCores(): string {
  try {
    return execFileSync('nproc', { encoding: 'utf8' }).trim();
  } catch {
    return String(cpus().length);
  }
}

// Read at import, before a benchmark pins itself to one core (nproc counts only the cores it may use).
const CORES = onlineCores();

/** The line every section starts with: machine, Node and library versions, date, and how it was run. */
export function environmentLine(command: string): string {
  const versions = ['graphql-yoga', 'graphql', '@pothos/core']
    .map((name) => `${name} ${packageVersion(name)}`)
    .join(', ');
  return (
    `Node ${process.version}, ${versions}; ${CORES} cores (nproc), ${cpuModel()}; ` +
    `${new Date().toISOString().slice(0, 10)}. \`${command}\` (\`npm run bench\`).`
  );
}

/** The middle value (mean of the two middle ones for an even count), for repeated timings. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
}
