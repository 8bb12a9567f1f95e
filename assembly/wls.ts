// Gaussian expert M-step: kernel- and posterior-weighted least squares at each grid
// point, local-linear design [z, z·s] (or [z] for a global fit), and the locally
// constant sigma as the weighted residual standard deviation (closed form).
import { kernelWeight, scaledDistance, KERNEL_NONE, localDesignRow } from "./kernel";
import { solveNormalEquations } from "./linalg";

import { Rows, Grid } from "./abi";
import { STATUS_DISPERSION_BOUND } from "./status";
// K = 2, q = 2 local-linear sums: both components in the two f64x2 lanes (simd.ts; scalar twin in portable/simd.ts)
import { accumulateLocalQ2K2, residualSSQ2K2 } from "./simd";

/** Scratch size (f64 count) needed by mstepGaussian. */
export function wlsWorkSize(K: i32, q: i32): i32 {
  const d = 2 * q;
  return K * (d * d + d + 2) + d * d + d;
}

/**
 * At grid points j0..j1-1: the coefficients of every component and, when updateSigma != 0,
 * its sigma (else sigma keeps its value: the coefficients do not depend on it); flags in
 * grid.statusE.
 */
export function mstepGaussian(rows: Rows, grid: Grid, j0: i32, j1: i32, sigmaFloor: f64, updateSigma: i32, work: Float64Array): void {
  const K = rows.K, q = rows.q, t = rows.t, y = rows.y, w = rows.w, Z = rows.Z, R = rows.R;
  const kernel = grid.kernel, h = grid.h, g = grid.g, lo = grid.lo, hi = grid.hi;
  const alpha = grid.alpha, alphaS = grid.alphaS, phi = grid.phi, status = grid.statusE;
  const d = kernel == KERNEL_NONE ? q : 2 * q;
  const dd = d * d;
  const gramOff = 0;                 // K blocks of d*d
  const rhsOff = K * dd;             // K blocks of d (become the solutions)
  const sumOff = rhsOff + K * d;     // K weight sums
  const ssOff = sumOff + K;          // K residual sums of squares
  const facOff = ssOff + K;          // d*d factor
  const dvOff = facOff + dd;         // d design values of the current row
  for (let j = j0; j < j1; j++) {
    const gj = unchecked(g[j]);
    for (let k = 0; k < facOff; k++) unchecked(work[k] = 0.0);
    const iLo = unchecked(lo[j]), iHi = unchecked(hi[j]);
    const totalKw = d == 4 && q == 2
      ? (K == 2 ? accumulateLocalQ2K2(iLo, iHi, kernel, gj, h, t, y, w, Z, R, work, gramOff, rhsOff, sumOff)
        : accumulateLocalQ2(K, iLo, iHi, kernel, gj, h, t, y, w, Z, R, work, gramOff, rhsOff, sumOff))
      : K == 2 && d == 2 && q == 2 && kernel == KERNEL_NONE
        ? accumulateGlobalQ2K2(iLo, iHi, y, w, Z, R, work, gramOff, rhsOff, sumOff)
        : accumulateGeneric(K, q, d, iLo, iHi, kernel, gj, h, t, y, w, Z, R, work, gramOff, rhsOff, sumOff, dvOff);
    // solve each component's normal equations (solution overwrites its rhs block)
    for (let c = 0; c < K; c++) {
      unchecked(status[j * K + c] = solveNormalEquations(work, sumOff + c, totalKw, gramOff + c * dd, facOff, rhsOff + c * d, d));
    }
    // weighted residual variance per component
    if (updateSigma != 0 && K == 2 && d == 4 && q == 2) {
      residualSSQ2K2(iLo, iHi, kernel, gj, h, t, y, w, Z, R, work, rhsOff, ssOff);
    } else if (updateSigma != 0 && K == 2 && d == 2 && q == 2 && kernel == KERNEL_NONE) {
      residualSSGlobalQ2K2(iLo, iHi, y, w, Z, R, work, rhsOff, ssOff);
    } else for (let c = 0; c < K && updateSigma != 0; c++) {
      if (unchecked(work[sumOff + c]) < 0.0) continue;
      unchecked(work[ssOff + c] = residualSS(c, K, q, d, iLo, iHi, kernel, gj, h, t, y, w, Z, R, work, rhsOff + c * d));
    }
    for (let c = 0; c < K; c++) {
      const sw = unchecked(work[sumOff + c]);
      if (sw < 0.0) continue;
      const o = (j * K + c) * q, b = rhsOff + c * d;
      for (let k = 0; k < q; k++) {
        unchecked(alpha[o + k] = unchecked(work[b + k]));
        unchecked(alphaS[o + k] = d > q ? unchecked(work[b + q + k]) : 0.0);
      }
      if (updateSigma == 0) continue;
      let sig = Math.sqrt(unchecked(work[ssOff + c]) / sw);
      if (!(sig > sigmaFloor)) {
        sig = sigmaFloor;
        unchecked(status[j * K + c] |= STATUS_DISPERSION_BOUND);
      }
      unchecked(phi[j * K + c] = sig);
    }
  }
}

