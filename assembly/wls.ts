// Gaussian expert M-step: kernel- and posterior-weighted least squares at each grid
// point, local-linear design [z, z·s] (or [z] for a global fit), and the locally
// constant sigma as the weighted residual standard deviation (closed form).
import { kernelWeight, scaledDistance, KERNEL_NONE } from "./kernel";
import { choleskyRidge, cholSolve } from "./linalg";

export const STATUS_LOW_WEIGHT: i32 = 1;   // component has (almost) no weight here: kept previous values
export const STATUS_RIDGE: i32 = 2;        // singular local design: a tiny ridge was added
export const STATUS_SIGMA_FLOOR: i32 = 4;  // sigma hit the floor
export const STATUS_NO_ASCENT: i32 = 8;    // gating Newton found no ascent direction
export const STATUS_SINGULAR: i32 = 16;    // system unsolvable even with a ridge: kept previous values

/** Scratch size (f64 count) needed by mstepGaussian. */
export function wlsWorkSize(K: i32, q: i32): i32 {
  const d = 2 * q;
  return K * (d * d + d + 2) + d * d + d;
}

export function mstepGaussian(
  j0: i32, j1: i32, K: i32, q: i32, kernel: i32, h: f64,
  t: Float64Array, y: Float64Array, w: Float64Array, Z: Float64Array, R: Float64Array,
  g: Float64Array, lo: Int32Array, hi: Int32Array,
  alpha: Float64Array, alphaS: Float64Array, phi: Float64Array,
  sigmaFloor: f64, work: Float64Array, status: Int32Array,
): void {
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
    let totalKw = 0.0;
    const iLo = unchecked(lo[j]), iHi = unchecked(hi[j]);
    for (let i = iLo; i < iHi; i++) {
      const s = scaledDistance(kernel, unchecked(t[i]), gj, h);
      const kw = kernelWeight(kernel, s) * unchecked(w[i]);
      if (kw == 0.0) continue;
      totalKw += kw;
      for (let k = 0; k < q; k++) {
        const zv = unchecked(Z[i * q + k]);
        unchecked(work[dvOff + k] = zv);
        if (d > q) unchecked(work[dvOff + q + k] = zv * s);
      }
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
    // solve each component's normal equations (solution overwrites its rhs block)
    for (let c = 0; c < K; c++) {
      const st = j * K + c;
      unchecked(status[st] = 0);
      if (!(unchecked(work[sumOff + c]) > 1e-8 * totalKw)) {
        unchecked(status[st] = STATUS_LOW_WEIGHT);
        unchecked(work[sumOff + c] = -1.0); // marks "keep previous values"
        continue;
      }
      const ridge = choleskyRidge(work, facOff, work, gramOff + c * dd, d);
      if (ridge < 0.0) {
        unchecked(status[st] = STATUS_SINGULAR);
        unchecked(work[sumOff + c] = -1.0);
        continue;
      }
      if (ridge > 0.0) unchecked(status[st] = STATUS_RIDGE);
      cholSolve(work, facOff, d, work, rhsOff + c * d);
    }
    // weighted residual variance per component
    for (let i = iLo; i < iHi; i++) {
      const s = scaledDistance(kernel, unchecked(t[i]), gj, h);
      const kw = kernelWeight(kernel, s) * unchecked(w[i]);
      if (kw == 0.0) continue;
      const yi = unchecked(y[i]);
      for (let c = 0; c < K; c++) {
        const wc = kw * unchecked(R[i * K + c]);
        if (wc == 0.0) continue;
        const b = rhsOff + c * d;
        let fit = 0.0;
        for (let k = 0; k < q; k++) {
          const zv = unchecked(Z[i * q + k]);
          fit += zv * unchecked(work[b + k]);
          if (d > q) fit += zv * s * unchecked(work[b + q + k]);
        }
        const r = yi - fit;
        unchecked(work[ssOff + c] += wc * r * r);
      }
    }
    for (let c = 0; c < K; c++) {
      const sw = unchecked(work[sumOff + c]);
      if (sw < 0.0) continue;
      const o = (j * K + c) * q, b = rhsOff + c * d;
      for (let k = 0; k < q; k++) {
        unchecked(alpha[o + k] = unchecked(work[b + k]));
        unchecked(alphaS[o + k] = d > q ? unchecked(work[b + q + k]) : 0.0);
      }
      let sig = Math.sqrt(unchecked(work[ssOff + c]) / sw);
      if (!(sig > sigmaFloor)) {
        sig = sigmaFloor;
        unchecked(status[j * K + c] |= STATUS_SIGMA_FLOOR);
      }
      unchecked(phi[j * K + c] = sig);
    }
  }
}
