// Internal standardisation: fits run on data whose expert and gating columns (and, for a
// family whose response has units, the response) are divided by a scale of their own, so
// that the kernels' absolute constants (ridges, singularity thresholds, the EM's
// convergence test |Δℓ| <= tol·(|ℓ| + 1), the σ floor's start) meet numbers of order one
// whatever units the caller measured in (glmnet and statsmodels standardise for the same
// reason). Results are reported on the caller's scale by the inverse map here.
//
// Choices (docs/reliability.md, "Units"):
// - Scales are powers of two: dividing by one is exact in floating point, so data already of
//   order one (scale 1) fit bit for bit as before, a fit on y·2^k is the fit on y, and the
//   back-transform adds no rounding.
// - Columns are scaled, not centred: centring would move the intercepts, and their standard
//   errors would then need the covariance between coefficients at a grid point, which the
//   inference kernels do not report. A column's scale is its weighted root mean square (a
//   column of 1e9 + noise scales to about 1, not to 1e9 times its noise).
// - The response is scaled by its weighted standard deviation when the family says its
//   response has units (Gaussian: FamilyDriver.scaleResponse); counts and successes keep theirs,
//   and offsets are on the link scale, which no scaling touches.
// - u needs nothing here: prepareData maps it to [0, 1] already.
import { log } from "../core/detmath.js";
import type { Dataset } from "../data/dataset.js";
import type { FamilyDriver } from "../model/families/index.js";
import type { LocalGrid } from "../model/grid.js";
import { kernelWeight } from "../model/kernel.js";
import type { ConstantInference } from "../model/result.js";
import type { GridParams } from "./workspace.js";

export interface Scaling {
  /** The response is divided by this (1 when the family's response is not scaled). */
  y: number;
  /** Expert design column k is divided by z[k], gating column k by x[k]. */
  z: Float64Array;
  x: Float64Array;
  /** Σ_i w_i: the caller's log-likelihood is the internal one minus weight·log(y). */
  weight: number;
}

/** 2^k, built from its bits (exact, and the same in every engine). */
function pow2(k: number): number {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setUint32(0, (k + 1023) << 20);
  dv.setUint32(4, 0);
  return dv.getFloat64(0);
}

/**
 * The power of two nearest to v > 0 on the log scale (v/2^k in [√½, √2)); 1 when v is 0 or
 * not finite. Read from the bits of v so that no engine's log2 decides a borderline case.
 */
export function nearestPowerOfTwo(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 1;
  const dv = new DataView(new ArrayBuffer(8));
  let lift = 0;
  if (v < 2.2250738585072014e-308) { v *= pow2(600); lift = 600; } // subnormal: normalise first (exact)
  dv.setFloat64(0, v);
  let e = ((dv.getUint32(0) >>> 20) & 0x7ff) - 1023 - lift;
  dv.setUint32(0, (dv.getUint32(0) & 0x800fffff) | (1023 << 20)); // mantissa in [1, 2)
  if (dv.getFloat64(0) >= Math.SQRT2) e++;
  return pow2(Math.max(-1000, Math.min(1000, e)));
}

/**
 * Weighted root mean square (centred: standard deviation) of column `k` of a row-major
 * n×d matrix, computed on the column divided by its largest magnitude so that neither
 * 1e-300 nor 1e150 under- or overflows when squared.
 */
function columnScale(M: Float64Array, d: number, k: number, w: Float64Array, centred: boolean): number {
  const n = w.length;
  let big = 0, W = 0;
  for (let i = 0; i < n; i++) if (w[i] > 0) { big = Math.max(big, Math.abs(M[i * d + k])); W += w[i]; }
  if (!(big > 0) || !(W > 0)) return 0;
  let mean = 0;
  if (centred) {
    for (let i = 0; i < n; i++) if (w[i] > 0) mean += w[i] * (M[i * d + k] / big);
    mean /= W;
  }
  let ss = 0;
  for (let i = 0; i < n; i++) if (w[i] > 0) { const v = M[i * d + k] / big - mean; ss += w[i] * v * v; }
  return big * Math.sqrt(ss / W);
}