/** Generic accumulation of the K weighted Gram matrices (lower triangles) and right-hand sides. */
function accumulateGeneric(
  K: i32, q: i32, d: i32, iLo: i32, iHi: i32, kernel: i32, gj: f64, h: f64,
  t: Float64Array, y: Float64Array, w: Float64Array, Z: Float64Array, R: Float64Array,
  work: Float64Array, gramOff: i32, rhsOff: i32, sumOff: i32, dvOff: i32,
): f64 {
  const dd = d * d;
  let totalKw = 0.0;
  for (let i = iLo; i < iHi; i++) {
    const s = scaledDistance(kernel, unchecked(t[i]), gj, h);
    const kw = kernelWeight(kernel, s) * unchecked(w[i]);
    if (kw == 0.0) continue;
    totalKw += kw;
    localDesignRow(Z, i, q, d, s, work, dvOff);
    const yi = unchecked(y[i]);
    for (let c = 0; c < K; c++) {
      const wc = kw * unchecked(R[i * K + c]);
      if (wc == 0.0) continue;
      const G = gramOff + c * dd, b = rhsOff + c * d;
      for (let a = 0; a < d; a++) {
        const va = wc * unchecked(work[dvOff + a]);
        unchecked(work[b + a] += va * yi);
        for (let e = 0; e <= a; e++) unchecked(work[G + a * d + e] += va * unchecked(work[dvOff + e]));
      }
      unchecked(work[sumOff + c] += wc);
    }
  }
  return totalKw;
}

/**
 * The common case q = 2 (intercept + one covariate), local-linear (d = 4): the
 * 10 Gram entries reduce to 9 distinct sums, held in locals (registers) instead of
 * memory — the generic loop is bound by load/store traffic on short rows.
 */
function accumulateLocalQ2(
  K: i32, iLo: i32, iHi: i32, kernel: i32, gj: f64, h: f64,
  t: Float64Array, y: Float64Array, w: Float64Array, Z: Float64Array, R: Float64Array,
  work: Float64Array, gramOff: i32, rhsOff: i32, sumOff: i32,
): f64 {
  let totalKw = 0.0;
  const invh = 1.0 / h;
  for (let c = 0; c < K; c++) {
    let a00 = 0.0, a01 = 0.0, a11 = 0.0, b00 = 0.0, b01 = 0.0, b11 = 0.0, c00 = 0.0, c01 = 0.0, c11 = 0.0;
    let r0 = 0.0, r1 = 0.0, r2 = 0.0, r3 = 0.0, sw = 0.0, tk = 0.0;
    for (let i = iLo; i < iHi; i++) {
      const s = (unchecked(t[i]) - gj) * invh;
      const kw = kernelWeight(kernel, s) * unchecked(w[i]);
      tk += kw;
      const a = kw * unchecked(R[i * K + c]);
      const bs = a * s, cs = bs * s;
      const z0 = unchecked(Z[2 * i]), z1 = unchecked(Z[2 * i + 1]), yi = unchecked(y[i]);
      const p00 = z0 * z0, p01 = z0 * z1, p11 = z1 * z1;
      a00 += a * p00; a01 += a * p01; a11 += a * p11;
      b00 += bs * p00; b01 += bs * p01; b11 += bs * p11;
      c00 += cs * p00; c01 += cs * p01; c11 += cs * p11;
      const zy0 = z0 * yi, zy1 = z1 * yi;
      r0 += a * zy0; r1 += a * zy1; r2 += bs * zy0; r3 += bs * zy1;
      sw += a;
    }
    if (c == 0) totalKw = tk;
    const G = gramOff + c * 16, b = rhsOff + c * 4;
    // lower triangle of [[A, B], [B, C]] with A = Σa zzᵀ, B = Σa s zzᵀ, C = Σa s² zzᵀ
    unchecked(work[G + 0] = a00);
    unchecked(work[G + 4] = a01); unchecked(work[G + 5] = a11);
    unchecked(work[G + 8] = b00); unchecked(work[G + 9] = b01); unchecked(work[G + 10] = c00);
    unchecked(work[G + 12] = b01); unchecked(work[G + 13] = b11); unchecked(work[G + 14] = c01); unchecked(work[G + 15] = c11);
    unchecked(work[b] = r0); unchecked(work[b + 1] = r1); unchecked(work[b + 2] = r2); unchecked(work[b + 3] = r3);
    unchecked(work[sumOff + c] = sw);
  }
  return totalKw;
}

/**
 * accumulateGeneric for a global fit (no kernel) with K = 2, q = d = 2: both components in
 * one pass, each sum with the generic loop's terms in its order (rows of zero weight skipped).
 */
