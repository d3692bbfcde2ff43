/**
 * The operations on GraphiQL's first screen: a query whose range is computed from the clock when the page opens, so
 * it always lies inside the upstream's 6-day retention and is already final (running it on a fresh page shows real
 * data), and the same room as a live subscription, which Yoga's GraphiQL runs over SSE.
 */
const MINUTE_MS = 60_000;
/** Past the ~100 s upstream latency and the cache's margin: the range is final. */
const SETTLED_MS = 5 * MINUTE_MS;
/** The cache's slot length: a range on slot edges costs one upstream call per hour. */
const SLOT_MS = 5 * MINUTE_MS;
const SPAN_MS = 60 * MINUTE_MS;
// Stand-ins for the range in the text the browser fills in; no query text contains them.
const FROM_MARK = '@@from@@';
const TO_MARK = '@@to@@';

function exampleText(from: string, to: string): string {
  return `# callq: call quality of Volcengine RTC rooms. Press the run button (or Ctrl-Enter).
# Without credentials the gateway serves an embedded simulator: any app, room and user id has data.
query RoomQuality {
  callQuality(
    appId: "demo-app"
    roomId: "demo-room"
    userIds: ["alice", "bob"]
    from: "${from}"
    to: "${to}"
  ) {
    userId
    final
    streams {
      direction
      peerId
      metrics(names: ["Rtt", "VideoSendBitrate", "VideoRecvBitrate"]) {
        name
        unit
        summary { avg p95 max }
        series(step: 300, aggregate: AVG) { times values }
      }
    }
  }
}

# The same room live: the last 5 minutes first, then only the new points as they arrive (pick LiveRoom
# from the run button's menu; the "stop" button ends it).
subscription LiveRoom {
  liveCallQuality(appId: "demo-app", roomId: "demo-room", userIds: ["alice", "bob"], last: 300) {
    initial
    from
    to
    users {
      userId
      streams { direction peerId metrics(names: ["Rtt"]) { name series { times values } } }
    }
  }
}
`;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

export function graphiqlExampleQuery(nowMs: number): string {
  // The hour that ended at least SETTLED_MS ago, on the cache's slots so that it costs one upstream call.
  const toMs = Math.floor((nowMs - SETTLED_MS) / SLOT_MS) * SLOT_MS;
  return exampleText(isoSeconds(toMs - SPAN_MS), isoSeconds(toMs));
}

/**
 * A JavaScript expression that evaluates, in the browser, to `graphiqlExampleQuery(Date.now())`. The page is built
 * once per process: a range fixed at build time would leave the retention after 6 days of uptime, and with it the
 * example. The arithmetic is the one above, written for the browser; a test holds the two equal.
 */
export function graphiqlExampleQueryScript(): string {
  // `<` escaped: the expression lands inside a <script> element, where `</script>` in a string would end it.
  const text = JSON.stringify(exampleText(FROM_MARK, TO_MARK)).replace(/</g, '\\u003c');
  return `(function (text) {
  var slotMs = ${SLOT_MS};
  var toMs = Math.floor((Date.now() - ${SETTLED_MS}) / slotMs) * slotMs;
  function iso(ms) { return new Date(ms).toISOString().replace('.000Z', 'Z'); }
  return text.replace(${JSON.stringify(FROM_MARK)}, iso(toMs - ${SPAN_MS})).replace(${JSON.stringify(TO_MARK)}, iso(toMs));
})(${text})`;
}
