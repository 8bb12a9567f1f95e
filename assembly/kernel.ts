// Kernel functions of the local-linear likelihood. s = (t - g) / h.
import { exp, log } from "./mathx";

export const KERNEL_NONE: i32 = 0;         // weight 1 for every row: global (constant) fits
export const KERNEL_EPANECHNIKOV: i32 = 1; // 3/4 (1 - s^2) on |s| < 1
export const KERNEL_GAUSSIAN: i32 = 2;     // standard normal density, truncated at |s| > 6 (weight < 1e-8)

// @ts-ignore: decorator
@inline export function kernelWeight(kind: i32, s: f64): f64 {
  if (kind == KERNEL_EPANECHNIKOV) {
    const a = 1.0 - s * s;
    return a > 0.0 ? 0.75 * a : 0.0;
  }
  if (kind == KERNEL_GAUSSIAN) {
    return Math.abs(s) <= 6.0 ? 0.3989422804014327 * exp(-0.5 * s * s) : 0.0;
  }
  return 1.0;
}

/** s for row i at grid point g; 0 for global fits, where no slope columns exist. */
// @ts-ignore: decorator
@inline export function scaledDistance(kind: i32, ti: f64, g: f64, h: f64): f64 {
  return kind == KERNEL_NONE ? 0.0 : (ti - g) / h;
}

/**
 * The window [iLo, iHi) of grid point g: stores each row's scaled distance in scr[i] (the
 * per-component loops reuse it) and returns the window's total weight Σ K(s_i)·w_i.
 */
// @ts-ignore: decorator
@inline export function windowDistances(kind: i32, t: Float64Array, w: Float64Array, g: f64, h: f64, iLo: i32, iHi: i32, scr: Float64Array): f64 {
  let totalKw = 0.0;
  for (let i = iLo; i < iHi; i++) {
    const s = scaledDistance(kind, unchecked(t[i]), g, h);
    unchecked(scr[i] = s);
    totalKw += kernelWeight(kind, s) * unchecked(w[i]);
  }
  return totalKw;
}

/**
 * A dispersion (σ or θ) of a row between grid points a and b with weight lb on b:
 * linear interpolation inside the grid; outside it (lb < 0 or > 1) geometric
 * extrapolation, which stays positive where a linear one could cross zero.
 */
// @ts-ignore: decorator
@inline export function interpDispersion(pa: f64, pb: f64, lb: f64): f64 {
  if (lb >= 0.0 && lb <= 1.0) return (1.0 - lb) * pa + lb * pb;
  return exp((1.0 - lb) * log(pa) + lb * log(pb));
}

/**
 * Linear predictor of row i at a grid point from local-linear coefficients work[par..]:
 * the row's offset plus Σ_k z_ik β_k + z_ik s β_{q+k} (the slope terms when d > q).
 */
// @ts-ignore: decorator
@inline export function localPredictor(offset: f64, Z: Float64Array, i: i32, q: i32, d: i32, s: f64, work: Float64Array, par: i32): f64 {
  let eta = offset;
  for (let k = 0; k < q; k++) {
    const zv = unchecked(Z[i * q + k]);
    eta += zv * unchecked(work[par + k]);
    if (d > q) eta += zv * s * unchecked(work[par + q + k]);
  }
  return eta;
}

/**
 * Writes row i of the local-linear design at a grid point to work[off..off+d): the
 * row's values m_ik (width columns of M), then, when d > width, m_ik·s (their slopes).
 */
// @ts-ignore: decorator
@inline export function localDesignRow(M: Float64Array, i: i32, width: i32, d: i32, s: f64, work: Float64Array, off: i32): void {
  for (let k = 0; k < width; k++) {
    const v = unchecked(M[i * width + k]);
    unchecked(work[off + k] = v);
    if (d > width) unchecked(work[off + width + k] = v * s);
  }
}
