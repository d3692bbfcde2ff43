/**
 * The example on GraphiQL's first screen: the script the page runs in the browser must give the same query as the
 * gateway's own function, for any clock, so the example stays final and inside the retention however long the
 * process has run.
 */
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { graphiqlExampleQuery, graphiqlExampleQueryScript } from '../../../src/http/graphiql-example.js';

/** The page's script evaluated as a browser would, with its clock at `nowMs`. */
function inBrowserAt(nowMs: number): unknown {
  class BrowserDate extends Date {
    static override now(): number {
      return nowMs;
    }
  }
  return runInNewContext(graphiqlExampleQueryScript(), { Date: BrowserDate });
}

describe('graphiqlExampleQuery', () => {
  it('asks for the settled hour on 5-minute slot edges', () => {
    const query = graphiqlExampleQuery(Date.parse('2026-03-10T12:07:30Z'));
    expect(query).toContain('from: "2026-03-10T11:00:00Z"');
    expect(query).toContain('to: "2026-03-10T12:00:00Z"');
    // Exactly 5 minutes after a slot edge, that edge is settled; a millisecond earlier it is not.
    expect(graphiqlExampleQuery(Date.parse('2026-03-10T12:05:00Z'))).toContain('to: "2026-03-10T12:00:00Z"');
    expect(graphiqlExampleQuery(Date.parse('2026-03-10T12:04:59.999Z'))).toContain(
      'to: "2026-03-10T11:55:00Z"',
    );
  });
});

describe('graphiqlExampleQueryScript', () => {
  it('computes in the browser the query graphiqlExampleQuery gives for the same clock', () => {
    const instants = [
      '2026-03-10T12:07:30Z',
      '2026-03-10T12:05:00Z',
      '2026-03-10T12:04:59.999Z',
      '2026-12-31T23:59:59.999Z',
      '2027-01-01T00:03:00Z',
    ].map((instant) => Date.parse(instant));
    for (const nowMs of instants) expect(inBrowserAt(nowMs)).toBe(graphiqlExampleQuery(nowMs));
  });

  it('cannot end the <script> element it is embedded in', () => {
    expect(graphiqlExampleQueryScript()).not.toMatch(/<\/?script/i);
  });
});
