// @ts-check
/** Times as people read them: in the browser's zone, with UTC a hover away. */

const LOCAL = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
const LOCAL_CLOCK = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

const AXIS_CLOCK = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const AXIS_DAY = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** A time axis label: the clock, with the day once the axis spans more than one. @param {number} ms @param {number} spanMs */
export const axisTime = (ms, spanMs) => (spanMs > 86_400_000 ? AXIS_DAY : AXIS_CLOCK).format(ms);

/** @param {number} ms */
export const localTime = (ms) => LOCAL.format(ms);

/** @param {number} ms */
export const utcTime = (ms) => `${new Date(ms).toISOString().replace('T', ' ').slice(0, 19)} UTC`;

/** For a chart's cursor: the local clock, and UTC beside it. @param {number} ms */
export const clockWithUtc = (ms) =>
  `${LOCAL_CLOCK.format(ms)} (${new Date(ms).toISOString().slice(11, 19)} UTC)`;

/** A `<time>` showing local time, UTC on hover. @param {string} iso */
export function timeElement(iso) {
  const element = document.createElement('time');
  const ms = Date.parse(iso);
  element.dateTime = iso;
  element.textContent = localTime(ms);
  element.title = utcTime(ms);
  return element;
}

/** An RFC 3339 instant as a datetime-local input's value (the browser's zone). @param {string} iso */
export function toLocalInput(iso) {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const local = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 19);
}

/** A datetime-local input's value (the browser's zone) as RFC 3339 in UTC. @param {string} value */
export function fromLocalInput(value) {
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? '' : new Date(ms).toISOString();
}
