// What both plot specs share: the component colours, the type of a spec, and the
// checks of a fit result passed in. Specs are plain JSON (Vega-Lite v6); building
// one needs no Vega code, so these modules can sit on the library's core import path.
import { VCMoEInputError } from "../errors.js";
import { lookupFamily, type FamilyDriver } from "../model/families/index.js";
import type { VCMoEFit } from "../model/result.js";

/** A Vega-Lite specification (plain JSON). Render it with `renderSvg`/`renderHtml`, or with vega-embed in a page. */
export interface VegaLiteSpec {
  $schema: string;
  [key: string]: unknown;
}

export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/**
 * The colour of component c (1-based) is `COMPONENT_COLOURS[c - 1]` in every plot: Tableau 10,
 * Vega's default categorical scheme, pinned to component numbers (K ≤ 10).
 */
export const COMPONENT_COLOURS = ["#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2", "#ff9da6", "#9d755d", "#bab0ac"];

/**
 * The colour encoding of a component field: domain "1".."K" mapped to fixed colours.
 * `symbol` sets the legend's marker ('stroke' for line charts).
 */
export function componentColour(K: number, symbol: "circle" | "stroke" = "circle"): Record<string, unknown> {
  const domain = Array.from({ length: K }, (_, c) => String(c + 1));
  const legend = { orient: "top", direction: "horizontal", symbolType: symbol, symbolOpacity: 1, ...(symbol === "stroke" ? { symbolStrokeWidth: 3 } : {}) };
  return { field: "component", type: "nominal", title: "component", scale: { domain, range: COMPONENT_COLOURS.slice(0, K) }, legend };
}

/** Throws unless `res` looks like the result of `fit()` (varying coefficients, curves on a grid). */
export function checkFit(res: unknown, argument = "result"): asserts res is VCMoEFit {
  const r = res as Partial<VCMoEFit> | null;
  if (typeof r !== "object" || r === null) throw new VCMoEInputError(argument, "must be the result of fit()");
  if (!Array.isArray(r.grid) || !Array.isArray(r.curves) || typeof r.model !== "object" || r.model === null) {
    throw new VCMoEInputError(argument, "must be the result of fit() (a fitConstant() result has no curves to plot)");
  }
}

/** Rounds for the data table of a spec: 6 significant digits are more than a plot can show. */
export function round6(v: number): number | null {
  return Number.isFinite(v) ? Number(v.toPrecision(6)) : null;
}

/** A positive integer option or its default. */
export function positiveInt(argument: string, v: unknown, def: number, max = 10_000): number {
  if (v === undefined) return def;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > max) throw new VCMoEInputError(argument, `must be an integer from 1 to ${max}, got ${String(v)}`);
  return v;
}

export function optionalString(argument: string, v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw new VCMoEInputError(argument, `must be a string, got ${typeof v}`);
  return v;
}

/** The family driver of a fit's model (its link, mean function and per-row columns). */
export function familyOfFit(res: VCMoEFit): FamilyDriver {
  const f = lookupFamily(res.model.family);
  if (!f) throw new VCMoEInputError("result.model.family", `is not a family of this library: ${JSON.stringify(res.model.family)}`);
  return f;
}
