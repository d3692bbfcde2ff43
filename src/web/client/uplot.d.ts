// The browser imports uPlot as ./uplot.js from the asset directory (dashboard-assets.ts serves the package's
// ES module there); for the type checker, that module is the npm package.
export { default } from 'uplot';
