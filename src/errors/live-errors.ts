/** The refusals of live subscriptions: too many open for one credential, and a client too slow to keep up. */
import type { ClientErrorCode } from './codes.js';

/** Thrown at subscribe time when the principal already holds `limit` open subscriptions. */
export class SubscriptionLimitError extends Error {
  override readonly name = 'SubscriptionLimitError';
  readonly code = 'SUBSCRIPTION_LIMIT_EXCEEDED' satisfies ClientErrorCode;

  constructor(readonly limit: number) {
    super(
      `this credential already holds ${limit} open subscriptions (LIVE_MAX_SUBSCRIPTIONS); close one, or ` +
        'share one subscription between views',
    );
  }
}

/** Ends a subscription whose client left `limit` events unread: its backlog is dropped, not grown. */
export class SubscriptionBacklogError extends Error {
  override readonly name = 'SubscriptionBacklogError';
  readonly code = 'SUBSCRIPTION_BACKLOG_EXCEEDED' satisfies ClientErrorCode;

  constructor(readonly limit: number) {
    super(
      `this subscription was ended: ${limit} events were waiting for the client to read them ` +
        '(LIVE_MAX_BACKLOG); subscribe again',
    );
  }
}