function accumulateGlobalQ2K2(
  iLo: i32, iHi: i32, y: Float64Array, w: Float64Array, Z: Float64Array, R: Float64Array,
  work: Float64Array, gramOff: i32, rhsOff: i32, sumOff: i32,
): f64 {
  let totalKw = 0.0;
  let g00 = 0.0, g10 = 0.0, g11 = 0.0, b0 = 0.0, b1 = 0.0, sw = 0.0;
  let G00 = 0.0, G10 = 0.0, G11 = 0.0, B0 = 0.0, B1 = 0.0, SW = 0.0;
  for (let i = iLo; i < iHi; i++) {
    const kw = unchecked(w[i]);
    if (kw == 0.0) continue;
    totalKw += kw;
    const z0 = unchecked(Z[2 * i]), z1 = unchecked(Z[2 * i + 1]), yi = unchecked(y[i]);
    const wc = kw * unchecked(R[2 * i]);
    if (wc != 0.0) {
      const va0 = wc * z0, va1 = wc * z1;
      b0 += va0 * yi; g00 += va0 * z0;
      b1 += va1 * yi; g10 += va1 * z0; g11 += va1 * z1;
      sw += wc;
    }
    const WC = kw * unchecked(R[2 * i + 1]);
    if (WC != 0.0) {
      const VA0 = WC * z0, VA1 = WC * z1;
      B0 += VA0 * yi; G00 += VA0 * z0;
      B1 += VA1 * yi; G10 += VA1 * z0; G11 += VA1 * z1;
      SW += WC;
    }
  }
  unchecked(work[gramOff] = g00); unchecked(work[gramOff + 2] = g10); unchecked(work[gramOff + 3] = g11);
  unchecked(work[gramOff + 4] = G00); unchecked(work[gramOff + 6] = G10); unchecked(work[gramOff + 7] = G11);
  unchecked(work[rhsOff] = b0); unchecked(work[rhsOff + 1] = b1); unchecked(work[rhsOff + 2] = B0); unchecked(work[rhsOff + 3] = B1);
  unchecked(work[sumOff] = sw); unchecked(work[sumOff + 1] = SW);
  return totalKw;
}

/** residualSS of both components of a global fit (K = 2, q = d = 2) in one pass, into work[ssOff], work[ssOff + 1]. */
function residualSSGlobalQ2K2(
  iLo: i32, iHi: i32, y: Float64Array, w: Float64Array, Z: Float64Array, R: Float64Array,
  work: Float64Array, rhsOff: i32, ssOff: i32,
): void {
  const b0 = unchecked(work[rhsOff]), b1 = unchecked(work[rhsOff + 1]);
  const B0 = unchecked(work[rhsOff + 2]), B1 = unchecked(work[rhsOff + 3]);
  let ss0 = 0.0, ss1 = 0.0;
  for (let i = iLo; i < iHi; i++) {
    const wi = unchecked(w[i]), yi = unchecked(y[i]);
    const z0 = unchecked(Z[2 * i]), z1 = unchecked(Z[2 * i + 1]);
    const a = wi * unchecked(R[2 * i]);
    if (a != 0.0) {
      let fit = 0.0;
      fit += z0 * b0;
      fit += z1 * b1;
      const r = yi - fit;
      ss0 += a * r * r;
    }
    const A = wi * unchecked(R[2 * i + 1]);
    if (A != 0.0) {
      let fit = 0.0;
      fit += z0 * B0;
      fit += z1 * B1;
      const r = yi - fit;
      ss1 += A * r * r;
    }
  }
  // a component whose normal equations failed (weight sum flagged < 0) keeps its sigma
  if (!(unchecked(work[ssOff - 2]) < 0.0)) unchecked(work[ssOff] = ss0);
  if (!(unchecked(work[ssOff - 1]) < 0.0)) unchecked(work[ssOff + 1] = ss1);
}

/** Σ K w r_ic (y − dᵀβ)² over the window for component c with solution β at work[beta..]. */
function residualSS(
  c: i32, K: i32, q: i32, d: i32, iLo: i32, iHi: i32, kernel: i32, gj: f64, h: f64,
  t: Float64Array, y: Float64Array, w: Float64Array, Z: Float64Array, R: Float64Array,
  work: Float64Array, beta: i32,
): f64 {
  let ss = 0.0;
  if (d == 4 && q == 2) {
    const b0 = unchecked(work[beta]), b1 = unchecked(work[beta + 1]), b2 = unchecked(work[beta + 2]), b3 = unchecked(work[beta + 3]);
    const invh = 1.0 / h;
    for (let i = iLo; i < iHi; i++) {
      const s = (unchecked(t[i]) - gj) * invh;
      const a = kernelWeight(kernel, s) * unchecked(w[i]) * unchecked(R[i * K + c]);
      const r = unchecked(y[i]) - unchecked(Z[2 * i]) * (b0 + b2 * s) - unchecked(Z[2 * i + 1]) * (b1 + b3 * s);
      ss += a * r * r;
    }
    return ss;
  }
  for (let i = iLo; i < iHi; i++) {
    const s = scaledDistance(kernel, unchecked(t[i]), gj, h);
    const a = kernelWeight(kernel, s) * unchecked(w[i]) * unchecked(R[i * K + c]);
    if (a == 0.0) continue;
    let fit = 0.0;
    for (let k = 0; k < q; k++) {
      const zv = unchecked(Z[i * q + k]);
      fit += zv * unchecked(work[beta + k]);
      if (d > q) fit += zv * s * unchecked(work[beta + q + k]);
    }
    const r = unchecked(y[i]) - fit;
    ss += a * r * r;
  }
  return ss;
}
