// dataPlotSpec(): the data y against u, each row coloured by its most likely component
// (largest posterior), with the fitted mean of each component along u.
import { VCMoEInputError } from "../errors.js";
import type { VCMoEFit } from "../model/result.js";
import type { VCMoEData } from "../data/dataset.js";
import { checkFit, familyOfFit, componentColour, optionalString, positiveInt, round6, VEGA_LITE_SCHEMA, type VegaLiteSpec } from "./common.js";

const INTERCEPT = "(Intercept)";
/** Below this kernel-weighted share of the rows a component's mean line is dashed. */
const SPARSE = 0.05;

export interface DataPlotOptions {
  /**
   * Values of the expert covariates at which the component means are drawn (default: each
   * column's mean over the rows of the fit). With covariates the mean of a row depends on
   * its own z, so the lines are the means of a "typical" row, as in an effects plot.
   */
  at?: Record<string, number>;
  /** Plot size in pixels (default 520 × 320). */
  width?: number;
  height?: number;
  title?: string;
  /** Axis titles (default "u" and "y"). */
  uLabel?: string;
  yLabel?: string;
}

type Col = ArrayLike<number>;

function column(argument: string, v: unknown, n: number): Col {
  if (v === null || typeof v !== "object" || typeof (v as Col).length !== "number") throw new VCMoEInputError(argument, "must be an array of numbers");
  if ((v as Col).length !== n) throw new VCMoEInputError(argument, `has ${(v as Col).length} rows, data.y has ${n}`);
  return v as Col;
}

