// Small dense solvers for the local M-steps. Matrices are d×d, row-major, stored at
// an offset inside a caller-owned Float64Array (no allocation in hot loops).

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
