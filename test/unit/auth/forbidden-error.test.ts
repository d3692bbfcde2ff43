import { describe, expect, it } from 'vitest';
import { authorizeAppId } from '../../../src/auth/authorize-app-id.js';
import { createPrincipal, OPEN_PRINCIPAL } from '../../../src/auth/principal.js';
import { ForbiddenError } from '../../../src/errors/forbidden-error.js';

describe('authorizeAppId', () => {
  const dashboard = createPrincipal('dashboard-a', 'api-key', ['app-a']);

  it('lets a principal read its own AppIds', () => {
    expect(() => authorizeAppId(dashboard, 'app-a')).not.toThrow();
    expect(() => authorizeAppId(OPEN_PRINCIPAL, 'app-b')).not.toThrow();
  });

  it('throws FORBIDDEN naming the argument, the AppId and the principal', () => {
    let thrown: unknown;
    try {
      authorizeAppId(dashboard, 'app-b');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ForbiddenError);
    const error = thrown as ForbiddenError;
    expect(error.code).toBe('FORBIDDEN');
    expect(error.argument).toBe('appId');
    expect(error.appId).toBe('app-b');
    expect(error.name).toBe('ForbiddenError');
    expect(error.message).toBe('`appId` "app-b" is not readable by "dashboard-a"');
  });

  it('quotes an AppId holding quotes so the message stays unambiguous', () => {
    expect(() => authorizeAppId(dashboard, 'a" or "b')).toThrow(
      '`appId` "a\\" or \\"b" is not readable by "dashboard-a"',
    );
  });
});
