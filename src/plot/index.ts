// Plots of fits: Vega-Lite specs (plain JSON, no Vega code needed to build them) and their
// rendering to SVG and to interactive HTML (Vega and Vega-Lite, optional peer dependencies
// loaded on the first render).
export { plotSpec } from "./curves.js";
export type { CurvePlotOptions, CurvePlotPart } from "./curves.js";
export { dataPlotSpec } from "./dataPlot.js";
export type { DataPlotOptions } from "./dataPlot.js";
export { renderSvg, renderHtml } from "./render.js";
export { COMPONENT_COLOURS } from "./common.js";
export type { VegaLiteSpec } from "./common.js";
