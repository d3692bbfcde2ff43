/**
 * A range that was inside the upstream's retention when it was asked for, but whose call could only be sent
 * once the retention's edge had passed its start (it waited in the rate limiter's queue): the upstream no
 * longer has the beginning. Told to the client as bad input naming `from`, since a later `from` is the fix.
 */
export class RetentionEdgeError extends Error {
  override readonly name = 'RetentionEdgeError';
  readonly code = 'RETENTION_EDGE_PASSED';

  constructor(
    readonly fromMs: number,
    /** The oldest instant the upstream still had when the call was sent. */
    readonly oldestMs: number,
  ) {
    super(
      `\`from\` (${new Date(fromMs).toISOString()}) left the upstream's retention before its call could be ` +
        `sent; the oldest instant it still had was ${new Date(oldestMs).toISOString()}: ask for a later \`from\``,
    );
  }
}
