// The fit result as a model object, as R's and statsmodels' users expect: coef(),
// fitted(), residuals(), logLik(), AIC(), BIC(), ICL(), nobs() and the effective
// degrees of freedom work on every fit and fitConstant result. The statistics are
// computed once when the fit is made (they need the data, which the result does not
// keep) and stored in the plain-JSON result, so they survive JSON round trips.
import { toFloat64 } from "../data/columns.js";
import { prepareData, type Dataset, type VCMoEData } from "../data/dataset.js";
import { isFactor } from "../data/categorical.js";
import { VCMoEInputError } from "../errors.js";
import { applyFamily, FAMILIES, familyOf } from "../model/families/index.js";
import { effectiveDfFromDataset, type EffectiveDf } from "../select/df.js";
import { classificationEntropy, informationCriteria } from "../select/criteria.js";
import type { ConstantFit, FitStatistics, VCMoEFit } from "../model/result.js";
import type { ConstantFitOptions } from "../model/spec.js";
import { predictArrays, type PredictData } from "./predict.js";
import { exp } from "../core/detmath.js";

export type { FitStatistics } from "../model/result.js";

/** A coefficient's value at one u (or the constant of a fitConstant result). */
export interface CoefficientValue {
  part: "expert" | "gating" | "sigma" | "theta";
  component: number;
  term: string;
  value: number;
}

/** A coefficient curve at several values of u. */
export interface CoefficientCurve {
  part: "expert" | "gating" | "sigma" | "theta";
  component: number;
  term: string;
  u: number[];
  values: number[];
}

type AnyFit = VCMoEFit | ConstantFit;

function isVarying(res: AnyFit): res is VCMoEFit {
  return Array.isArray((res as VCMoEFit).curves) && Array.isArray((res as VCMoEFit).grid);
}

function checkFit(res: unknown): asserts res is AnyFit {
  if (typeof res !== "object" || res === null || typeof (res as AnyFit).logLik !== "number" || typeof (res as AnyFit).model !== "object") {
    throw new VCMoEInputError("fitResult", "must be the result of fit() or fitConstant()");
  }
}

function statisticsOf(res: AnyFit): FitStatistics {
  checkFit(res);
  if (!res.statistics) throw new VCMoEInputError("fitResult", "has no statistics (a result saved by an older version of vcmoe?); refit it");
  return res.statistics;
}

function positiveRows(w: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < w.length; i++) if (w[i] > 0) n++;
  return n;
}

/** The caller's data restricted to the rows the fit kept (incomplete rows dropped), in the caller's order. */
function keptData(data: VCMoEData, ds: Dataset): PredictData {
  const keep = ds.droppedRows > 0 ? Array.from(ds.keptRows) : null;
  const pick = <T>(v: T): T => {
    if (!keep || v === undefined) return v;
    if (isFactor(v)) return { ...v, values: keep.map((i) => v.values[i]) } as T;
    return keep.map((i) => (v as unknown as ArrayLike<unknown>)[i]) as T;
  };
  const part = (o: Record<string, unknown> | undefined) => (o === undefined ? undefined : Object.fromEntries(Object.entries(o).map(([k, v]) => [k, pick(v)])));
  return {
    u: pick(data.u), y: pick(data.y), z: part(data.z) as PredictData["z"], x: part(data.x) as PredictData["x"],
    trials: pick(data.trials), offset: pick(data.offset),
  };
}

/**
 * Effective df of a varying-coefficient fit (src/select/df.ts). GLM families: the expert
 * parts are the traces of the IRLS hat matrices (the core's smoother traces carry each
 * row's working weight at the local fit); the dispersion part exists only where the
 * family has a dispersion curve (θ constant per component: one parameter each).
 */
async function varyingDf(res: VCMoEFit, ds: Dataset): Promise<{ df: EffectiveDf; parts: NonNullable<FitStatistics["dfParts"]>; notes: string[] }> {
  const fam = FAMILIES[res.model.family];
  const df = await effectiveDfFromDataset(res, ds);
  const notes: string[] = [];
  if (fam.expertStep === "irls") notes.push("expert df: traces of the local IRLS hat matrices with the working weights of the local fits");
  if (res.constants) notes.push("hybrid fit: each constant coefficient counts 1; the varying ones are the traces of their local fits with the constants as offsets");
  if (df.irregularGridPoints > 0) notes.push(`${df.irregularGridPoints} grid point(s) needed a ridge or had no weight: their share of df may be understated`);
  return { df, parts: { expert: df.expert, dispersion: df.sigma, gating: df.gating }, notes };
}

