import { InvalidArgumentError } from '../errors/invalid-argument.js';

// The upstream's id alphabet: anything else would be silently dropped there, and an empty answer for a typo is
// worse than an error naming it.
const ID_PATTERN = /^[A-Za-z0-9@._-]{1,128}$/;

/** Throws InvalidArgumentError naming `argument` unless `value` is an id the upstream can hold. */
export function checkId(argument: string, value: string): void {
  if (ID_PATTERN.test(value)) return;
  const shown = JSON.stringify(value.slice(0, 40)) + (value.length > 40 ? '...' : '');
  throw new InvalidArgumentError(
    argument,
    `\`${argument}\` must be 1 to 128 characters of A-Z a-z 0-9 @ . _ -, got ${shown}`,
  );
}
