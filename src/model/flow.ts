/**
 * Whose upstream calls these are, so the rate limiter can take turns between them (upstream/fair-queue.ts).
 * One per GraphQL operation, made with its context and carried down to the limiter through the loader and the
 * window cache; told apart by identity, so two operations never share one by accident, and grouped by their
 * principal, so that one client running many operations at once gets one principal's share.
 */
export interface Flow {
  /** The principal's name, as logged (`anonymous` without client authentication). */
  readonly principal: string;
}

export function createFlow(principal: string): Flow {
  return Object.freeze({ principal });
}
