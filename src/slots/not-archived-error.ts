/**
 * Parts of a range lie past the upstream's retention and the archive lacks them: the upstream can no longer
 * give them, so the answer names what is missing rather than being silently short. Told to the client as
 * NOT_ARCHIVED, with the missing intervals.
 */
export class NotArchivedError extends Error {
  override readonly name = 'NotArchivedError';
  readonly code = 'NOT_ARCHIVED';

  constructor(
    readonly userId: string,
    /** What is missing of the user's range, `[fromMs, toMs)` each, in time order, disjoint. */
    readonly missing: ReadonlyArray<readonly [fromMs: number, toMs: number]>,
  ) {
    const first = missing[0] ?? [0, 0];
    const last = missing[missing.length - 1] ?? first;
    super(
      `${JSON.stringify(userId).slice(0, 80)}: ${missing.length === 1 ? 'the part' : `${missing.length} parts`} ` +
        `from ${iso(first[0])} to ${iso(last[1])} lie past the upstream's retention and are not in the archive`,
    );
  }

  /** One error for every missing part of the user's range, touching parts joined. */
  static spanning(userId: string, parts: readonly NotArchivedError[]): NotArchivedError {
    const intervals = parts.flatMap((part) => part.missing).sort((a, b) => a[0] - b[0]);
    const joined: Array<[number, number]> = [];
    for (const [fromMs, toMs] of intervals) {
      const previous = joined[joined.length - 1];
      if (previous !== undefined && fromMs <= previous[1]) previous[1] = Math.max(previous[1], toMs);
      else joined.push([fromMs, toMs]);
    }
    return new NotArchivedError(userId, joined);
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
