/**
 * Which known names a misspelt one most likely meant, for hints such as "RTT: did you mean Rtt?". Metric names
 * are short and few (a dozen per stream), so a quadratic distance over every known name costs microseconds.
 */

/**
 * Damerau-Levenshtein distance in its optimal-string-alignment form: insertions, deletions, substitutions and
 * swaps of two adjacent characters (the commonest typo) each cost 1.
 */
export function editDistance(a: string, b: string): number {
  // Three rows suffice: a swap looks back two rows, nothing looks further.
  let twoBack = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i += 1) {
    current[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (twoBack[j - 2] as number) + 1);
      }
      current[j] = best;
    }
    [twoBack, previous, current] = [previous, current, twoBack];
  }
  return previous[b.length] as number;
}

/** At most this many suggestions per name: a hint, not a listing (`metricNames` lists them all). */
const MAX_SUGGESTIONS = 3;

/**
 * The known names closest to `name`, best first: those equal to it but for case, when there are any (the
 * commonest slip: `RTT`, `rtt` for `Rtt`); else those within a small edit distance, ignoring case (a third of
 * the name's length, at least 1); else those containing it, ignoring case (`PacketLoss` for
 * `UpPacketLossRate`). Ties keep the order of `known`.
 */
export function closestNames(name: string, known: readonly string[]): string[] {
  const lower = name.toLowerCase();
  const sameButCase = known.filter((candidate) => candidate.toLowerCase() === lower);
  if (sameButCase.length > 0) return sameButCase.slice(0, MAX_SUGGESTIONS);
  const threshold = Math.max(1, Math.floor(name.length / 3));
  const near = known
    .map((candidate, index) => ({ candidate, index, distance: editDistance(lower, candidate.toLowerCase()) }))
    .filter(({ distance }) => distance <= threshold)
    .sort((x, y) => x.distance - y.distance || x.index - y.index)
    .map(({ candidate }) => candidate);
  if (near.length > 0) return near.slice(0, MAX_SUGGESTIONS);
  if (lower.length === 0) return [];
  return known.filter((candidate) => candidate.toLowerCase().includes(lower)).slice(0, MAX_SUGGESTIONS);
}
