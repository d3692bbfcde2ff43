/**
 * Audio call quality as a mean opinion score, by the simplified ITU-T G.107 E-model that monitoring tools use
 * when only network figures are known (no codec or jitter-buffer details):
 *
 *   effective latency  L = rtt + 2 x jitter + 10 ms            (jitter counts twice: the buffer that absorbs it
 *                                                              adds delay; 10 ms for the codec)
 *   delay effect       Id = L / 40 below 160 ms, (L - 120) / 10 from there (one-way delay past ~150 ms hurts
 *                                                              conversation much faster)
 *   R                  = 94.768 - Id - 2.5 x loss%            (94.768: G.107's default R0 - Is, i.e. the best
 *                                                              a narrowband call reaches with no impairment)
 *   MOS                = 1 + 0.035 R + 7e-6 R (R - 60)(100 - R), with R clamped to 0..100
 *
 * The cubic dips just under 1 for R below ~6.5; MOS is clamped to 1..4.5, the scale's own bounds.
 */

/** The network figures the model reads, in the units RTC stats report them: ms, ms and percent (0..100). */
export interface NetworkFigures {
  readonly rttMs: number;
  readonly jitterMs: number;
  readonly lossPercent: number;
}

const DEFAULT_R = 94.768;

/** The E-model's transmission rating factor R, clamped to 0..100. */
export function rFactor({ rttMs, jitterMs, lossPercent }: NetworkFigures): number {
  const effectiveLatencyMs = rttMs + 2 * jitterMs + 10;
  const delayEffect = effectiveLatencyMs < 160 ? effectiveLatencyMs / 40 : (effectiveLatencyMs - 120) / 10;
  const r = DEFAULT_R - delayEffect - 2.5 * lossPercent;
  return Math.min(100, Math.max(0, r));
}

/** G.107's mapping from R to a mean opinion score, 1 (bad) to 4.5 (the model's best). */
export function mosOfR(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return Math.max(1, 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r));
}

export function mos(figures: NetworkFigures): number {
  return mosOfR(rFactor(figures));
}
