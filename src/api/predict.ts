// predict(): gating probabilities, component means, the mixture mean and (when y
// is given) posterior membership at new (z, x, u), from a fit's grid curves.
import { withCore, resolveBackend, type BackendName } from "../core/backend.js";
import { checkMagnitude, MAX_MAGNITUDE, MAX_OFFSET, splitRows, toFloat64, type Column } from "../data/columns.js";
import { VCMoEInputError } from "../errors.js";
import type { VCMoEFit } from "../model/result.js";
import { INTERCEPT, type Covariate } from "../data/dataset.js";
import { DEFAULT_FAMILY, FAMILIES } from "../model/families/index.js";
import { auxColumns } from "../core/aux.js";
import { gridBrackets, unitScale } from "../model/grid.js";
import { codeFactor, type FactorCoding } from "../data/categorical.js";
import { checkOptionKeys, optionKeys } from "../data/optionKeys.js";
import { checkFitResult } from "../model/checkFit.js";

export interface PredictData {
  u: Column;
  /** Covariates by name as in the fit; categorical ones as text (or factor()) with the fit's levels. */
  z?: Record<string, Column | Covariate>;
  x?: Record<string, Column | Covariate>;
  /** When given, posterior membership probabilities are returned too. */
  y?: Column;
  /** Binomial: trials of each row (needed with y; default 1). */
  trials?: Column;
  /** GLM families: offset added to the linear predictor (default 0, e.g. log exposure 1). */
  offset?: Column;
}

export interface Prediction {
  /** n×K gating probabilities π_c(x, u). */
  gating: number[][];
  /**
   * n×K component means on the response scale: Gaussian zᵀα_c(u); binomial the success
   * probability logistic(zᵀα_c(u) + offset); Poisson and negative binomial exp(zᵀα_c(u) + offset).
   */
  componentMeans: number[][];
  /** n×K linear predictors zᵀα_c(u) + offset (link scale). */
  linearPredictors: number[][];
  /** Mixture mean Σ_c π_c μ_c. */
  mean: number[];
  /** n×K posterior probabilities (only when y is given). */
  posteriors?: number[][];
  /** Rows whose u lies outside the fitted range (curves extrapolated linearly). */
  extrapolated: number;
  /** Problems with the predictions (e.g. component means that overflow). */
  warnings: string[];
}

export interface PredictOptions {
  /** Core to compute on (default: the fit's backend). */
  backend?: BackendName;
}

const PREDICT_OPTION_KEYS = optionKeys<PredictOptions>()(["backend"]);
const PREDICT_DATA_KEYS = optionKeys<PredictData>()(["u", "z", "x", "y", "trials", "offset"]);

/** The design columns of the categorical covariates of one part, coded with the fit's levels (unseen levels are errors). */
function codedFactors(argument: string, part: "z" | "x", factors: FactorCoding[] | undefined, cols: Record<string, unknown> | undefined, n: number): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  for (const f of factors ?? []) {
    if (f.part !== part) continue;
    if (!cols || !(f.column in cols)) throw new VCMoEInputError(`${argument}.${f.column}`, `is required: the fit uses this categorical covariate (levels ${f.levels.map((l) => `"${l}"`).join(", ")})`);
    for (const [term, col] of codeFactor(`${argument}.${f.column}`, part, f.column, cols[f.column], n, false, f).columns) out.set(term, col);
  }
  return out;
}

function design(argument: string, names: string[], cols: Record<string, unknown> | undefined, n: number, coded: Map<string, Float64Array>): Float64Array {
  const d = names.length;
  const M = new Float64Array(n * d);
  names.forEach((nm, k) => {
    if (nm === INTERCEPT) { for (let i = 0; i < n; i++) M[i * d + k] = 1; return; }
    const fromFactor = coded.get(nm);
    if (!fromFactor && (!cols || !(nm in cols))) throw new VCMoEInputError(`${argument}.${nm}`, "is required: the fit uses this covariate");
    const v = fromFactor ?? toFloat64(`${argument}.${nm}`, cols![nm], n);
    checkMagnitude(`${argument}.${nm}`, v, MAX_MAGNITUDE, "their squares must fit in double precision; rescale the column");
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(v[i])) throw new VCMoEInputError(`${argument}.${nm}`, `has a non-finite value at row ${i}`);
      M[i * d + k] = v[i];
    }
  });
  return M;
}

/**
 * Predicts from a fitted model at new data.
 * @example
 * const pr = await predict(res, { u: [0.2, 0.8], z: { z1: [0, 1] }, x: { x1: [0, 0] } });
 * pr.mean; // mixture means
 */
