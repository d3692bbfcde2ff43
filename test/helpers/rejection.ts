import { expect } from 'vitest';
import { AuthenticationError } from '../../src/errors/authentication-error.js';

/** The AuthenticationError `promise` rejects with; fails the test when it resolves or rejects otherwise. */
export async function rejection(promise: Promise<unknown>): Promise<AuthenticationError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AuthenticationError);
    return error as AuthenticationError;
  }
  throw new Error('expected authentication to fail');
}
