/**
 * Every `extensions.code` a client can meet, with what happened and what the client can do about it. Clients
 * branch on these, so they are a contract: README's "Error codes" table lists the same codes, in this order,
 * with these descriptions (test/unit/errors/codes.test.ts holds them equal), and every code the gateway
 * throws, returns or writes is typed `ClientErrorCode`, so a code missing here does not compile.
 *
 * Yoga writes some of them itself (BAD_REQUEST, GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED,
 * OPERATION_RESOLUTION_FAILURE, INTERNAL_SERVER_ERROR); the gateway uses the same codes for refusals of the
 * same kind.
 *
 * Internal codes are kept apart, in the errors that carry them, and never reach a response as they are:
 * - the upstream layer's own (`UpstreamErrorCode`: it imports nothing above it) and the window cache's
 *   RetentionEdgeError (RETENTION_EDGE_PASSED) are mapped onto client codes in client-errors.ts;
 * - ConfigError (INVALID_CONFIG) stops the process before it serves, and SlotCodecError (SLOT_CODEC_ERROR,
 *   caused by the slots' SlotEncodingError, SLOT_ENCODING_ERROR, when the series are bad) is read as a miss
 *   of the shared store.
 */
export const CLIENT_ERRORS = {
  BAD_USER_INPUT:
    'An argument or variable is invalid (`extensions.argument` names the argument when one is at fault): ' +
    'correct it and send again.',
  UNAUTHENTICATED:
    'HTTP 401: the request has no credential, or one that does not verify: send ' +
    '`Authorization: Bearer <API key or JWT>`.',
  FORBIDDEN:
    'The credential may not read this AppId (`extensions.argument: "appId"`): the field is null, the rest ' +
    'is served.',
  COST_LIMIT_EXCEEDED:
    'Refused before running: it could need more upstream calls (`extensions.cost`) or names more users ' +
    '(`extensions.users`) than `extensions.limit`: ask for less, or split it.',
  OUTPUT_LIMIT_EXCEEDED:
    'The answer would hold more than `extensions.limit` points, so no data is sent: ask for fewer users, ' +
    'metrics or aliases, a shorter range, or a coarser `step`.',
  SUBSCRIPTION_LIMIT_EXCEEDED:
    'Refused at subscribe time: the credential already holds `extensions.limit` open subscriptions ' +
    '(`LIVE_MAX_SUBSCRIPTIONS`): close one, or share one subscription between views.',
  SUBSCRIPTION_BACKLOG_EXCEEDED:
    'The subscription was ended: its client read events slower than they came, and `extensions.limit` ' +
    'were waiting: subscribe again, and read faster or ask for less.',
  NOT_ARCHIVED:
    "Part of the range is past the upstream's 6-day retention and not archived: the field is null; " +
    '`extensions.missing` lists each `from` and `to` missing; ask later ones.',
  ARCHIVE_UNAVAILABLE:
    '`recordRoom` needs the archive, which is off (`ARCHIVE_URL`) or whose database is down: nothing was ' +
    'recorded; retry later.',
  RATE_LIMITED:
    "The upstream's rate limit would hold this field's call longer than allowed, so it was not sent: the " +
    'field is null; retry later.',
  UPSTREAM_ERROR:
    'The upstream refused the call or answered unreadably: the field is null; `extensions.upstream` has ' +
    'its code, request id and HTTP status, for Volcengine support.',
  UPSTREAM_UNAVAILABLE:
    'The upstream did not answer, or calls to it are paused after repeated failures: the field is null ' +
    '(cached data is still served); retry later.',
  BAD_REQUEST:
    'The HTTP request is not a GraphQL request the gateway can read (method, target, body, a GET parameter ' +
    'that is not JSON): fix the client.',
  GRAPHQL_PARSE_FAILED:
    'The document is not GraphQL, has more tokens than `LIMIT_MAX_TOKENS`, or is nested too deeply to read.',
  GRAPHQL_VALIDATION_FAILED:
    'The document does not fit the schema, or has more aliases than `LIMIT_MAX_ALIASES` or more levels ' +
    'than `LIMIT_MAX_DEPTH`.',
  OPERATION_RESOLUTION_FAILURE:
    '`operationName` names no operation of the document, or the document holds several and none is named.',
  PERSISTED_QUERY_NOT_FOUND:
    "HTTP 400: `extensions.persistedQuery.sha256Hash` is not in the gateway's `TRUSTED_DOCUMENTS`: deploy " +
    "the client's list there, or (mode `allow`) send the `query` text.",
  PERSISTED_QUERY_ID_REQUIRED:
    'HTTP 400: `TRUSTED_DOCUMENTS_MODE=require` runs only listed documents: send `extensions.persistedQuery` ' +
    '`{ version: 1, sha256Hash }` instead of `query` text.',
  CSRF_HEADER_REQUIRED:
    'HTTP 403: a GET, or a POST without a content type or with a form or text one, lacks the ' +
    '`x-graphql-yoga-csrf` header: add it, or POST `application/json`.',
  CORS_ORIGIN_NOT_ALLOWED:
    "HTTP 403: a browser page from an origin not in the gateway's `CORS_ORIGINS` (preflight or request): " +
    'the operator lists the origin there.',
  PAYLOAD_TOO_LARGE:
    'HTTP 413: the body declares more bytes than `LIMIT_MAX_BODY_BYTES`: send a smaller one.',
  LENGTH_REQUIRED: 'HTTP 411: a body without a `Content-Length` header: send the body in one piece.',
  INTERNAL_SERVER_ERROR:
    "An unexpected failure, masked and logged under the response's `x-request-id`: retry, and report that " +
    'id if it lasts.',
} as const;

export type ClientErrorCode = keyof typeof CLIENT_ERRORS;

/** The codes alone, in the order above. */
export const CLIENT_ERROR_CODES = Object.keys(CLIENT_ERRORS) as readonly ClientErrorCode[];
