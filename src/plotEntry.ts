// "vcmoe/plot" under the browser condition (dist/plot.browser.js): the plot functions for apps
// that bundle Vega. The spec builders are the main file's; the renderers here import vega and
// vega-lite as packages, which the app's bundler resolves (the main browser file's renderers
// use Vega's globals instead, so that an app that never plots needs no Vega installed).
export { plotSpec, dataPlotSpec, COMPONENT_COLOURS } from "./index.js";
export type { CurvePlotOptions, CurvePlotPart, DataPlotOptions, VegaLiteSpec } from "./index.js";
export { renderSvg, renderHtml } from "./plot/render.js";
