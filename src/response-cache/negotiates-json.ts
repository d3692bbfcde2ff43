/**
 * Whether Yoga answers a request with its regular JSON result processor, the only format the response cache
 * keeps; a mirror of graphql-yoga 5's content negotiation, which Yoga does not export (useResultProcessors and
 * getMediaTypesForRequestInOrder in plugins/result-processor/accept.js;
 * test/unit/response-cache/negotiates-json.test.ts holds the mirror against Yoga's own answers).
 *
 * Yoga reads the Accept header (absent or empty: any type) as a list of media types, whitespace removed and
 * lowercased, dropping every entry whose charset is not utf-8 and ignoring q-values. It then offers its
 * processors in the order SSE, multipart, regular, and the last one that matches any entry wins: so a request
 * is answered in JSON exactly when one of its entries matches application/graphql-response+json or
 * application/json, wherever that entry stands in the header. Which of the two it becomes does not matter
 * here: Yoga's own processor writes the content type of a cache hit.
 */
const JSON_MEDIA_TYPES = ['application/graphql-response+json', 'application/json'] as const;

export function negotiatesJson(request: Request): boolean {
  const entries = (request.headers.get('accept') || '*/*').replace(/\s/g, '').toLowerCase().split(',');
  return entries.some((entry) => {
    const [mediaType = '', ...params] = entry.split(';');
    const charset = params.find((param) => param.includes('charset=')) ?? 'charset=utf-8';
    return charset === 'charset=utf-8' && JSON_MEDIA_TYPES.some((offered) => admits(mediaType, offered));
  });
}

/** Whether an asked media type, wildcards allowed in either half, admits a concrete one. */
function admits(asked: string, offered: string): boolean {
  const [askedType, askedSubtype] = asked.split('/');
  const [type, subtype] = offered.split('/');
  return (askedType === '*' || askedType === type) && (askedSubtype === '*' || askedSubtype === subtype);
}
