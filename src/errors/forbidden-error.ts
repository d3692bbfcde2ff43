import type { ClientErrorCode } from './codes.js';

/** An authenticated principal asked for an AppId it may not read; reported like any other argument error. */
export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
  readonly code = 'FORBIDDEN' satisfies ClientErrorCode;
  readonly argument = 'appId';

  constructor(
    readonly appId: string,
    principalName: string,
  ) {
    // JSON quoting: the AppId is client input and may itself hold quotes or control characters.
    super(`\`appId\` ${JSON.stringify(appId)} is not readable by ${JSON.stringify(principalName)}`);
  }
}
