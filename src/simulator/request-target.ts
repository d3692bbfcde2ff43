/**
 * The request line's target, decoded as the upstream's front end decodes it before checking signatures.
 */

export interface RequestTarget {
  readonly path: string;
  /** Decoded, first value of each name; a null prototype so no name can reach Object.prototype. */
  readonly query: Readonly<Record<string, string>>;
  /** Names given more than once, which no signature can cover (the canonical query has one value per name). */
  readonly repeated: readonly string[];
}

/** Splits path and query; the query is form-decoded ('+' is a space, as in the upstream's decoder). */
export function parseRequestTarget(rawUrl: string): RequestTarget {
  const questionMark = rawUrl.indexOf('?');
  const path = questionMark < 0 ? rawUrl : rawUrl.slice(0, questionMark);
  const query: Record<string, string> = Object.create(null);
  const repeated: string[] = [];
  for (const [name, value] of new URLSearchParams(questionMark < 0 ? '' : rawUrl.slice(questionMark + 1))) {
    if (Object.hasOwn(query, name)) repeated.push(name);
    else query[name] = value;
  }
  return { path, query, repeated };
}
