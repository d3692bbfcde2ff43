/**
 * One copy, for the whole process, of each metric name, description and unit that cached slots hold. Every
 * parsed answer brings fresh copies of the same few texts (the upstream repeats them in every answer), and an
 * entry of a short slot would otherwise carry as many bytes of text as of points. Process-wide on purpose, like
 * V8's own string table: the texts are the upstream's vocabulary, the same for every cache in the process.
 *
 * Bounded in characters, so that an upstream answering with ever new texts cannot grow it without end: past the
 * bound, new texts stay the copies they came as, and slotEntryBytes counts them in full.
 */
const MAX_INTERNED_CHARACTERS = 64 * 1024;

const interned = new Map<string, string>();
let internedCharacters = 0;

/** The process's copy of `text`, made the process's copy if there is room. */
export function internMetricText(text: string): string {
  const known = interned.get(text);
  if (known !== undefined) return known;
  if (internedCharacters + text.length <= MAX_INTERNED_CHARACTERS) {
    interned.set(text, text);
    internedCharacters += text.length;
  }
  return text;
}

/**
 * Whether an entry's `text` is the shared copy. Texts are never dropped from the table, and every entry is built
 * through internMetricText, so an entry holding a text the table knows holds the table's copy.
 */
export function isInternedMetricText(text: string): boolean {
  return interned.has(text);
}
