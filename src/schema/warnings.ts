/**
 * Warnings: what an answer should tell beyond its data and errors, such as a metric name that no stream has.
 * Fields push them on the request's list (GatewayContext.warnings), or leave what they saw for a check that
 * can only decide once the whole operation ran; useWarnings (http/warnings-plugin.ts) writes them all to one
 * array, `extensions.warnings`, so clients read every kind in one place.
 */
/** One warning; `code` is stable for clients to branch on, `message` is for people. */
export interface Warning {
  readonly code: WarningCode;
  readonly message: string;
  readonly [detail: string]: unknown;
}

/** Every warning code, as clients may branch on them. */
export type WarningCode = 'UNKNOWN_METRIC' | 'RANGE_CLAMPED' | 'UNJUDGED_INCIDENT_RULE';

/** Decides, once the operation has run, whether it deserves a warning (given the request's context). */
export type WarningCheck<Context> = (context: Context) => Warning | null;
