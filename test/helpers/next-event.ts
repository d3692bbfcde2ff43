/**
 * The next event of a subscription stream, from either transport's client (graphql-sse or graphql-ws): the
 * bound is generous, for a machine shared with other test runs, and a stream that ends instead is an error.
 */
export async function nextEvent<T>(events: AsyncIterator<T>, timeoutMs = 30_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no event within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    const result = await Promise.race([events.next(), timeout]);
    if (result.done) throw new Error('the subscription completed');
    return result.value;
  } finally {
    clearTimeout(timer);
  }
}
