/**
 * Cheap, stable hashing for the simulator's synthetic data. Every simulated value is a pure function of
 * its identifiers and its time, so the same question always gets the same answer, however it is batched
 * or split; `Math.random` is never used for data.
 */

const TWO_POW_32 = 4_294_967_296;

/** 32-bit FNV-1a over the string's UTF-16 code units: turns identifiers into a seed once per series. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** MurmurHash3's finaliser: spreads every input bit over the output so neighbouring inputs look unrelated. */
function mix32(value: number): number {
  let hash = value >>> 0;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** Folds a non-negative integer into a hash; above 2^32 in two halves, because unix ms do not fit in 32 bits. */
function fold(hash: number, part: number): number {
  return mix32(mix32(hash ^ (part >>> 0)) ^ Math.floor(part / TWO_POW_32));
}

/**
 * A uniform number in [0, 1) decided by a seed and up to two non-negative integers (unix ms, block indices,
 * a sub-draw number). Fixed arity rather than rest parameters: it runs once per simulated point.
 */
export function unitHash(seed: number, first = 0, second = 0): number {
  return fold(fold(mix32(seed), first), second) / TWO_POW_32;
}

/** A seed for a tuple of identifiers; JSON keeps `('a,b', 'c')` and `('a', 'b,c')` apart. */
export function seedOf(...identifiers: readonly string[]): number {
  return fnv1a32(JSON.stringify(identifiers));
}
