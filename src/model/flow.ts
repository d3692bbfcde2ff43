/**
 * Whose upstream calls these are, so the rate limiter can take turns between them (upstream/fair-queue.ts).
 * One per GraphQL operation, made with its context and carried down to the limiter through the loader and the
 * window cache; compared by identity only, so two operations can never share one by accident.
 */
declare const flowBrand: unique symbol;

export interface Flow {
  readonly [flowBrand]: true;
}

export function createFlow(): Flow {
  return Object.freeze({}) as Flow;
}
