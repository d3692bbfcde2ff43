// @ts-check
/**
 * The view a URL holds: which app, room, users, range and directions. Everything a person picks lives in the
 * query string, so a view can be shared by its link; credentials never do (auth.js keeps those).
 */

/** @typedef {'UP' | 'DOWN'} Direction */
/**
 * @typedef {object} View
 * @property {string} app
 * @property {string} room
 * @property {string[]} users
 * @property {string} range one of RANGES
 * @property {string} from RFC 3339, for a custom range
 * @property {string} to RFC 3339, for a custom range
 * @property {Direction[]} directions
 */

/** Seconds of each preset; `live` is the moving window of the subscription. */
export const PRESET_SECONDS = /** @type {const} */ ({ '15m': 900, '1h': 3600, '6h': 21600, live: 900 });
export const RANGES = ['15m', '1h', '6h', 'custom', 'live'];
/** @type {Direction[]} */
const ALL_DIRECTIONS = ['UP', 'DOWN'];

/** @param {string} text @returns {string[]} */
export function splitUsers(text) {
  return text
    .split(/[\s,]+/)
    .map((user) => user.trim())
    .filter((user) => user !== '');
}

/** @param {string} search a URL's query string @returns {View} */
export function viewFromSearch(search) {
  const params = new URLSearchParams(search);
  const range = params.get('range') ?? '1h';
  const directions = (params.get('directions') ?? 'UP,DOWN')
    .split(',')
    .filter((direction) => direction === 'UP' || direction === 'DOWN');
  return {
    app: params.get('app') ?? '',
    room: params.get('room') ?? '',
    users: splitUsers(params.get('users') ?? ''),
    range: RANGES.includes(range) ? range : '1h',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    directions: /** @type {Direction[]} */ (directions.length > 0 ? directions : ALL_DIRECTIONS),
  };
}

/** @param {View} view @returns {string} the query string, with `?` */
export function searchOfView(view) {
  const params = new URLSearchParams({
    app: view.app,
    room: view.room,
    users: view.users.join(','),
    range: view.range,
  });
  if (view.range === 'custom') {
    params.set('from', view.from);
    params.set('to', view.to);
  }
  if (view.directions.length !== ALL_DIRECTIONS.length) params.set('directions', view.directions.join(','));
  return `?${params}`;
}

/** @param {View} view */
export function isComplete(view) {
  return view.app !== '' && view.room !== '' && view.users.length > 0;
}
