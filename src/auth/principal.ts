/**
 * Who is asking, as far as authorization is concerned: a name for logs and error messages, and the set of
 * AppIds it may read. Made once per credential (API key) or per verified token, then only read.
 */

export type PrincipalKind = 'api-key' | 'jwt' | 'open';

export interface Principal {
  /** Safe to show and log: an API key's configured name, `jwt:<sub>`, or `anonymous`; never a credential. */
  readonly name: string;
  readonly kind: PrincipalKind;
  /** Whether this principal may read the data of `appId` (exact, case-sensitive match, or `*`). */
  canRead(appId: string): boolean;
  /**
   * Who it is and everything it may read, as one string: principals with equal scopes are interchangeable for
   * authorization, so an answer made for one may be served to the other. Two tokens of one `sub` with
   * different AppId claims have different scopes.
   */
  readonly scope: string;
}

/** The AppId entry that grants every AppId, in API key entries and in token claims alike. */
export const ALL_APP_IDS = '*';

/** A principal that may read exactly `appIds`, or every AppId when the list holds `*`. */
export function createPrincipal(
  name: string,
  kind: Exclude<PrincipalKind, 'open'>,
  appIds: readonly string[],
): Principal {
  // Copied into a Set: the caller's array (a token's claims) can neither change the grant later nor make a
  // lookup cost more than a hash.
  const readable = new Set(appIds);
  const readsAll = readable.has(ALL_APP_IDS);
  const scope = JSON.stringify([kind, name, readsAll ? [ALL_APP_IDS] : [...readable].sort()]);
  return Object.freeze({ name, kind, scope, canRead: (appId: string) => readsAll || readable.has(appId) });
}

/** The principal of every request when no API key and no JWT verification is configured: reads everything. */
export const OPEN_PRINCIPAL: Principal = Object.freeze({
  name: 'anonymous',
  kind: 'open',
  scope: JSON.stringify(['open', 'anonymous', [ALL_APP_IDS]]),
  canRead: () => true,
});
