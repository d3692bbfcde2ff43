// @ts-check
/** The two tables: users ranked worst first (roomOverview), and every incident shown on the charts. */
import { timeElement } from './time.js';

/** @typedef {import('./series.js').ShownIncident} ShownIncident */

const NUMBER = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

/** @param {HTMLTableRowElement} row @param {Array<string | Node>} cells */
function addCells(row, cells) {
  for (const cell of cells) {
    const td = row.insertCell();
    td.append(cell);
  }
}

/** @param {number} seconds */
function duration(seconds) {
  if (seconds < 60) return `${NUMBER.format(seconds)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/**
 * @param {HTMLTableElement} table
 * @param {Array<{ userId: string, worstScore: number | null, worstBand: string | null, worstMetric: string | null,
 *   worstDirection: string | null, worstPeerId: string | null, incidentSeconds: number, incidentCount: number }>} users
 */
export function renderOverview(table, users) {
  const body = table.tBodies[0];
  if (!body) return;
  body.replaceChildren();
  for (const user of users) {
    const row = body.insertRow();
    row.dataset.user = user.userId;
    if (user.worstBand) row.dataset.band = user.worstBand;
    const stream =
      user.worstDirection === 'DOWN'
        ? `from ${user.worstPeerId}`
        : (user.worstDirection ?? '–').toLowerCase();
    addCells(row, [
      user.userId,
      user.worstScore === null ? '–' : NUMBER.format(user.worstScore),
      (user.worstBand ?? 'unrated').toLowerCase(),
      user.worstMetric ?? '–',
      stream,
      duration(user.incidentSeconds),
      String(user.incidentCount),
    ]);
  }
}

/** @param {HTMLTableElement} table @param {ShownIncident[]} incidents */
export function renderIncidents(table, incidents) {
  const body = table.tBodies[0];
  if (!body) return;
  body.replaceChildren();
  const sorted = [...incidents].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  for (const incident of sorted) {
    const row = body.insertRow();
    Object.assign(row.dataset, {
      user: incident.userId,
      direction: incident.direction,
      peer: incident.peerId ?? '',
      kind: incident.kind,
      metric: incident.metric,
      start: incident.start,
      end: incident.end,
    });
    addCells(row, [
      timeElement(incident.start),
      timeElement(incident.end),
      incident.userId,
      incident.direction === 'UP' ? 'up' : `from ${incident.peerId}`,
      incident.kind,
      incident.metric,
      NUMBER.format(incident.peak),
      NUMBER.format(incident.threshold),
    ]);
  }
  if (sorted.length === 0) addCells(body.insertRow(), ['none in this range']);
}
