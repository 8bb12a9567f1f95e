// plotSpec(): the coefficient curves of a fit as a faceted Vega-Lite chart, one panel
// per coefficient (expert terms, σ or θ, gating terms) with the K components overlaid
// in fixed colours; simultaneous bands shaded, pointwise intervals dashed.
import { VCMoEInputError } from "../errors.js";
import type { Curve, VCMoEFit } from "../model/result.js";
import type { ConfidenceBands } from "../inference/bands.js";
import type { StandardErrors } from "../inference/standardErrors.js";
import type { FamilyDriver } from "../model/families/index.js";
import { checkFit, familyOfFit, componentColour, optionalString, positiveInt, round6, VEGA_LITE_SCHEMA, type VegaLiteSpec } from "./common.js";

export type CurvePlotPart = Curve["part"];

export interface CurvePlotOptions {
  /**
   * Also draw pointwise intervals (dashed): estimate ± z·se with the normal quantile of the
   * bands' level. Needs `bands`; default false. (Given standard errors instead of bands, the
   * pointwise intervals are what is drawn, and this option is implied.)
   */
  pointwise?: boolean;
  /** Which parts to draw (default all): 'expert', 'sigma' / 'theta', 'gating'. */
  parts?: CurvePlotPart[];
  /** Which components to draw (1-based; default all). */
  components?: number[];
  /** Panels per row (default: enough for the expert panels, at most 4). */
  columns?: number;
  /** Size of one panel in pixels (default 200 × 150). */
  width?: number;
  height?: number;
  /** Chart title (default: family, K, bandwidth and the band method). */
  title?: string;
  /** Title of the u axis (default "u"). */
  uLabel?: string;
}

interface Row {
  panel: string;
  component: string;
  u: number;
  estimate: number | null;
  lower?: number | null;
  upper?: number | null;
  pLower?: number | null;
  pUpper?: number | null;
}

const PARTS: CurvePlotPart[] = ["expert", "sigma", "theta", "gating"];

function isBands(b: ConfidenceBands | StandardErrors): b is ConfidenceBands {
  return typeof (b as ConfidenceBands).method === "string";
}

/** Expert coefficients are on the family's link scale; the panel says which. */
const EXPERT_SCALE: Record<FamilyDriver["link"], string> = { identity: "expert", logit: "expert (logit)", log: "expert (log mean)" };

function panelTitle(c: Curve, link: FamilyDriver["link"]): string {
  if (c.part === "sigma") return "σ (standard deviation)";
  if (c.part === "theta") return "log10 θ (negative-binomial size)";
  if (c.part === "gating") return `gating logit (centred): ${c.term}`;
  return `${EXPERT_SCALE[link]}: ${c.term}`;
}

/** Checks that `bands` were computed for this fit: same grid, same estimates. */
function checkBands(res: VCMoEFit, bands: ConfidenceBands | StandardErrors): void {
  if (typeof bands !== "object" || bands === null || !Array.isArray(bands.curves) || !Array.isArray(bands.grid)) {
    throw new VCMoEInputError("bands", "must be the result of confidenceBands() or standardErrors()");
  }
  const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  if (bands.grid.length !== res.grid.length || bands.grid.some((g, j) => !same(g, res.grid[j]))) {
    throw new VCMoEInputError("bands", "were computed on another grid than this fit's: pass the bands of this result");
  }
  for (const b of bands.curves) {
    const c = res.curves.find((r) => r.part === b.part && r.component === b.component && r.term === b.term);
    if (!c || b.estimate.some((v, j) => Number.isFinite(v) && !same(v, c.values[j]))) {
      throw new VCMoEInputError("bands", `belong to another fit: the estimate of ${b.part}[${b.component}] ${b.term} differs from this result's curve`);
    }
  }
}