function bracket(res: VCMoEFit, u: number): { j: number; lam: number } {
  const g = res.grid, m = g.length;
  let a = 0, b = m - 2;
  while (a < b) { const mid = (a + b + 1) >> 1; if (g[mid] <= u) a = mid; else b = mid - 1; }
  return { j: a, lam: (u - g[a]) / (g[a + 1] - g[a]) };
}

function interpolate(res: VCMoEFit, values: number[], u: number): number {
  const { j, lam } = bracket(res, u);
  return (1 - lam) * values[j] + lam * values[j + 1];
}

/**
 * Adds statistics, fitted values and residuals to a varying-coefficient fit made
 * from `data` (called by fit()). @internal
 */
export async function completeFit(res: VCMoEFit, data: VCMoEData, prepared?: Dataset): Promise<VCMoEFit> {
  // the fit's own checked, sorted rows when it passes them (fit() does), else prepared again
  let ds = prepared;
  if (!ds) {
    ds = prepareData(data, { intercept: res.model.intercept, missing: res.model.droppedRows > 0 ? "drop" : "error" });
    applyFamily(ds, FAMILIES[res.model.family]);
  }
  const kept = keptData(data, ds);
  // the mixture means only (predict()'s arithmetic; no posteriors: y is left out)
  const pr = await predictArrays(res, { ...kept, y: undefined });
  const y = toFloat64("data.y", kept.y, -1);
  const trials = kept.trials === undefined ? null : toFloat64("data.trials", kept.trials, -1);
  const fam = FAMILIES[res.model.family];
  // response scale: binomial means are success probabilities, y counts successes
  const fitted = new Array<number>(pr.n), residuals = new Array<number>(pr.n);
  for (let i = 0; i < pr.n; i++) {
    fitted[i] = fam.accepts.trials ? pr.mean[i] * (trials ? trials[i] : 1) : pr.mean[i];
    residuals[i] = y[i] - fitted[i];
  }
  const w = new Float64Array(ds.n);
  for (let r = 0; r < ds.n; r++) w[ds.order[r]] = ds.w[r];
  const { parts, df, notes } = await varyingDf(res, ds);
  const nobs = positiveRows(w);
  const entropy = classificationEntropy(res.posteriors, w);
  const statistics: FitStatistics = {
    logLik: res.logLik, df: df.total, dfParts: parts, nobs, ...informationCriteria(res.logLik, df.total, nobs, entropy), entropy, notes,
  };
  return { ...res, statistics, fitted, residuals };
}

/** Statistics, fitted values and residuals of a constant-coefficient fit made from `data` (called by fitConstant()). @internal */
export function completeConstantFit(res: ConstantFit, data: Omit<VCMoEData, "u"> & { u?: VCMoEData["u"] }, options: ConstantFitOptions): ConstantFit {
  const n0 = (data.y as ArrayLike<number>).length;
  // as fitConstant: u plays no role, an increasing dummy keeps the data checks uniform
  const ds = prepareData({ ...data, u: data.u ?? Float64Array.from({ length: n0 }, (_, i) => i) }, options);
  const fam = familyOf(options.family);
  applyFamily(ds, fam);
  const { K } = res.model;
  const { n, q, p } = ds;
  const df = K * q + (fam.dispersion ? K : 0) + (K - 1) * p;
  const fittedSorted = new Float64Array(n);
  const eta = new Float64Array(K), pi = new Float64Array(K);
  for (let r = 0; r < n; r++) {
    let mx = -Infinity;
    for (let c = 0; c < K; c++) {
      let g = 0;
      for (let k = 0; k < p; k++) g += ds.X[r * p + k] * res.gating[c].coefficients[ds.xNames[k]];
      pi[c] = g; mx = Math.max(mx, g);
      let e = ds.offset ? ds.offset[r] : 0;
      for (let k = 0; k < q; k++) e += ds.Z[r * q + k] * res.experts[c].coefficients[ds.zNames[k]];
      eta[c] = e;
    }
    let s = 0;
    for (let c = 0; c < K; c++) { pi[c] = exp(pi[c] - mx); s += pi[c]; }
    let mean = 0;
    for (let c = 0; c < K; c++) mean += (pi[c] / s) * fam.mean(eta[c]);
    fittedSorted[r] = fam.accepts.trials ? mean * (ds.trials ? ds.trials[r] : 1) : mean;
  }
  const fitted = new Array<number>(n), residuals = new Array<number>(n), w = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const i = ds.order[r];
    fitted[i] = fittedSorted[r];
    residuals[i] = ds.y[r] - fittedSorted[r];
    w[i] = ds.w[r];
  }
  const nobs = positiveRows(w);
  const entropy = classificationEntropy(res.posteriors, w);
  return {
    ...res, fitted, residuals,
    statistics: { logLik: res.logLik, df, nobs, ...informationCriteria(res.logLik, df, nobs, entropy), entropy, notes: [] },
  };
}

