// @ts-check
/**
 * One uPlot chart per metric, a line per stream, all on one shared time axis (the same x range, one synced
 * cursor), with the incidents of the metric shaded behind the lines.
 */

import { alignedColumns } from './series.js';
import { axisTime, clockWithUtc } from './time.js';
import uPlot from './uplot.js';

/** @typedef {import('./series.js').RoomModel} RoomModel */
/** @typedef {import('./series.js').ShownIncident} ShownIncident */
/** @typedef {{ stroke: string, dash: number[] }} LineStyle */

// Tableau 10: tells ten lines apart, on a light background and a dark one.
const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];
/** Solid, then dashed, then dotted. */
const DASHES = [[], [6, 3], [2, 2]];
const HEIGHT = 200;
const FIRST_CHART_MARK = 'callq:first-chart';
const NUMBER = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

/** @type {Map<string, { plot: uPlot, key: string }>} */
const charts = new Map();

/** @param {string} name */
function cssColor(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** @param {uPlot} plot @param {ShownIncident[]} incidents */
function shadeIncidents(plot, incidents) {
  const { ctx, bbox } = plot;
  ctx.save();
  ctx.fillStyle = cssColor('--incident');
  for (const incident of incidents) {
    const left = Math.max(bbox.left, plot.valToPos(Date.parse(incident.start) / 1000, 'x', true));
    const right = Math.min(bbox.left + bbox.width, plot.valToPos(Date.parse(incident.end) / 1000, 'x', true));
    if (right >= left) ctx.fillRect(left, bbox.top, Math.max(right - left, 2), bbox.height);
  }
  ctx.restore();
}

/**
 * @param {string} title
 * @param {string} unit
 * @param {string[]} labels
 * @param {(label: string) => LineStyle} styleOf
 * @param {() => [number, number]} xRange
 * @param {() => ShownIncident[]} incidents
 * @param {number} width
 * @returns {uPlot.Options}
 */
function options(title, unit, labels, styleOf, xRange, incidents, width) {
  const axis = {
    stroke: cssColor('--fg'),
    grid: { stroke: cssColor('--grid') },
    ticks: { stroke: cssColor('--grid') },
  };
  return {
    title: unit === '' ? title : `${title} (${unit})`,
    width,
    height: HEIGHT,
    scales: { x: { time: true, range: () => xRange() } },
    cursor: { sync: { key: 'callq' } },
    series: [
      { label: 'Time', value: (_plot, value) => (value == null ? '–' : clockWithUtc(value * 1000)) },
      ...labels.map((label) => ({
        label,
        ...styleOf(label),
        width: 1.5,
        points: { show: false },
        value: (/** @type {uPlot} */ _plot, /** @type {number | null} */ value) =>
          value == null ? '–' : `${NUMBER.format(value)} ${unit}`.trim(),
      })),
    ],
    axes: [
      {
        ...axis,
        space: 70,
        values: (_plot, splits) => {
          const span = ((splits.at(-1) ?? 0) - (splits[0] ?? 0)) * 1000;
          return splits.map((split) => axisTime(split * 1000, span));
        },
      },
      { ...axis, size: 56, values: (_plot, splits) => splits.map((split) => NUMBER.format(split)) },
    ],
    hooks: { drawClear: [(plot) => shadeIncidents(plot, incidents())] },
  };
}

/**
 * Draws the model: charts of metrics no longer in it are removed, charts whose lines are the same get the new
 * data, others are made anew.
 * @param {HTMLElement} container
 * @param {RoomModel} model
 */
export function renderCharts(container, model) {
  const allIncidents = [...model.incidents.values()];
  const metricNames = new Set(model.metrics.keys());
  // Each chart shades the incidents of its own metric; a MOS incident (from RTT, jitter and loss together) has
  // no chart of its own and is listed in the table only: shaded on every chart, it would hide the others.
  const incidentsOf = (/** @type {string} */ name) =>
    allIncidents.filter((incident) => incident.metric === name);
  // A stream keeps its style on every chart. Past ten lines the colours repeat, each round with its own dash.
  /** @type {Map<string, LineStyle>} */
  const styles = new Map();
  const styleOf = (/** @type {string} */ label) => {
    let style = styles.get(label);
    if (style === undefined) {
      const round = Math.floor(styles.size / PALETTE.length);
      style = {
        stroke: PALETTE[styles.size % PALETTE.length] ?? '',
        dash: DASHES[round % DASHES.length] ?? [],
      };
      styles.set(label, style);
    }
    return style;
  };
  const columns = [...model.metrics.values()].map((metric) => ({ metric, ...alignedColumns(metric) }));
  const xs = columns.flatMap(({ data }) => [data[0]?.[0], data[0]?.at(-1)]).filter((x) => x != null);
  const xRange = () => /** @type {[number, number]} */ ([Math.min(...xs), Math.max(...xs)]);

  for (const [name, chart] of charts) {
    if (!metricNames.has(name)) {
      chart.plot.destroy();
      chart.plot.root.parentElement?.remove();
      charts.delete(name);
    }
  }
  for (const { metric, labels, data } of columns) {
    labels.forEach(styleOf);
    const key = labels.join('\n');
    const existing = charts.get(metric.name);
    if (existing !== undefined && existing.key === key) {
      existing.plot.setData(/** @type {uPlot.AlignedData} */ (data));
      continue;
    }
    existing?.plot.destroy();
    let figure = existing?.plot.root.parentElement;
    if (!figure) {
      figure = document.createElement('figure');
      figure.className = 'chart';
      figure.dataset.metric = metric.name;
      container.append(figure);
    }
    figure.replaceChildren();
    const opts = options(
      metric.name,
      metric.unit,
      labels,
      styleOf,
      xRange,
      () => incidentsOf(metric.name),
      figure.clientWidth,
    );
    charts.set(metric.name, { plot: new uPlot(opts, /** @type {uPlot.AlignedData} */ (data), figure), key });
    // What bench/dashboard-page.ts times: navigation start to the first chart drawn.
    if (performance.getEntriesByName(FIRST_CHART_MARK).length === 0) performance.mark(FIRST_CHART_MARK);
  }
}

/** Removes every chart. */
export function clearCharts() {
  for (const chart of charts.values()) {
    chart.plot.destroy();
    chart.plot.root.parentElement?.remove();
  }
  charts.clear();
}

/** Fits every chart to its figure's width (after a resize or a change of layout). */
export function resizeCharts() {
  for (const chart of charts.values()) {
    const width = chart.plot.root.parentElement?.clientWidth ?? 0;
    if (width > 0 && width !== chart.plot.width) chart.plot.setSize({ width, height: HEIGHT });
  }
}

/** What each chart draws, read from its uPlot instance: for the tests, and for anyone debugging the page. */
export function drawnCharts() {
  return [...charts].map(([metric, { plot }]) => ({
    metric,
    labels: plot.series.slice(1).map((series) => String(series.label)),
    styles: plot.series
      .slice(1)
      .map(
        (series, i) =>
          `${typeof series.stroke === 'function' ? series.stroke(plot, i + 1) : series.stroke} ${series.dash}`,
      ),
    data: plot.data.map((column) => [...column]),
  }));
}