function defaultTitle(res: VCMoEFit, bands: ConfidenceBands | StandardErrors | undefined, pointwise: boolean): { text: string; subtitle?: string } {
  const m = res.model;
  const text = `VCMoE fit: ${m.family}, K = ${m.K}, n = ${m.n}, bandwidth ${m.bandwidth.toPrecision(3)} (unit u scale)`;
  if (!bands) return { text };
  const pct = `${Math.round(bands.level * 1000) / 10}%`;
  if (!isBands(bands)) return { text, subtitle: `dashed: ${pct} pointwise intervals` };
  const what = `shaded: ${pct} simultaneous bands (${bands.method}${bands.method === "bootstrap" && bands.details.bootstrap ? `, B = ${bands.details.bootstrap.B}` : ""})`;
  return { text, subtitle: pointwise ? `${what}; dashed: ${pct} pointwise intervals` : what };
}

/**
 * A Vega-Lite spec of the coefficient curves of a fit: one panel per coefficient
 * (expert terms, then σ or θ, then gating terms), the estimate of each component as a
 * line in its fixed colour, the simultaneous band (from `confidenceBands`) as a shaded
 * area, and optionally the pointwise intervals as dashed lines. Each panel has its own
 * y scale. Render it with `renderSvg` / `renderHtml` or any Vega-Lite
 * viewer. The spec carries its data, so `JSON.stringify(spec)` is a complete chart.
 *
 * @param result a result of `fit()`
 * @param bands  optional: `confidenceBands(result, data)` or `standardErrors(result, data)` of that result
 * @param options panels, components, layout and titles
 * @example
 * ```ts
 * import { fit, confidenceBands, plotSpec, renderSvg } from "vcmoe";
 * 
 * const res = await fit(data, { K: 2, bandwidth: 0.25 });
 * const bands = await confidenceBands(res, data, { method: "multiplier" });
 * const svg = await renderSvg(plotSpec(res, bands, { pointwise: true }));
 * ```
 */
