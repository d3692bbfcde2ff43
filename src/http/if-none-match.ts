/** Whether If-None-Match names `etag`: `*`, or a list of entity tags compared weakly (RFC 9110 13.1.2). */
export function ifNoneMatchHolds(header: string | null, etag: string): boolean {
  if (header === null) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
