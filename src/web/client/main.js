// @ts-check
/**
 * The dashboard page: a view (from the URL or the form) is shown from one query (a range) or one subscription
 * (live), the credential is asked for when the API wants one, and the URL follows the view.
 */
import { ApiError, graphql } from './api.js';
import { askForCredential, credential, forgetCredential } from './auth.js';
import { clearCharts, drawnCharts, renderCharts, resizeCharts } from './charts.js';
import { graphiqlHref } from './graphiql-link.js';
import {
  DASHBOARD_QUERY,
  dashboardVariables,
  LIVE_OVERVIEW_QUERY,
  LIVE_SUBSCRIPTION,
  liveVariables,
  PARTICIPANTS_QUERY,
  rangeVariables,
} from './queries.js';
import { addUsers, emptyModel, trimBefore } from './series.js';
import { subscribe } from './sse.js';
import { renderIncidents, renderOverview } from './tables.js';
import { fromLocalInput, localTime, toLocalInput } from './time.js';
import { isComplete, searchOfView, splitUsers, viewFromSearch } from './view.js';

/** @typedef {import('./view.js').View} View */

const byId = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const form = /** @type {HTMLFormElement} */ (byId('view'));
const field = (/** @type {string} */ name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name));
const directionBoxes = /** @type {HTMLInputElement[]} */ ([
  ...form.querySelectorAll('input[name=directions]'),
]);
const chartsElement = byId('charts');
const overviewTable = /** @type {HTMLTableElement} */ (byId('overview'));
const incidentsTable = /** @type {HTMLTableElement} */ (byId('incidents'));
const status = byId('status');
const errorBox = byId('error');
const graphiqlLink = /** @type {HTMLAnchorElement} */ (byId('graphiql-link'));
const forgetButton = byId('forget-credential');

let model = emptyModel();
/** @type {{ stop(): void } | null} */
let live = null;
// Each show() gets a number; an answer for an older one (the view changed meanwhile) is dropped.
let generation = 0;

const debug = {
  state: 'idle',
  liveEvents: 0,
  charts: drawnCharts,
  incidents: () => [...model.incidents.values()],
};
/** @type {any} */ (window).__callq = debug;

/** @param {string} state @param {string} message */
function setState(state, message) {
  debug.state = state;
  document.body.dataset.state = state;
  status.textContent = message;
}

/** @param {string | null} message */
function showError(message) {
  errorBox.hidden = message === null;
  errorBox.textContent = message ?? '';
}

/** @param {View} view */
function fillForm(view) {
  field('app').value = view.app;
  field('room').value = view.room;
  field('users').value = view.users.join(', ');
  field('range').value = view.range;
  field('from').value = toLocalInput(view.from);
  field('to').value = toLocalInput(view.to);
  for (const box of directionBoxes) box.checked = view.directions.includes(/** @type {any} */ (box.value));
  form.dataset.range = view.range;
}

/** @returns {View} */
function viewOfForm() {
  const directions = directionBoxes.filter((box) => box.checked).map((box) => box.value);
  return viewFromSearch(
    searchOfView({
      app: field('app').value.trim(),
      room: field('room').value.trim(),
      users: splitUsers(field('users').value),
      range: field('range').value,
      from: fromLocalInput(field('from').value),
      to: fromLocalInput(field('to').value),
      directions: /** @type {any} */ (directions),
    }),
  );
}

/**
 * Runs a request, asking for a credential (and running it again) while the API answers UNAUTHENTICATED.
 * @template T
 * @param {() => Promise<T>} request
 * @returns {Promise<T>}
 */
async function authenticated(request) {
  for (;;) {
    try {
      return await request();
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 'UNAUTHENTICATED') throw error;
      forgetCredential();
      await askForCredential(error.message);
      forgetButton.hidden = false;
    }
  }
}

function draw() {
  renderCharts(chartsElement, model);
  renderIncidents(incidentsTable, [...model.incidents.values()]);
}

/** @param {View} view @param {number} mine */
async function showRange(view, mine) {
  const variables = dashboardVariables(view);
  graphiqlLink.href = graphiqlHref(DASHBOARD_QUERY, variables);
  setState('loading', 'Loading…');
  const { data, errors } = await authenticated(() => graphql(DASHBOARD_QUERY, variables));
  if (mine !== generation) return;
  addUsers(model, data.callQuality);
  draw();
  renderOverview(overviewTable, data.roomOverview?.users ?? []);
  showError(errors.length > 0 ? errors.map((error) => error.message).join('\n') : null);
  setState(
    'ready',
    `${view.users.length} users, ${model.metrics.size} metrics, ${model.incidents.size} incidents.`,
  );
}