/**
 * Coefficients. For a fit() result: every curve (expert coefficients, σ/θ, centred
 * gating logits) at the grid, at the given u values (linear interpolation between grid
 * points, as the E-step does; u must lie within the grid), or — for a single number u —
 * the value of each coefficient there. For a fitConstant() result: the constants
 * (gating as centred logits).
 *
 * @example
 * const res = await fit(data, { K: 2, bandwidth: 0.25 });
 * coef(res, 0.5);              // [{ part: "expert", component: 1, term: "(Intercept)", value: ... }, ...]
 * coef(res, [0.2, 0.4, 0.6]);  // [{ part, component, term, u: [0.2, 0.4, 0.6], values: [...] }, ...]
 */
export function coef(res: ConstantFit): CoefficientValue[];
export function coef(res: VCMoEFit, u: number): CoefficientValue[];
export function coef(res: VCMoEFit, u?: ArrayLike<number>): CoefficientCurve[];
export function coef(res: AnyFit, u?: number | ArrayLike<number>): CoefficientValue[] | CoefficientCurve[] {
  checkFit(res);
  if (!isVarying(res)) {
    const c = res as ConstantFit;
    const out: CoefficientValue[] = [];
    for (const e of c.experts) {
      for (const [term, value] of Object.entries(e.coefficients)) out.push({ part: "expert", component: e.component, term, value });
      if (e.sigma !== undefined) out.push({ part: "sigma", component: e.component, term: "sigma", value: e.sigma });
      if (e.theta !== undefined) out.push({ part: "theta", component: e.component, term: "theta", value: e.theta });
    }
    for (const g of c.gatingCentred) for (const [term, value] of Object.entries(g.coefficients)) out.push({ part: "gating", component: g.component, term, value });
    return out;
  }
  if (u === undefined) return res.curves.map((c) => ({ part: c.part, component: c.component, term: c.term, u: res.grid.slice(), values: c.values.slice() }));
  const us = typeof u === "number" ? [u] : Array.from(toFloat64("u", u, -1));
  const lo = res.grid[0], hi = res.grid[res.grid.length - 1];
  us.forEach((v, i) => {
    if (!(v >= lo && v <= hi)) throw new VCMoEInputError("u", `${typeof u === "number" ? "" : `value ${i} `}(${v}) lies outside the fitted grid [${lo}, ${hi}]; coefficients are not extrapolated`);
  });
  if (typeof u === "number") return res.curves.map((c) => ({ part: c.part, component: c.component, term: c.term, value: interpolate(res, c.values, u) }));
  return res.curves.map((c) => ({ part: c.part, component: c.component, term: c.term, u: us, values: us.map((v) => interpolate(res, c.values, v)) }));
}

/**
 * Fitted values: the mixture mean Σ_c π_c μ_c at each observation (response scale;
 * binomial: expected successes), rows in the caller's order, incomplete rows dropped.
 * @example
 * fitted(res)[0];
 */
export function fitted(res: AnyFit): number[] {
  checkFit(res);
  if (!Array.isArray(res.fitted)) throw new VCMoEInputError("fitResult", "has no fitted values (a result saved by an older version of vcmoe?); refit it");
  return res.fitted.slice();
}

/**
 * Response residuals y − fitted(res), rows as in fitted().
 * @example
 * residuals(res).reduce((a, r) => a + r * r, 0);
 */
export function residuals(res: AnyFit): number[] {
  checkFit(res);
  if (!Array.isArray(res.residuals)) throw new VCMoEInputError("fitResult", "has no residuals (a result saved by an older version of vcmoe?); refit it");
  return res.residuals.slice();
}

/** The observed-data log-likelihood. @example logLik(res); */
export function logLik(res: AnyFit): number {
  checkFit(res);
  return res.logLik;
}

/** Effective number of parameters (see FitStatistics.df). @example effectiveDf(res); */
export function effectiveDf(res: AnyFit): number {
  return statisticsOf(res).df;
}

/** Number of observations (rows with positive weight). @example nobs(res); */
export function nobs(res: AnyFit): number {
  return statisticsOf(res).nobs;
}

/** Akaike's criterion −2ℓ + 2·df. @example AIC(res); */
export function AIC(res: AnyFit): number {
  return statisticsOf(res).AIC;
}

/** Bayesian information criterion −2ℓ + df·log n (as selectK). @example BIC(res); */
export function BIC(res: AnyFit): number {
  return statisticsOf(res).BIC;
}

/** Integrated completed likelihood BIC + 2·entropy (as selectK). @example ICL(res); */
export function ICL(res: AnyFit): number {
  return statisticsOf(res).ICL;
}
