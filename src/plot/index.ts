// vcmoe/plot: plot specs of fits (Vega-Lite) and their rendering to SVG and HTML.
// The spec builders are also exported by the main entry; the renderers live only here
// because they load the optional packages vega and vega-lite.
export { plotSpec } from "./curves.js";
export type { CurvePlotOptions, CurvePlotPart } from "./curves.js";
export { dataPlotSpec } from "./dataPlot.js";
export type { DataPlotOptions } from "./dataPlot.js";
export { renderSvg, renderHtml } from "./render.js";
export { COMPONENT_COLOURS } from "./common.js";
export type { VegaLiteSpec } from "./common.js";
