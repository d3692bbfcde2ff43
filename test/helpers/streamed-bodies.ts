/** Readers of the two streamed GraphQL response formats, strict enough that a bare JSON body fails them. */
import { expect } from 'vitest';

export interface SseEvent {
  readonly event: string;
  readonly data: string;
}

/** The events of a text/event-stream body (GraphQL over SSE, distinct connections mode); pings are skipped. */
export function parseSse(text: string): SseEvent[] {
  expect(text.endsWith('\n\n')).toBe(true);
  const events: SseEvent[] = [];
  for (const block of text.split('\n\n').slice(0, -1)) {
    const fields = block.split('\n').filter((line) => !line.startsWith(':'));
    if (fields.length === 0) continue;
    const event = fields.find((line) => line.startsWith('event:'));
    expect(event, block).toBeDefined();
    const data = fields.filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trimStart());
    expect(fields.length, block).toBe(data.length + 1);
    events.push({ event: (event as string).slice(6).trimStart(), data: data.join('\n') });
  }
  return events;
}

export interface MultipartPart {
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** The parts of a multipart/mixed body (RFC 2046 delimiters, as GraphQL incremental delivery sends them). */
export function parseMultipart(contentType: string, text: string): MultipartPart[] {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
  expect(boundary, contentType).toBeDefined();
  const sections = `\r\n${text}`.split(`\r\n--${boundary}`);
  // Before the first delimiter: the preamble; after the close delimiter ("--" + boundary + "--"): the epilogue.
  const close = sections.findIndex((section) => section.startsWith('--'));
  expect(close, 'close delimiter').toBeGreaterThan(0);
  return sections.slice(1, close).map((section) => {
    const split = section.indexOf('\r\n\r\n');
    expect(section.startsWith('\r\n') && split >= 0, section).toBe(true);
    const headers: Record<string, string> = {};
    for (const line of section.slice(2, split).split('\r\n')) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    return { headers, body: section.slice(split + 4) };
  });
}
