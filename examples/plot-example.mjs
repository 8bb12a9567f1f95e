// The README's plots: fit the bundled example data, compute simultaneous bands, and render
// the coefficient curves and the data plot to SVG (docs/img/example-*.svg) and the curves
// to an interactive HTML page (build/example-curves.html). `npm run example:plots`.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { confidenceBands, dataPlotSpec, fit, parseCsvColumns, plotSpec, renderHtml, renderSvg } from "../dist/index.js";

const cols = parseCsvColumns(readFileSync(new URL("./data/ws_n1000.csv", import.meta.url), "utf8"));
const data = { y: cols.y, u: cols.u, z: { z1: cols.z1 }, x: { x1: cols.x1 } };
const res = await fit(data, { K: 2, bandwidth: 0.25, seed: 1 });
const bands = await confidenceBands(res, data, { method: "multiplier", seed: 1 });

const out = new URL("../docs/img/", import.meta.url);
mkdirSync(out, { recursive: true });
writeFileSync(new URL("example-curves.svg", out), await renderSvg(plotSpec(res, bands, { pointwise: true })));
writeFileSync(new URL("example-data.svg", out), await renderSvg(dataPlotSpec(res, data)));
mkdirSync(new URL("../build/", import.meta.url), { recursive: true });
writeFileSync(new URL("../build/example-curves.html", import.meta.url), await renderHtml(plotSpec(res, bands, { pointwise: true }), "vcmoe example: coefficient curves"));
console.log("docs/img/example-curves.svg, docs/img/example-data.svg, build/example-curves.html written");
