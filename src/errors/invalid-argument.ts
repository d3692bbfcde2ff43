import type { ClientErrorCode } from './codes.js';

/** Input refused before any upstream call; told to the client as BAD_USER_INPUT naming `argument`. */
export class InvalidArgumentError extends Error {
  override readonly name = 'InvalidArgumentError';
  readonly code = 'BAD_USER_INPUT' satisfies ClientErrorCode;

  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(message);
  }
}