/** The argmax component (1-based) and its posterior probability. */
function mostLikely(p: number[]): [number, number] {
  let best = 0;
  for (let c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
  return [best + 1, p[best]];
}

function mean(col: Col, rows: number[]): number {
  let s = 0;
  for (const i of rows) s += Number(col[i]);
  return s / rows.length;
}

/**
 * A Vega-Lite spec of the data behind a fit: y against u, each row coloured by its most
 * likely component (the largest posterior probability, whose value sets the point's
 * opacity), with each component's fitted mean along u as a line in the same colour as in
 * `plotSpec`. Binomial data are drawn as proportions y / trials; count data with an offset
 * as rates y / exp(offset) (means per unit exposure).
 *
 * @param result a result of `fit()`
 * @param data   the data that fit was computed from (rows dropped by `missing: 'drop'` are skipped again)
 * @param options covariate values for the mean lines, size, titles
 * @example
 * ```ts
 * import { fit, dataPlotSpec, renderSvg } from "vcmoe";
 * 
 * const res = await fit(data, { K: 2, bandwidth: 0.25 });
 * const svg = await renderSvg(dataPlotSpec(res, data, { at: { z1: 0 } }));
 * ```
 */
export function dataPlotSpec(result: VCMoEFit, data: VCMoEData, options: DataPlotOptions = {}): VegaLiteSpec {
  checkFit(result);
  if (typeof data !== "object" || data === null) throw new VCMoEInputError("data", "must be the data object the fit was computed from");
  if (typeof options !== "object" || options === null) throw new VCMoEInputError("options", "must be an object");
  const m = result.model;
  const n0 = column("data.y", data.y, (data.y as Col)?.length ?? 0).length;
  const y = data.y as Col, u = column("data.u", data.u, n0);
  const zNames = m.zNames.filter((k) => k !== INTERCEPT);
  const z: Record<string, Col> = {};
  for (const k of zNames) {
    if (!data.z || !(k in data.z)) throw new VCMoEInputError("data.z", `has no column '${k}', which the fit used: pass the data of the fit`);
    z[k] = column(`data.z.${k}`, data.z[k], n0);
  }
  const extra: Col[] = [y, u, ...Object.values(z)];
  for (const [k, col] of Object.entries(data.x ?? {})) extra.push(column(`data.x.${k}`, col, n0));
  const trials = data.trials !== undefined ? column("data.trials", data.trials, n0) : null;
  const offset = data.offset !== undefined ? column("data.offset", data.offset, n0) : null;
  for (const c of [data.weights !== undefined ? column("data.weights", data.weights, n0) : null, trials, offset]) if (c) extra.push(c);
  // the rows the fit kept: all of them, or the complete ones when it dropped incomplete rows
  const rows: number[] = [];
  for (let i = 0; i < n0; i++) if (extra.every((c) => Number.isFinite(Number(c[i])))) rows.push(i);
  if (rows.length !== m.n || result.posteriors.length !== m.n) {
    throw new VCMoEInputError("data", `are not the data of this fit: ${rows.length} complete rows, the fit has ${m.n}`);
  }
  let uMin = Infinity, uMax = -Infinity;
  for (const i of rows) { uMin = Math.min(uMin, Number(u[i])); uMax = Math.max(uMax, Number(u[i])); }
  if (uMin !== m.uMin || uMax !== m.uMax) throw new VCMoEInputError("data.u", `spans [${uMin}, ${uMax}], the fit's u spanned [${m.uMin}, ${m.uMax}]: pass the data of the fit`);

  const at: Record<string, number> = {};
  for (const k of zNames) {
    const v = options.at?.[k];
    if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v))) throw new VCMoEInputError(`options.at.${k}`, "must be a finite number");
    at[k] = v ?? mean(z[k], rows);
  }
  for (const k of Object.keys(options.at ?? {})) if (!(k in at)) throw new VCMoEInputError(`options.at.${k}`, `is not an expert covariate of the fit (${zNames.join(", ") || "none"})`);
  const width = positiveInt("options.width", options.width, 520);
  const height = positiveInt("options.height", options.height, 320);
  const title = optionalString("options.title", options.title);
  const uLabel = optionalString("options.uLabel", options.uLabel) ?? "u";

  // Binomial responses are drawn as proportions; log-link counts with an offset (log
  // exposure) as rates, whose fitted means need no offset. Other offsets are held at their mean.
  const family = familyOfFit(result);
  const proportions = family.accepts.trials;
  const asRate = offset !== null && family.link === "log";
  const offBar = offset && !asRate ? mean(offset, rows) : 0;
  const yLabel = optionalString("options.yLabel", options.yLabel) ?? (proportions ? "y / trials" : asRate ? "y / exp(offset)" : "y");
  const response = (i: number): number => {
    const v = Number(y[i]);
    if (proportions) return v / (trials ? Number(trials[i]) : 1);
    return asRate ? v / Math.exp(Number(offset![i])) : v;
  };

  const points = rows.map((i, r) => {
    const [component, prob] = mostLikely(result.posteriors[r]);
    return { row: i + 1, u: round6(Number(u[i])), y: round6(response(i)), component: String(component), probability: round6(prob) };
  });
  // A component's mean is drawn dashed where the component holds less than SPARSE of the
  // kernel-weighted rows around a grid point: there its curve rests on almost no data. Each
  // run of solid or dashed points is its own line segment (sharing the boundary point).
  const weights = result.diagnostics?.componentWeights;
  const means: Array<{ u: number | null; mean: number | null; component: string; segment: string; sparse: boolean }> = [];
  for (let c = 1; c <= m.K; c++) {
    const terms = result.curves.filter((cv) => cv.part === "expert" && cv.component === c);
    const value = result.grid.map((_, j) => {
      let eta = 0;
      for (const cv of terms) eta += cv.values[j] * (cv.term === INTERCEPT ? 1 : at[cv.term]);
      return round6(family.mean(eta + offBar));
    });
    const sparse = result.grid.map((_, j) => (weights?.[j]?.[c - 1] ?? 1) < SPARSE);
    let seg = 0;
    result.grid.forEach((g, j) => {
      if (j > 0 && sparse[j] !== sparse[j - 1]) {
        seg++;
        means.push({ u: round6(result.grid[j - 1]), mean: value[j - 1], component: String(c), segment: `${c}.${seg}`, sparse: sparse[j] });
      }
      means.push({ u: round6(g), mean: value[j], component: String(c), segment: `${c}.${seg}`, sparse: sparse[j] });
    });
  }
  const anySparse = means.some((r) => r.sparse);
  const atText = zNames.map((k) => `${k} = ${Number(at[k].toPrecision(4))}`).join(", ");
  // short lines: Vega's headless renderer estimates text widths generously
  const subtitle = [
    "points: most likely component (opacity: its posterior probability)",
    `lines: fitted component means${atText ? ` at ${atText}` : ""}${offset && !asRate ? `, offset ${Number(offBar.toPrecision(4))} (its mean)` : ""}`,
    ...(anySparse ? [`dashed: the component holds under ${SPARSE * 100}% of the rows there`] : []),
  ];
  const dash = { field: "sparse", type: "nominal", scale: { domain: [false, true], range: [[1, 0], [5, 4]] }, legend: null };
  const x = { field: "u", type: "quantitative", title: uLabel, scale: { nice: false } };
  const colour = componentColour(m.K);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: title ?? `Data and fitted component means: ${m.family}, K = ${m.K}, n = ${m.n}`, subtitle, anchor: "start" },
    width, height,
    layer: [
      {
        data: { values: points },
        mark: { type: "circle", size: 18 },
        encoding: {
          x, y: { field: "y", type: "quantitative", title: yLabel, scale: { zero: false } }, color: colour,
          opacity: { field: "probability", type: "quantitative", title: "P(component)", scale: { domain: [1 / m.K, 1], range: [0.15, 0.85] }, legend: null },
          tooltip: [{ field: "row" }, { field: "u", format: ".4~g" }, { field: "y", format: ".4~g" }, { field: "component" }, { field: "probability", format: ".3f" }],
        },
      },
      // a white casing under each mean line keeps it visible over points of its own colour
      { data: { values: means }, mark: { type: "line", strokeWidth: 5, color: "white", opacity: 0.9 }, encoding: { x, y: { field: "mean", type: "quantitative" }, detail: { field: "segment" }, strokeDash: dash } },
      { data: { values: means }, mark: { type: "line", strokeWidth: 2.5 }, encoding: { x, y: { field: "mean", type: "quantitative" }, color: colour, detail: { field: "segment" }, strokeDash: dash } },
    ],
    config: { view: { stroke: "#ddd" }, axis: { grid: true, gridOpacity: 0.5 } },
  };
}