/** The scales of a prepared (and family-completed) data set. */
export function scalingOf(ds: Dataset, family: Pick<FamilyDriver, "scaleResponse">): Scaling {
  let weight = 0;
  for (let i = 0; i < ds.n; i++) weight += ds.w[i];
  return {
    y: family.scaleResponse ? nearestPowerOfTwo(columnScale(ds.y, 1, 0, ds.w, true)) : 1,
    z: Float64Array.from({ length: ds.q }, (_, k) => nearestPowerOfTwo(columnScale(ds.Z, ds.q, k, ds.w, false))),
    x: Float64Array.from({ length: ds.p }, (_, k) => nearestPowerOfTwo(columnScale(ds.X, ds.p, k, ds.w, false))),
    weight,
  };
}

/** True when the scaling changes nothing (every scale 1). */
export function isIdentity(sc: Scaling): boolean {
  return sc.y === 1 && sc.z.every((v) => v === 1) && sc.x.every((v) => v === 1);
}

function divideColumns(M: Float64Array, s: Float64Array): Float64Array {
  const d = s.length, out = new Float64Array(M.length);
  for (let i = 0; i < M.length; i++) out[i] = M[i] / s[i % d];
  return out;
}

/** The data set the fit computes on: y, Z and X divided by their scales (a new object; `ds` is unchanged). */
export function standardise(ds: Dataset, sc: Scaling): Dataset {
  if (isIdentity(sc)) return ds;
  return { ...ds, y: sc.y === 1 ? ds.y : ds.y.map((v) => v / sc.y), Z: divideColumns(ds.Z, sc.z), X: divideColumns(ds.X, sc.x) };
}

/** A prepared data set and its scaling, in one step (for the inference and model-choice functions). */
export function internalData(ds: Dataset, family: Pick<FamilyDriver, "scaleResponse">): { ds: Dataset; scaling: Scaling } {
  const scaling = scalingOf(ds, family);
  return { ds: standardise(ds, scaling), scaling };
}

/** Factor from an internal expert coefficient of column k to the caller's: y-scale / z-scale. */
export function expertFactor(sc: Scaling, k: number): number {
  return sc.y / sc.z[k];
}

/** Factor from an internal gating coefficient of column k to the caller's. */
export function gatingFactor(sc: Scaling, k: number): number {
  return 1 / sc.x[k];
}

/** The factor of the dispersion φ: σ carries the response's units, θ (counts) has none and y is then unscaled. */
export function dispersionFactor(sc: Scaling): number {
  return sc.y;
}

/** Caller's log-likelihood minus internal: the Jacobian of y ↦ y/s, −Σ_i w_i log s (0 when y is unscaled). */
export function logLikShift(sc: Scaling, weight = sc.weight): number {
  return sc.y === 1 ? 0 : -weight * log(sc.y);
}

/**
 * The factor of a reported coefficient (a curve, a constant coefficient): expert terms and
 * σ carry the response's units over their column's, gating terms the inverse of their
 * column's; θ has none.
 */
export function coefficientFactor(sc: Scaling, names: { zNames: string[]; xNames: string[] }, part: string, term: string): number {
  if (part === "expert") return expertFactor(sc, names.zNames.indexOf(term));
  if (part === "gating") return gatingFactor(sc, names.xNames.indexOf(term));
  if (part === "sigma") return dispersionFactor(sc);
  return 1;
}

/** Grid parameters mapped by per-coefficient factors: `dir` 1 internal → caller, −1 caller → internal. */
function mapParams(P: GridParams, sc: Scaling, dir: 1 | -1): GridParams {
  const q = sc.z.length, p = sc.x.length;
  const fz = Float64Array.from({ length: q }, (_, k) => expertFactor(sc, k));
  const fx = Float64Array.from({ length: p }, (_, k) => gatingFactor(sc, k));
  const fphi = dispersionFactor(sc);
  const by = (a: Float64Array, f: Float64Array) => a.map((v, i) => (dir === 1 ? v * f[i % f.length] : v / f[i % f.length]));
  return {
    m: P.m, alpha: by(P.alpha, fz), alphaS: by(P.alphaS, fz), gamma: by(P.gamma, fx), gammaS: by(P.gammaS, fx),
    phi: P.phi.map((v) => (dir === 1 ? v * fphi : v / fphi)),
  };
}

