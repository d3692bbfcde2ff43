/** The largest number of timestamps inside any window of `windowMs` (half-open, as the upstream counts). */
export function busiestWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let busiest = 0;
  for (let first = 0, last = 0; last < sorted.length; last++) {
    while ((sorted[last] as number) - (sorted[first] as number) >= windowMs) first++;
    busiest = Math.max(busiest, last - first + 1);
  }
  return busiest;
}
