// @ts-check
/**
 * What the charts draw: every stream's points per metric, and every incident, gathered from callQuality's
 * users or from live events (the first holds the whole window; each later one only new points, appended).
 */

/**
 * @typedef {object} StreamLine one stream's points of one metric
 * @property {string} label e.g. "alice ↑" (what alice sends) or "alice ← host" (what alice receives from host)
 * @property {number[]} times unix ms, increasing
 * @property {number[]} values
 */
/**
 * @typedef {object} MetricLines
 * @property {string} name
 * @property {string} unit
 * @property {Map<string, StreamLine>} lines by stream label, in the order first seen
 */
/**
 * @typedef {object} ShownIncident
 * @property {string} userId
 * @property {string} stream the stream's label
 * @property {'UP' | 'DOWN'} direction
 * @property {string | null} peerId
 * @property {string} kind
 * @property {string} metric
 * @property {string} start
 * @property {string} end
 * @property {number} peak
 * @property {number} threshold
 */
/**
 * @typedef {object} RoomModel
 * @property {Map<string, MetricLines>} metrics by name, in the order first seen
 * @property {Map<string, ShownIncident>} incidents by stream, kind and start
 */

/** @returns {RoomModel} */
export function emptyModel() {
  return { metrics: new Map(), incidents: new Map() };
}

/** @param {string} userId @param {{ direction: string, peerId: string | null }} stream */
export function streamLabel(userId, stream) {
  return stream.direction === 'UP' ? `${userId} ↑` : `${userId} ← ${stream.peerId}`;
}

/**
 * Adds callQuality entries (or a live event's users) to the model: points after a line's last are appended,
 * so an update's points extend what is held and a repeated point is not drawn twice.
 * @param {RoomModel} model
 * @param {Array<{ userId: string, streams: any[] | null }>} users
 */
export function addUsers(model, users) {
  for (const user of users) {
    for (const stream of user.streams ?? []) {
      const label = streamLabel(user.userId, stream);
      for (const metric of stream.metrics) {
        let lines = model.metrics.get(metric.name);
        if (lines === undefined) {
          lines = { name: metric.name, unit: metric.unit, lines: new Map() };
          model.metrics.set(metric.name, lines);
        }
        let line = lines.lines.get(label);
        if (line === undefined) {
          line = { label, times: [], values: [] };
          lines.lines.set(label, line);
        }
        const { times, values } = metric.series;
        for (let i = 0; i < times.length; i++) {
          if (line.times.length > 0 && times[i] <= /** @type {number} */ (line.times.at(-1))) continue;
          line.times.push(times[i]);
          line.values.push(values[i]);
        }
      }
      for (const incident of stream.incidents) {
        const key = `${label}|${incident.kind}|${incident.start}`;
        model.incidents.set(key, {
          userId: user.userId,
          stream: label,
          direction: stream.direction,
          peerId: stream.peerId,
          ...incident,
        });
      }
    }
  }
}

/** Drops what a moving window has left behind. @param {RoomModel} model @param {number} fromMs */
export function trimBefore(model, fromMs) {
  for (const metric of model.metrics.values()) {
    for (const line of metric.lines.values()) {
      let first = 0;
      while (first < line.times.length && /** @type {number} */ (line.times[first]) < fromMs) first++;
      line.times.splice(0, first);
      line.values.splice(0, first);
    }
  }
  for (const [key, incident] of model.incidents) {
    if (Date.parse(incident.end) < fromMs) model.incidents.delete(key);
  }
}

/**
 * One metric's lines on one shared time axis, as uPlot takes them: x in seconds, then one column per line,
 * null where that line has no point.
 * @param {MetricLines} metric
 * @returns {{ labels: string[], data: Array<Array<number | null>> }}
 */
export function alignedColumns(metric) {
  const lines = [...metric.lines.values()];
  const times = [...new Set(lines.flatMap((line) => line.times))].sort((a, b) => a - b);
  const index = new Map(times.map((time, i) => [time, i]));
  const columns = lines.map((line) => {
    /** @type {Array<number | null>} */
    const column = new Array(times.length).fill(null);
    line.times.forEach((time, i) => {
      column[/** @type {number} */ (index.get(time))] = /** @type {number} */ (line.values[i]);
    });
    return column;
  });
  return { labels: lines.map((line) => line.label), data: [times.map((time) => time / 1000), ...columns] };
}