/** @param {View} view @param {number} mine */
async function showLive(view, mine) {
  const variables = liveVariables(view);
  graphiqlLink.href = graphiqlHref(LIVE_SUBSCRIPTION, variables);
  setState('loading', 'Connecting…');
  // The ranking as of now, by a query; also where a credential is asked for, before the subscription needs it.
  const { data } = await authenticated(() => graphql(LIVE_OVERVIEW_QUERY, variables));
  if (mine !== generation) return;
  renderOverview(overviewTable, data.roomOverview?.users ?? []);
  live = subscribe(LIVE_SUBSCRIPTION, variables, {
    next(event) {
      const { initial, users, windowFrom } = event.liveCallQuality;
      if (initial) model = emptyModel();
      addUsers(model, users);
      trimBefore(model, Date.parse(windowFrom));
      draw();
      debug.liveEvents += 1;
      setState('live', `Live, last 15 minutes: updated at ${localTime(Date.now())}.`);
    },
    refused(error) {
      showError(error.message);
      setState('error', 'The gateway refused the subscription.');
    },
    dropped(retryMs) {
      setState('reconnecting', `Connection lost; reconnecting in ${Math.ceil(retryMs / 1000)} s.`);
    },
  });
}

/** @param {View} view */
async function show(view) {
  generation += 1;
  const mine = generation;
  live?.stop();
  live = null;
  model = emptyModel();
  clearCharts();
  // Emptied, not drawn: "no incidents" would be a claim about a range not answered yet.
  incidentsTable.tBodies[0]?.replaceChildren();
  renderOverview(overviewTable, []);
  showError(null);
  try {
    await (view.range === 'live' ? showLive(view, mine) : showRange(view, mine));
  } catch (error) {
    if (mine !== generation) return;
    showError(error instanceof Error ? error.message : String(error));
    setState('error', 'The gateway could not answer.');
  }
}

async function discoverUsers() {
  const view = viewOfForm();
  const first = view.users[0];
  if (view.app === '' || view.room === '' || first === undefined) {
    showError('Give an app, a room and one user to find the others from.');
    return;
  }
  setState('loading', `Finding the users of ${view.room} from ${first}…`);
  try {
    const range = view.range === 'live' ? { last: 900 } : rangeVariables(view);
    const variables = { appId: view.app, roomId: view.room, userIds: [first], ...range };
    const { data } = await authenticated(() => graphql(PARTICIPANTS_QUERY, variables));
    field('users').value = data.participants.userIds.join(', ');
    showError(null);
    const bounded = data.participants.complete ? '' : ' (the search stopped at its bounds)';
    setState('idle', `Found ${data.participants.userIds.length} users${bounded}; Show draws them.`);
  } catch (error) {
    showError(error instanceof Error ? error.message : String(error));
    setState('error', 'The gateway could not find the users.');
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const view = viewOfForm();
  history.pushState(null, '', searchOfView(view));
  void show(view);
});
field('range').addEventListener('change', () => {
  form.dataset.range = field('range').value;
  if (field('range').value === 'custom' && field('from').value === '') {
    const now = Date.now();
    field('from').value = toLocalInput(new Date(now - 3_600_000).toISOString());
    field('to').value = toLocalInput(new Date(now).toISOString());
  }
});
byId('discover').addEventListener('click', () => void discoverUsers());
forgetButton.hidden = credential() === null;
forgetButton.addEventListener('click', () => {
  forgetCredential();
  forgetButton.hidden = true;
});
window.addEventListener('popstate', () => {
  const view = viewFromSearch(location.search);
  fillForm(view);
  if (isComplete(view)) void show(view);
});
// Colours come from the style sheet, which follows the system's light or dark scheme: redraw when it changes.
matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
  clearCharts();
  draw();
});
new ResizeObserver(() => resizeCharts()).observe(chartsElement);

const initial = viewFromSearch(location.search);
fillForm(initial);
if (isComplete(initial)) void show(initial);
else setState('idle', 'Pick an app, a room and users (or one user and Find users), then Show.');
