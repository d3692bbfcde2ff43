/** A process's resident set, as the kernel counts it, for the memory tests of real gateway processes. */
import { readFile } from 'node:fs/promises';

export async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Math.round(Number(kb) / 1024);
}
