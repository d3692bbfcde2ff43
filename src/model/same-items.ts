/**
 * Whether two lists hold the very same items in the same order (by identity, as `===` compares); `bLength`: of
 * `b`, only its first items count (a list reused, longer than what it holds now).
 */
export function sameItems(a: readonly unknown[], b: readonly unknown[], bLength = b.length): boolean {
  if (a.length !== bLength) return false;
  for (let i = 0; i < bLength; i += 1) if (a[i] !== b[i]) return false;
  return true;
}
