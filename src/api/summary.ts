// A printable summary of a fit, in the spirit of R's summary(): the model, the
// likelihood-based statistics, the coefficients (curves at a few u values for fit();
// estimates with standard errors, z values and p-values for constants) and warnings.
// Columns are as wide as their contents.
import type { ConstantEstimate, ConstantFit, FitStatistics, VCMoEFit } from "../model/result.js";
import type { StandardErrors } from "../inference/standardErrors.js";
import type { ConfidenceBands } from "../inference/bands.js";
import { normalCdf } from "../inference/normal.js";
import { VCMoEInputError } from "../errors.js";
import { checkOptionKeys, optionKeys } from "../data/optionKeys.js";
import { formatNumber, formatTable } from "../io/textTable.js";

export interface SummaryOptions {
  /**
   * Standard errors of the curves, from standardErrors(res, data) or confidenceBands(res,
   * data): printed under each estimate; the band's method and critical values are named.
   */
  se?: StandardErrors | ConfidenceBands;
  /** Number of u values at which the curves are shown (default 5, spread over the grid). */
  points?: number;
  /** Significant digits of the numbers (default 4). */
  digits?: number;
}

const SUMMARY_OPTION_KEYS = optionKeys<SummaryOptions>()(["se", "points", "digits"]);

function pValue(p: number): string {
  if (!Number.isFinite(p)) return "NA";
  return p < 2e-16 ? "<2e-16" : p < 1e-4 ? p.toExponential(1) : p.toPrecision(2);
}

function statisticsLines(s: FitStatistics | undefined, digits: number, effective: boolean): string[] {
  if (!s) return [];
  const f = (v: number) => formatNumber(v, Math.max(digits, 6));
  const lines = [`Log-likelihood ${f(s.logLik)} on ${formatNumber(s.df, digits)} ${effective ? "effective " : ""}df (n = ${s.nobs}):  AIC ${f(s.AIC)}  BIC ${f(s.BIC)}  ICL ${f(s.ICL)}`];
  for (const note of s.notes) lines.push(`  note: ${note}`);
  return lines;
}

function warningLines(warnings: string[]): string[] {
  return warnings.length ? ["", "Warnings:", ...warnings.map((w) => `  - ${w}`)] : [];
}

function curveLabel(c: { part: string; component: number; term: string }): string {
  return c.part === "sigma" || c.part === "theta" ? `${c.part}[${c.component}]` : `${c.part}[${c.component}] ${c.term}`;
}

interface ConstantRow { label: string; estimate: number; se: number; part: string }

/** Estimate, standard error, z value and two-sided p-value of "= 0" (not for σ and θ, which are positive). */
function constantRows(est: ConstantRow[], digits: number): string[][] {
  const rows = [["", "Estimate", "Std. Error", "z value", "Pr(>|z|)"]];
  for (const e of est) {
    const test = e.part !== "sigma" && e.part !== "theta" && Number.isFinite(e.se) && e.se > 0;
    const z = e.estimate / e.se;
    rows.push([e.label, formatNumber(e.estimate, digits), formatNumber(e.se, digits), test ? z.toFixed(2) : "", test ? pValue(2 * normalCdf(-Math.abs(z))) : ""]);
  }
  return rows;
}

function varyingSummary(res: VCMoEFit, o: SummaryOptions): string {
  const { model, diagnostics: dg } = res;
  const digits = o.digits ?? 4;
  const m = res.grid.length;
  const points = Math.min(o.points ?? 5, m);
  const idx = Array.from({ length: points }, (_, k) => Math.round((k * (m - 1)) / Math.max(1, points - 1)));
  const uText = (u: number) => formatNumber(u, 3);
  const lines = [
    `Varying-coefficient mixture of experts: ${model.family} experts, K = ${model.K}, n = ${model.n}${model.droppedRows ? ` (${model.droppedRows} incomplete rows dropped)` : ""}`,
    `  ${model.method} EM${dg.refinement ? " + local refinement" : ""}, ${model.kernel} kernel, bandwidth ${formatNumber(model.bandwidth, digits)} (unit u scale = ${formatNumber(model.bandwidth * (model.uMax - model.uMin), digits)} in u), ${m} grid points over u in [${uText(res.grid[0])}, ${uText(res.grid[m - 1])}]`,
    `  ${res.converged ? "converged" : "NOT converged"} after ${res.iterations} iterations, backend ${model.backend}`,
  ];
  if (model.factors?.length) {
    for (const f of model.factors) lines.push(`  categorical ${f.part === "z" ? "expert" : "gating"} covariate '${f.column}': levels ${f.levels.join(", ")}; ${f.reference === null ? "every level coded" : `reference level "${f.reference}"`}`);
  }
  lines.push("", ...statisticsLines(res.statistics, digits, true));
  const se = o.se;
  const seOf = (c: { part: string; component: number; term: string }) => se?.curves.find((s) => s.part === c.part && s.component === c.component && s.term === c.term);
  if (se && (se.grid.length !== m || se.grid.some((g, j) => Math.abs(g - res.grid[j]) > 1e-9 * (1 + Math.abs(g))))) {
    throw new VCMoEInputError("options.se", "belongs to another fit (its grid differs from the fit's)");
  }
  lines.push("", `Coefficient curves at ${points} values of u (gating: centred logits γ_c − mean_k γ_k${se ? "; standard errors in parentheses" : ""}):`);
  const rows: string[][] = [["u", ...idx.map((j) => uText(res.grid[j]))]];
  for (const c of res.curves) {
    rows.push([curveLabel(c), ...idx.map((j) => formatNumber(c.values[j], digits))]);
    const s = seOf(c);
    if (s) rows.push(["", ...idx.map((j) => `(${formatNumber(s.se[j], Math.max(2, digits - 1))})`)]);
  }
  lines.push(...formatTable(rows));
  if (se && "method" in se) {
    const cv = se.curves.map((c) => c.criticalValue);
    lines.push(`  ${Math.round(se.level * 100)}% simultaneous bands (${se.method}): critical values ${formatNumber(Math.min(...cv), 3)} to ${formatNumber(Math.max(...cv), 3)} (pointwise ${formatNumber(se.details.pointwiseCritical, 3)})`);
  }
  if (res.constants) {
    lines.push("", "Constant coefficients (sandwich standard errors; gating: log-odds of component c against component 1):");
    lines.push(...formatTable(constantRows(res.constants.estimates.map((e: ConstantEstimate) => ({ ...e, label: curveLabel(e) })), digits)));
  }
  if (dg.degenerate) lines.push("", `Degenerate fit: ${dg.degeneracy.join("; ")}`);
  lines.push(...warningLines([...dg.warnings, ...(se?.warnings ?? [])]));
  return lines.join("\n");
}

