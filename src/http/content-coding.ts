/**
 * Which of the content codings kept for a precompressed body a request accepts best (RFC 9110 §12.5.3).
 */
export const CONTENT_CODINGS = ['br', 'gzip', 'identity'] as const;
export type ContentCoding = (typeof CONTENT_CODINGS)[number];

function qualityOf(parameters: readonly string[]): number {
  for (const parameter of parameters) {
    const [name, value] = parameter.split('=').map((part) => part.trim());
    if (name?.toLowerCase() !== 'q') continue;
    const q = Number(value);
    return Number.isFinite(q) ? Math.min(Math.max(q, 0), 1) : 0;
  }
  return 1;
}

/**
 * The accepted coding with the highest weight, ties going to the smaller body (br, then gzip). No header means
 * identity rather than "anything" (which the RFC allows): clients that send none, curl among them, cannot decode.
 * When nothing listed is acceptable, identity too: the RFC lets a server answer uncoded rather than refuse.
 */
export function preferredCoding(acceptEncoding: string | null): ContentCoding {
  if (acceptEncoding === null) return 'identity';
  const weights = new Map<string, number>();
  for (const element of acceptEncoding.split(',')) {
    const [coding, ...parameters] = element.split(';');
    const name = coding?.trim().toLowerCase();
    if (name) weights.set(name, qualityOf(parameters));
  }
  const star = weights.get('*');
  // Identity stays acceptable unless refused by name or by `*;q=0` (§12.5.3), but unlisted it weighs no more than
  // the least of the listed codings: `gzip;q=0.8` asks for gzip (as the `negotiator` package reads it too).
  const unlistedIdentity = Math.min(1, ...weights.values());
  const weightOf = (coding: ContentCoding): number =>
    weights.get(coding) ?? star ?? (coding === 'identity' ? unlistedIdentity : 0);
  let best: ContentCoding = 'identity';
  let bestWeight = 0;
  for (const coding of CONTENT_CODINGS) {
    const weight = weightOf(coding);
    if (weight > bestWeight) {
      best = coding;
      bestWeight = weight;
    }
  }
  return best;
}
