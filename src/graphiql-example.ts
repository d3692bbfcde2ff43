/**
 * The query on GraphiQL's first screen. Its range is computed when the page is served, so it always lies inside
 * the upstream's 6-day retention and is already final: pressing "run" on a fresh page shows real data.
 */
const MINUTE_MS = 60_000;

export function graphiqlExampleQuery(nowMs: number): string {
  // The hour that ended at least 5 minutes ago (past the ~100 s upstream latency), on the cache's 5-minute
  // slots so that it costs one upstream call.
  const toMs = Math.floor((nowMs - 5 * MINUTE_MS) / (5 * MINUTE_MS)) * 5 * MINUTE_MS;
  const from = new Date(toMs - 60 * MINUTE_MS).toISOString().replace('.000Z', 'Z');
  const to = new Date(toMs).toISOString().replace('.000Z', 'Z');
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
`;
}
