/** Input the gateway refuses before any upstream call; the schema layer turns it into BAD_USER_INPUT. */
export class InvalidArgumentError extends Error {
  override readonly name = 'InvalidArgumentError';
  readonly code = 'BAD_USER_INPUT';

  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(message);
  }
}
