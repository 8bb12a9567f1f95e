// Small dense solvers for the local M-steps. Matrices are d×d, row-major, stored at
// an offset inside a caller-owned Float64Array (no allocation in hot loops).
import { STATUS_LOW_WEIGHT, STATUS_RIDGE, STATUS_SINGULAR } from "./status";

/**
 * In-place Cholesky factorisation A = L Lᵀ of a symmetric matrix whose lower
 * triangle (row >= col) is filled. Returns false when a pivot is not positive
 * relative to the diagonal scale (the caller then regularises or reports).
 */
export function cholesky(A: Float64Array, off: i32, d: i32): bool {
  let scale = 0.0;
  for (let i = 0; i < d; i++) scale = Math.max(scale, Math.abs(unchecked(A[off + i * d + i])));
  const tiny = scale * 1e-13;
  if (!(scale > 0.0)) return false;
  for (let j = 0; j < d; j++) {
    const rj = off + j * d;
    let s = unchecked(A[rj + j]);
    for (let k = 0; k < j; k++) { const v = unchecked(A[rj + k]); s -= v * v; }
    if (!(s > tiny)) return false;
    const ljj = Math.sqrt(s);
    unchecked(A[rj + j] = ljj);
    for (let i = j + 1; i < d; i++) {
      const ri = off + i * d;
      let t = unchecked(A[ri + j]);
      for (let k = 0; k < j; k++) t -= unchecked(A[ri + k]) * unchecked(A[rj + k]);
      unchecked(A[ri + j] = t / ljj);
    }
  }
  return true;
}

/** Solves L Lᵀ x = b in place (b at boff, length d) after cholesky(). */
export function cholSolve(A: Float64Array, off: i32, d: i32, b: Float64Array, boff: i32): void {
  for (let i = 0; i < d; i++) {
    const ri = off + i * d;
    let s = unchecked(b[boff + i]);
    for (let k = 0; k < i; k++) s -= unchecked(A[ri + k]) * unchecked(b[boff + k]);
    unchecked(b[boff + i] = s / unchecked(A[ri + i]));
  }
  for (let i = d - 1; i >= 0; i--) {
    let s = unchecked(b[boff + i]);
    for (let k = i + 1; k < d; k++) s -= unchecked(A[off + k * d + i]) * unchecked(b[boff + k]);
    unchecked(b[boff + i] = s / unchecked(A[off + i * d + i]));
  }
}

/** Mirrors the lower triangle to the upper one (for callers that need the full matrix). */
export function symmetrize(A: Float64Array, off: i32, d: i32): void {
  for (let i = 0; i < d; i++)
    for (let j = 0; j < i; j++) unchecked(A[off + j * d + i] = unchecked(A[off + i * d + j]));
}

/**
 * Factorises the lower-filled matrix at `off`, adding a growing ridge to the
 * diagonal if needed (copying the original from `src` each try). Returns the
 * ridge used (0 when none), or -1 when even a large ridge fails.
 */
export function choleskyRidge(A: Float64Array, off: i32, src: Float64Array, soff: i32, d: i32): f64 {
  const dd = d * d;
  for (let k = 0; k < dd; k++) unchecked(A[off + k] = unchecked(src[soff + k]));
  if (cholesky(A, off, d)) return 0.0;
  let scale = 0.0;
  for (let i = 0; i < d; i++) scale = Math.max(scale, Math.abs(unchecked(src[soff + i * d + i])));
  if (!(scale > 0.0)) scale = 1.0;
  let ridge = scale * 1e-10;
  for (let attempt = 0; attempt < 12; attempt++) {
    for (let k = 0; k < dd; k++) unchecked(A[off + k] = unchecked(src[soff + k]));
    for (let i = 0; i < d; i++) unchecked(A[off + i * d + i] += ridge);
    if (cholesky(A, off, d)) return ridge;
    ridge *= 10.0;
  }
  return -1.0;
}

/**
 * Stores a 4-parameter gradient (at gr) and the lower triangle of its 4×4 negative
 * Hessian (at hs, row-major), accumulated in locals by the q = 2 / K = 2 fast paths.
 */
// @ts-ignore: decorator
@inline export function storeGradHess4(
  work: Float64Array, gr: i32, hs: i32, g0: f64, g1: f64, g2: f64, g3: f64,
  h00: f64, h10: f64, h11: f64, h20: f64, h21: f64, h22: f64, h30: f64, h31: f64, h32: f64, h33: f64,
): void {
  unchecked(work[gr] = g0); unchecked(work[gr + 1] = g1); unchecked(work[gr + 2] = g2); unchecked(work[gr + 3] = g3);
  unchecked(work[hs] = h00);
  unchecked(work[hs + 4] = h10); unchecked(work[hs + 5] = h11);
  unchecked(work[hs + 8] = h20); unchecked(work[hs + 9] = h21); unchecked(work[hs + 10] = h22);
  unchecked(work[hs + 12] = h30); unchecked(work[hs + 13] = h31); unchecked(work[hs + 14] = h32); unchecked(work[hs + 15] = h33);
}

/** storeGradHess4 for d = 2 (global fits): the gradient and the 2×2 Hessian, its upper entry 0. */
// @ts-ignore: decorator
@inline export function storeGradHess2(work: Float64Array, gr: i32, hs: i32, g0: f64, g1: f64, h00: f64, h10: f64, h11: f64): void {
  unchecked(work[gr] = g0); unchecked(work[gr + 1] = g1);
  unchecked(work[hs] = h00); unchecked(work[hs + 1] = 0.0); unchecked(work[hs + 2] = h10); unchecked(work[hs + 3] = h11);
}

/**
 * Solves one component's weighted normal equations in place of their right-hand side at
 * rhs (Cholesky of the lower triangle at gram into fac, with a ridge when singular), unless
 * its weight work[sum] is (almost) none of totalKw. Returns the component's status (0,
 * STATUS_RIDGE, STATUS_LOW_WEIGHT, STATUS_SINGULAR) and sets work[sum] = −1 where the
 * previous values are to be kept.
 */
// @ts-ignore: decorator
@inline export function solveNormalEquations(work: Float64Array, sum: i32, totalKw: f64, gram: i32, fac: i32, rhs: i32, d: i32): i32 {
  if (!(unchecked(work[sum]) > 1e-8 * totalKw)) {
    unchecked(work[sum] = -1.0);
    return STATUS_LOW_WEIGHT;
  }
  if (d == 0) return 0;
  const ridge = choleskyRidge(work, fac, work, gram, d);
  if (ridge < 0.0) {
    unchecked(work[sum] = -1.0);
    return STATUS_SINGULAR;
  }
  cholSolve(work, fac, d, work, rhs);
  return ridge > 0.0 ? STATUS_RIDGE : 0;
}

/**
 * Row i of an n×2 row-major matrix times (c0, c1), summed from 0 in column order as the
 * generic loops sum it (the K = 2 fast paths use it, so that they stay bit-identical).
 */
// @ts-ignore: decorator
@inline export function rowDot2(V: Float64Array, i: i32, c0: f64, c1: f64): f64 {
  let l = 0.0;
  l += unchecked(V[2 * i]) * c0;
  l += unchecked(V[2 * i + 1]) * c1;
  return l;
}
