/**
 * What a string weighs on V8's heap, for byte bounds: a sequential string is a 16-byte header (map, hash,
 * length) and its characters, one byte each when they all fit in Latin-1 and two otherwise, padded to 8 bytes
 * (64-bit Node, built without pointer compression).
 */
const STRING_HEADER_BYTES = 16;
const TWO_BYTE_CHARACTER = /[\u0100-\uffff]/;

export function stringBytes(text: string): number {
  const characterBytes = TWO_BYTE_CHARACTER.test(text) ? 2 : 1;
  return STRING_HEADER_BYTES + Math.ceil((text.length * characterBytes) / 8) * 8;
}