function constantSummaryText(res: ConstantFit, o: SummaryOptions): string {
  const { model } = res;
  const digits = o.digits ?? 4;
  const lines = [
    `Mixture of experts (constant coefficients): ${model.family} experts, K = ${model.K}, n = ${model.n}${model.droppedRows ? ` (${model.droppedRows} incomplete rows dropped)` : ""}`,
    `  EM ${res.converged ? "converged" : "NOT converged"} after ${res.iterations} iterations (best of ${res.startLogLiks.length} starts), backend ${model.backend}`,
    "", ...statisticsLines(res.statistics, digits, false),
  ];
  const seList = res.standardErrors?.estimates;
  const seFor = (part: string, component: number, term: string) => seList?.find((e) => e.part === part && e.component === component && e.term === term)?.se ?? NaN;
  for (const e of res.experts) {
    const est: ConstantRow[] = Object.entries(e.coefficients).map(([term, estimate]) => ({ part: "expert", label: term, estimate, se: seFor("expert", e.component, term) }));
    if (e.sigma !== undefined) est.push({ part: "sigma", label: "sigma", estimate: e.sigma, se: seFor("sigma", e.component, "sigma") });
    if (e.theta !== undefined) est.push({ part: "theta", label: "theta", estimate: e.theta, se: seFor("sigma", e.component, "sigma") }); // the constants' dispersion id
    lines.push("", `Expert ${e.component} (average posterior weight ${formatNumber(e.weight, 3)}):`);
    lines.push(...formatTable(constantRows(est, digits)));
  }
  if (model.K > 1) {
    lines.push("", "Gating: log-odds of component c against component 1");
    for (const g of res.gating.slice(1)) {
      const est: ConstantRow[] = Object.entries(g.coefficients).map(([term, estimate]) => ({ part: "gating", label: term, estimate, se: seFor("gating", g.component, term) }));
      lines.push(`  component ${g.component}:`, ...formatTable(constantRows(est, digits), "    "));
    }
  }
  if (!res.standardErrors) lines.push("", "Standard errors: not available.");
  else lines.push("", "Standard errors: sandwich (observed information by Louis' identity; model-based ones in res.standardErrors.estimates[].seInformation).");
  lines.push(...warningLines(res.warnings));
  return lines.join("\n");
}

/**
 * Text summary of a fit() or fitConstant() result, like R's summary(): the model,
 * log-likelihood, effective df, AIC/BIC/ICL, the coefficients (curves at a few u
 * values, with standard errors when `options.se` is given; constants with standard
 * errors, z values and p-values) and the warnings.
 *
 * @example
 * const res = await fit(data, { K: 2, bandwidth: 0.25 });
 * console.log(formatSummary(res, { se: await standardErrors(res, data) }));
 * console.log(formatSummary(await fitConstant(data, { K: 2 })));
 */
export function formatSummary(res: VCMoEFit | ConstantFit, options: SummaryOptions = {}): string {
  if (typeof res !== "object" || res === null || typeof res.model !== "object") throw new VCMoEInputError("res", "must be the result of fit() or fitConstant()");
  if (typeof options !== "object" || options === null) throw new VCMoEInputError("options", "must be an object");
  checkOptionKeys("options", options, SUMMARY_OPTION_KEYS, "an option of formatSummary()");
  if (options.points !== undefined && (!Number.isInteger(options.points) || options.points < 2)) throw new VCMoEInputError("options.points", `must be an integer of at least 2, got ${String(options.points)}`);
  if (options.digits !== undefined && (!Number.isInteger(options.digits) || options.digits < 1 || options.digits > 15)) throw new VCMoEInputError("options.digits", `must be an integer from 1 to 15, got ${String(options.digits)}`);
  if ("curves" in res && Array.isArray(res.curves)) return varyingSummary(res, options);
  if ("experts" in res && Array.isArray(res.experts)) {
    if (options.se) throw new VCMoEInputError("options.se", "applies to fit() results; a fitConstant() result carries its own standard errors");
    return constantSummaryText(res, options);
  }
  throw new VCMoEInputError("res", "must be the result of fit() or fitConstant()");
}
