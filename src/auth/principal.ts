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
  return Object.freeze({ name, kind, canRead: (appId: string) => readsAll || readable.has(appId) });
}

/** The principal of every request when no API key and no JWT verification is configured: reads everything. */
export const OPEN_PRINCIPAL: Principal = Object.freeze({
  name: 'anonymous',
  kind: 'open',
  canRead: () => true,
});
