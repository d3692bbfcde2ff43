/**
 * Per request, the body the column fast path stitched for it (http/column-execution-plugin.ts): a poll that
 * stitches the same bytes as the poll before gets the very same Buffer (resolvers/stitched-bodies.ts), so the
 * compression plugin compresses that Buffer rather than a copy read back from the response, and keeps its
 * codings by its identity.
 */
const bodies = new WeakMap<Request, Buffer>();

export function noteStitchedBody(request: Request, body: Buffer): void {
  bodies.set(request, body);
}

export function stitchedBodyOf(request: Request): Buffer | undefined {
  return bodies.get(request);
}