export async function predict(fitResult: VCMoEFit, newData: PredictData, options: PredictOptions = {}): Promise<Prediction> {
  checkFitResult(fitResult);
  if (!newData || typeof newData !== "object") throw new VCMoEInputError("newData", "must be an object { u, z?, x?, y? }");
  for (const part of ["z", "x"] as const) {
    const cols = newData[part];
    if (cols !== undefined && (typeof cols !== "object" || cols === null || Array.isArray(cols) || ArrayBuffer.isView(cols))) {
      throw new VCMoEInputError(`newData.${part}`, "must be an object mapping covariate names to columns");
    }
  }
  checkOptionKeys("newData", newData, PREDICT_DATA_KEYS, "a column predict() uses");
  checkOptionKeys("options", options, PREDICT_OPTION_KEYS, "an option of predict()");
  const pr = await predictArrays(fitResult, newData, options);
  const { n, K } = pr;
  const rowsOf = (a: Float64Array) => splitRows(a.subarray(0, n * K), K);
  const componentMeans = rowsOf(pr.mu);
  const warnings: string[] = [];
  const overflow = componentMeans.filter((row) => row.some((v) => !Number.isFinite(v))).length;
  if (overflow > 0) warnings.push(`component means are not finite at ${overflow} row(s): the linear predictor is too large for the inverse link (exp overflows beyond 709)`);
  const out: Prediction = { gating: rowsOf(pr.G), componentMeans, linearPredictors: rowsOf(pr.eta), mean: Array.from(pr.mean), extrapolated: pr.extrapolated, warnings };
  if (pr.posteriors) out.posteriors = rowsOf(pr.posteriors);
  return out;
}

/** predict()'s numbers as n×K row-major arrays (posteriors when newData.y is given); newData checked as predict() does. @internal */
export async function predictArrays(fitResult: VCMoEFit, newData: PredictData, options: PredictOptions = {}): Promise<{
  n: number; K: number; G: Float64Array; eta: Float64Array; mu: Float64Array; mean: Float64Array; posteriors: Float64Array | null; extrapolated: number;
}> {
  const { model, parameters: P } = fitResult;
  const { K } = model;
  const q = model.zNames.length, p = model.xNames.length;
  const u = toFloat64("newData.u", newData.u, -1);
  const n = u.length;
  for (let i = 0; i < n; i++) if (!Number.isFinite(u[i])) throw new VCMoEInputError("newData.u", `has a non-finite value at row ${i}`);
  checkMagnitude("newData.u", u, MAX_MAGNITUDE, "rescale the column");
  const Z = design("newData.z", model.zNames, newData.z, n, codedFactors("newData.z", "z", model.factors, newData.z, n));
  const X = design("newData.x", model.xNames, newData.x, n, codedFactors("newData.x", "x", model.factors, newData.x, n));
  const family = model.family ?? DEFAULT_FAMILY;
  const fam = FAMILIES[family];
  const column = (argument: string, v: unknown, allowed: boolean): Float64Array | null => {
    if (v === undefined) return null;
    if (!allowed) throw new VCMoEInputError(argument, `is not used by the '${family}' family`);
    const c = toFloat64(argument, v, n);
    for (let i = 0; i < n; i++) if (!Number.isFinite(c[i])) throw new VCMoEInputError(argument, `has a non-finite value at row ${i}`);
    if (argument.endsWith("offset")) checkMagnitude(argument, c, MAX_OFFSET, "an offset is on the link scale, where exp() overflows beyond 709");
    else checkMagnitude(argument, c, MAX_MAGNITUDE, "their squares must fit in double precision; rescale the column");
    return c;
  };
  const y = column("newData.y", newData.y, true);
  const trials = column("newData.trials", newData.trials, fam.accepts.trials);
  const offset = column("newData.offset", newData.offset, fam.accepts.offset);
  if (y) fam.checkResponse(y, trials, "newData", (r) => r);
  const grid = P.gridUnit;
  const range = model.uMax - model.uMin;
  const { jl, jr, lam, extrapolated } = gridBrackets(grid, unitScale(u, model.uMin, range));
  return withCore(resolveBackend(options.backend ?? model.backend), (core) => {
    const rows = core.struct("Rows", { n, K, q, p, family: fam.code, X: core.f64From(X) });
    const curves = core.struct("Grid", {
      jl: core.i32From(jl), jr: core.i32From(jr), lam: core.f64From(lam),
      alpha: core.f64From(P.alpha), phi: core.f64From(P.phi), gamma: core.f64From(P.gamma),
    });
    const Gbuf = core.f64(n * K);
    core.kernels.gatingProbs(rows, curves, Gbuf);
    const G = Gbuf.view().slice();
    const eta = new Float64Array(n * K), mu = new Float64Array(n * K), mean = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let mix = 0;
      for (let c = 0; c < K; c++) {
        let ma = 0, mb = 0;
        for (let k = 0; k < q; k++) {
          ma += Z[i * q + k] * P.alpha[(jl[i] * K + c) * q + k];
          mb += Z[i * q + k] * P.alpha[(jr[i] * K + c) * q + k];
        }
        const e = (1 - lam[i]) * ma + lam[i] * mb + (offset ? offset[i] : 0);
        const v = fam.mean(e);
        eta[i * K + c] = e;
        mu[i * K + c] = v;
        mix += G[i * K + c] * v;
      }
      mean[i] = mix;
    }
    let posteriors: Float64Array | null = null;
    if (y) {
      const R = core.f64(n * K);
      // trials default to 1 for the families that take them
      const auxv = auxColumns(n, offset, fam.accepts.trials ? trials ?? new Float64Array(n).fill(1) : null);
      rows.set({ y: core.f64From(y), w: core.f64From(new Float64Array(n).fill(1)), Z: core.f64From(Z), aux: core.f64From(auxv), R, rowLL: core.f64(n) });
      core.kernels.familyRowConstants(rows);
      core.kernels.estepInterp(rows, curves);
      posteriors = R.view().slice();
    }
    return { n, K, G, eta, mu, mean, posteriors, extrapolated };
  });
}
