/**
 * Authorization of one AppId: an authenticated principal asked for an AppId it may not read. The error names
 * the argument so the schema layer can report it like any other argument error.
 */
import type { Principal } from './principal.js';

export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
  readonly code = 'FORBIDDEN';
  readonly argument = 'appId';

  constructor(
    readonly appId: string,
    principalName: string,
  ) {
    // JSON quoting: the AppId is client input and may itself hold quotes or control characters.
    super(`\`appId\` ${JSON.stringify(appId)} is not readable by ${JSON.stringify(principalName)}`);
  }
}

/** Throws ForbiddenError unless `principal` may read `appId`; call it before any upstream work for it. */
export function authorizeAppId(principal: Principal, appId: string): void {
  if (!principal.canRead(appId)) throw new ForbiddenError(appId, principal.name);
}
