// Rendering Vega-Lite specs: to an SVG string (Vega's headless renderer: no browser or
// canvas needed) and to a self-contained interactive HTML page. Vega and Vega-Lite are
// optional peer dependencies loaded on the first render (./vegaModules.node.ts), so
// fitting never loads them and the main browser file does not contain them.
import { VCMoEInputError } from "../errors.js";
import type { VegaLiteSpec } from "./common.js";
import { importVega } from "./vegaModules.node.js";
import { vegaScript } from "./vegaScript.node.js";
import type { VegaModules } from "./vegaTypes.js";

let loaded: Promise<VegaModules> | null = null;

function loadVega(): Promise<VegaModules> {
  loaded ??= importVega().catch((e) => { loaded = null; throw e; });
  return loaded;
}

function checkSpec(spec: unknown): asserts spec is VegaLiteSpec {
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) throw new VCMoEInputError("spec", "must be a Vega-Lite spec object (e.g. from plotSpec)");
}

/** Vega-Lite specs are compiled to Vega; a spec whose $schema is Vega's own is used as it is. */
function isVegaSpec(spec: VegaLiteSpec): boolean {
  return typeof spec.$schema === "string" && /\/schema\/vega\/v\d/.test(spec.$schema);
}

async function toVega(spec: VegaLiteSpec): Promise<{ vega: VegaModules["vega"]; runtime: unknown; vg: unknown }> {
  const { vega, vegaLite } = await loadVega();
  const vg = isVegaSpec(spec) ? spec : vegaLite.compile(spec).spec;
  return { vega, vg, runtime: vega.parse(vg) };
}

/**
 * Renders a Vega-Lite spec (from `plotSpec` or `dataPlotSpec`) to an SVG document string with
 * Vega's headless renderer: works in Node without a browser or canvas (text widths are
 * estimated). Needs the optional packages `vega` and `vega-lite`.
 *
 * @example
 * ```ts
 * import { writeFileSync } from "node:fs";
 * import { fit, plotSpec, renderSvg } from "vcmoe";
 * const res = await fit(data, { K: 2, bandwidth: 0.25 });
 * writeFileSync("curves.svg", await renderSvg(plotSpec(res)));
 * ```
 */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  checkSpec(spec);
  const { vega, runtime } = await toVega(spec);
  const view = new vega.View(runtime, { renderer: "none" });
  try {
    await view.runAsync();
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
// Text inlined in a <script> element must not contain "</script" (it would end the element):
// in JSON every "<" becomes \u003c; in Vega's script "</script" becomes "<\/script" (the same
// string, or the same regular expression, to JavaScript).
const jsonInScript = (v: unknown): string => JSON.stringify(v).replace(/</g, "\\u003c");
const scriptInScript = (s: string): string => s.replace(/<\/(script)/gi, "<\\/$1");

/**
 * A self-contained interactive HTML page of a Vega-Lite spec: Vega's script and the chart's
 * data are inlined, so the file opens offline in any browser. Hovering shows values, clicking
 * a legend entry highlights a component, and links save the chart as SVG or PNG. Runs in Node
 * (it reads Vega's script from node_modules); needs the optional packages `vega` and `vega-lite`.
 *
 * @param spec  a Vega-Lite spec (e.g. from `plotSpec`)
 * @param title the page title (default: the chart's title)
 * @example
 * ```ts
 * import { writeFileSync } from "node:fs";
 * import { plotSpec, renderHtml } from "vcmoe";
 * writeFileSync("curves.html", await renderHtml(plotSpec(res, bands), "Coefficient curves"));
 * ```
 */
export async function renderHtml(spec: VegaLiteSpec, title?: string): Promise<string> {
  checkSpec(spec);
  if (title !== undefined && typeof title !== "string") throw new VCMoEInputError("title", "must be a string");
  const { vg } = await toVega(spec);
  const script = await vegaScript();
  const t = spec.title as { text?: unknown } | string | undefined;
  const pageTitle = title ?? (typeof t === "string" ? t : typeof t?.text === "string" ? t.text : "vcmoe plot");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="vcmoe">
<title>${escapeHtml(pageTitle)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #222; }
#tools { margin: .5rem 0 1rem; font-size: .9rem; }
#tools a { margin-right: 1rem; }
</style>
</head>
<body>
<div id="vis"></div>
<div id="tools"><a id="save-svg" href="#" download="plot.svg">Save as SVG</a><a id="save-png" href="#" download="plot.png">Save as PNG</a></div>
<script>${scriptInScript(script)}</script>
<script>
const spec = ${jsonInScript(vg)};
const view = new vega.View(vega.parse(spec), { renderer: "svg", container: "#vis", hover: true });
view.runAsync().then(() => {
  view.toImageURL("svg").then((u) => { document.getElementById("save-svg").href = u; });
  view.toImageURL("png", 2).then((u) => { document.getElementById("save-png").href = u; });
});
</script>
</body>
</html>
`;
}