export function plotSpec(result: VCMoEFit, bands?: ConfidenceBands | StandardErrors, options: CurvePlotOptions = {}): VegaLiteSpec {
  checkFit(result);
  if (typeof options !== "object" || options === null) throw new VCMoEInputError("options", "must be an object");
  if (bands !== undefined) checkBands(result, bands);
  const K = result.model.K;
  const parts = options.parts ?? PARTS;
  if (!Array.isArray(parts) || parts.some((p) => !PARTS.includes(p))) throw new VCMoEInputError("options.parts", `must be a list of ${PARTS.map((p) => `'${p}'`).join(", ")}`);
  const comps = options.components ?? Array.from({ length: K }, (_, c) => c + 1);
  if (!Array.isArray(comps) || comps.length === 0 || comps.some((c) => !Number.isInteger(c) || c < 1 || c > K)) {
    throw new VCMoEInputError("options.components", `must be a non-empty list of component numbers from 1 to ${K}`);
  }
  if (options.pointwise !== undefined && typeof options.pointwise !== "boolean") throw new VCMoEInputError("options.pointwise", "must be true or false");
  if (options.pointwise && !bands) throw new VCMoEInputError("options.pointwise", "needs bands (or standard errors) to draw intervals from");
  const width = positiveInt("options.width", options.width, 200);
  const height = positiveInt("options.height", options.height, 150);
  const title = optionalString("options.title", options.title);
  const uLabel = optionalString("options.uLabel", options.uLabel) ?? "u";

  const simultaneous = bands !== undefined && isBands(bands);
  const pointwise = bands !== undefined && (!isBands(bands) || options.pointwise === true);
  const zPoint = bands && isBands(bands) ? bands.details.pointwiseCritical : 0;
  const shown = result.curves.filter((c) => parts.includes(c.part) && comps.includes(c.component));
  if (shown.length === 0) throw new VCMoEInputError("options.parts", "selects no curve of this fit");

  const link = familyOfFit(result).link;
  const panels: string[] = [];
  const rows: Row[] = [];
  for (const c of shown) {
    const panel = panelTitle(c, link);
    if (!panels.includes(panel)) panels.push(panel);
    const b = bands?.curves.find((x) => x.part === c.part && x.component === c.component && x.term === c.term);
    // θ spans orders of magnitude (up to its bound 1e8 where there is no overdispersion): log10 scale
    const tr = c.part === "theta" ? (v: number) => round6(Math.log10(v)) : round6;
    result.grid.forEach((u, j) => {
      const row: Row = { panel, component: String(c.component), u: round6(u) ?? u, estimate: tr(c.values[j]) };
      if (b && simultaneous) { row.lower = tr(b.lower[j]); row.upper = tr(b.upper[j]); }
      if (b && pointwise) {
        if (simultaneous) { row.pLower = tr(b.estimate[j] - zPoint * b.se[j]); row.pUpper = tr(b.estimate[j] + zPoint * b.se[j]); }
        else { row.pLower = tr(b.lower[j]); row.pUpper = tr(b.upper[j]); }
      }
      rows.push(row);
    });
  }
  const nExpert = panels.filter((p) => !p.startsWith("gating")).length;
  const nGating = panels.length - nExpert;
  const columns = positiveInt("options.columns", options.columns, Math.min(4, Math.max(nExpert, nGating, 1)));

  const x = { field: "u", type: "quantitative", title: uLabel, scale: { nice: false } };
  const colour = componentColour(K, "stroke");
  const tooltip = [
    { field: "panel", title: "curve" }, { field: "component" }, { field: "u", format: ".4~g" }, { field: "estimate", format: ".4~g" },
    ...(simultaneous ? [{ field: "lower", format: ".4~g", title: "band lower" }, { field: "upper", format: ".4~g", title: "band upper" }] : []),
    ...(pointwise ? [{ field: "pLower", format: ".4~g", title: "pointwise lower" }, { field: "pUpper", format: ".4~g", title: "pointwise upper" }] : []),
  ];
  // Clicking a legend entry highlights that component (an interactive viewer only; a static
  // rendering shows every component at full strength).
  const highlight = { name: "pick", select: { type: "point", fields: ["component"] }, bind: "legend" };
  const fade = (on: number, off: number) => ({ condition: { param: "pick", value: on, empty: true }, value: off });
  const layer: Array<Record<string, unknown>> = [];
  if (simultaneous) {
    layer.push({
      mark: { type: "area", opacity: 0.18, strokeWidth: 0 },
      encoding: { x, y: { field: "lower", type: "quantitative", title: null, scale: { zero: false } }, y2: { field: "upper" }, color: colour, fillOpacity: fade(1, 0.25) },
    });
  }
  if (pointwise) {
    for (const f of ["pLower", "pUpper"]) {
      layer.push({ mark: { type: "line", strokeDash: [4, 3], strokeWidth: 1 }, encoding: { x, y: { field: f, type: "quantitative" }, color: colour, opacity: fade(0.9, 0.15) } });
    }
  }
  layer.push({
    params: [highlight],
    mark: { type: "line", strokeWidth: 2 },
    encoding: { x, y: { field: "estimate", type: "quantitative", title: null, scale: { zero: false } }, color: colour, opacity: fade(1, 0.15) },
  });
  layer.push({ mark: { type: "point", size: 60, opacity: 0, filled: true }, encoding: { x, y: { field: "estimate", type: "quantitative" }, tooltip } });

  const t = defaultTitle(result, bands, pointwise && simultaneous);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: title !== undefined ? { text: title } : { ...t, anchor: "start" },
    data: { values: rows },
    facet: { field: "panel", type: "nominal", sort: panels, title: null, header: { labelFontSize: 12, labelFontWeight: "bold" } },
    columns,
    spec: { width, height, layer },
    // own x axis per panel: with a shared one, wrapped facets put an axis under empty cells
    resolve: { scale: { y: "independent" }, axis: { x: "independent" } },
    config: { view: { stroke: "#ddd" }, axis: { grid: true, gridOpacity: 0.5 } },
  };
}
