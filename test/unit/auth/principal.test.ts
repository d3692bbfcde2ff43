import { describe, expect, it } from 'vitest';
import { createPrincipal, OPEN_PRINCIPAL } from '../../../src/auth/principal.js';

describe('createPrincipal', () => {
  it('reads exactly the listed AppIds, case-sensitively', () => {
    const principal = createPrincipal('dashboard-a', 'api-key', ['app-a', 'app-c']);
    expect(principal.name).toBe('dashboard-a');
    expect(principal.kind).toBe('api-key');
    expect(['app-a', 'app-b', 'app-c', 'APP-A', '', '*'].map((appId) => principal.canRead(appId))).toEqual([
      true,
      false,
      true,
      false,
      false,
      false,
    ]);
  });

  it('reads every AppId when the list holds *', () => {
    const principal = createPrincipal('jwt:ops', 'jwt', ['*']);
    expect(principal.canRead('app-a')).toBe(true);
    expect(principal.canRead('anything-else')).toBe(true);
  });

  it('keeps the grant it was made with when the caller later changes its array', () => {
    const appIds = ['app-a'];
    const principal = createPrincipal('dashboard-a', 'api-key', appIds);
    appIds.push('app-b', '*');
    expect(principal.canRead('app-b')).toBe(false);
    expect(Object.isFrozen(principal)).toBe(true);
  });
});

describe('scope', () => {
  it('is equal exactly when who and what may be read are equal, whatever the order of the grant', () => {
    const scope = (name: string, appIds: string[]) => createPrincipal(name, 'jwt', appIds).scope;
    expect(scope('jwt:alice', ['b', 'a'])).toBe(scope('jwt:alice', ['a', 'b', 'a']));
    expect(scope('jwt:alice', ['a'])).not.toBe(scope('jwt:alice', ['a', 'b']));
    expect(scope('jwt:alice', ['a'])).not.toBe(scope('jwt:bob', ['a']));
    expect(scope('jwt:alice', ['*', 'a'])).toBe(scope('jwt:alice', ['*']));
    expect(createPrincipal('x', 'api-key', ['a']).scope).not.toBe(createPrincipal('x', 'jwt', ['a']).scope);
    expect(OPEN_PRINCIPAL.scope).not.toBe(createPrincipal('anonymous', 'jwt', ['*']).scope);
  });
});

describe('OPEN_PRINCIPAL', () => {
  it('is the open kind and reads everything', () => {
    expect(OPEN_PRINCIPAL.kind).toBe('open');
    expect(OPEN_PRINCIPAL.canRead('app-a')).toBe(true);
    expect(OPEN_PRINCIPAL.canRead('app-z')).toBe(true);
  });
});