/** Internal parameters on the caller's scale. */
export function paramsToCaller(P: GridParams, sc: Scaling): GridParams {
  return isIdentity(sc) ? P : mapParams(P, sc, 1);
}

/** The caller's parameters (a fit result's table) on the internal scale. */
export function paramsToInternal(P: GridParams, sc: Scaling): GridParams {
  return isIdentity(sc) ? P : mapParams(P, sc, -1);
}

/**
 * Caller's smoothed log-likelihood ℓ_S minus internal on a grid: ℓ_S = Σ_i w_i S_i log Σ_c exp(a_ic)
 * with S_i = Σ_j K((t_i − g_j)/h) (assembly/estep.ts estepSmoothed), so the Jacobian counts
 * each row S_i times.
 */
export function smoothedLogLikShift(sc: Scaling, ds: Pick<Dataset, "t" | "w">, local: LocalGrid): number {
  if (sc.y === 1 || local.kernel === null) return local.kernel === null ? logLikShift(sc) : 0;
  const { grid, h, kernel, geometry: { lo, hi } } = local;
  let ws = 0;
  for (let j = 0; j < grid.length; j++) {
    for (let i = lo[j]; i < hi[j]; i++) ws += ds.w[i] * kernelWeight(kernel, (ds.t[i] - grid[j]) / h);
  }
  return logLikShift(sc, ws);
}

/** Hybrid fits' constant coefficients on the caller's scale (estimates, standard errors, covariance). */
export function constantsToCaller(ci: ConstantInference, sc: Scaling, names: { zNames: string[]; xNames: string[] }): ConstantInference {
  if (isIdentity(sc)) return ci;
  const f = ci.estimates.map((e) => coefficientFactor(sc, names, e.part, e.term));
  const estimates = ci.estimates.map((e, a) => ({ ...e, estimate: e.estimate * f[a], se: e.se * Math.abs(f[a]), seInformation: e.seInformation * Math.abs(f[a]) }));
  const covariance = ci.covariance.map((row, a) => row.map((v, b) => v * f[a] * f[b]));
  // a column of tiny scale (|values| ~ 1e-300) has coefficients near 1e300, whose variances overflow
  const overflowed = ci.estimates.filter((e, a) => Number.isFinite(ci.covariance[a]?.[a]) && !Number.isFinite(covariance[a]?.[a])
    || (Number.isFinite(e.se) && !Number.isFinite(estimates[a].se)) || (Number.isFinite(e.estimate) && !Number.isFinite(estimates[a].estimate)));
  const warnings = overflowed.length === 0 ? ci.warnings : [...ci.warnings, `on the data's scale the (co)variance of ${overflowed.map((e) => `${e.part}${e.component === undefined ? "" : `[${e.component}]`} ${e.term}`).join(", ")} exceeds double precision (a covariate of tiny magnitude): rescale the column to read them`];
  return { ...ci, estimates, covariance, warnings };
}

/** A result's parameter table (plain arrays on the caller's scale) as grid parameters on the internal scale. */
export function tableToInternal(P: { alpha: ArrayLike<number>; alphaS: ArrayLike<number>; phi: ArrayLike<number>; gamma: ArrayLike<number>; gammaS: ArrayLike<number> }, m: number, sc: Scaling): GridParams {
  return paramsToInternal({
    m, alpha: Float64Array.from(P.alpha), alphaS: Float64Array.from(P.alphaS), phi: Float64Array.from(P.phi),
    gamma: Float64Array.from(P.gamma), gammaS: Float64Array.from(P.gammaS),
  }, sc);
}
