// The main browser file ("vcmoe" under the browser condition, "vcmoe/browser") carries no
// Vega code and names no package a bundler would have to resolve: its renderers use the
// globals `vega` and `vegaLite` that Vega's standalone scripts define (<script src=".../vega.min.js">).
// Apps that bundle Vega import the renderers from "vcmoe/plot" instead (./vegaModules.node.ts).
import type { VegaModules } from "./vegaTypes.js";

export async function importVega(): Promise<VegaModules> {
  const g = globalThis as { vega?: VegaModules["vega"]; vegaLite?: VegaModules["vegaLite"] };
  if (g.vega && g.vegaLite) return { vega: g.vega, vegaLite: g.vegaLite };
  throw new Error(
    "renderSvg/renderHtml in the browser build need Vega: import them from \"vcmoe/plot\" (your bundler then includes " +
      "the packages vega and vega-lite), or load Vega's scripts so that the globals vega and vegaLite exist",
  );
}
