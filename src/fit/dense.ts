// Small dense symmetric solvers for the inference code (matrices of a few dozen
// rows, built once per fit): Cholesky with a growing ridge, solves and inverses.
// Row-major Float64Array, full storage.

export interface Factor {
  L: Float64Array;
  d: number;
  /** Ridge added to the diagonal (0 when none was needed). */
  ridge: number;
}

function choleskyInPlace(A: Float64Array, d: number): boolean {
  let scale = 0;
  for (let i = 0; i < d; i++) scale = Math.max(scale, Math.abs(A[i * d + i]));
  if (!(scale > 0)) return false;
  const tiny = scale * 1e-14;
  for (let j = 0; j < d; j++) {
    let s = A[j * d + j];
    for (let k = 0; k < j; k++) s -= A[j * d + k] ** 2;
    if (!(s > tiny)) return false;
    const l = Math.sqrt(s);
    A[j * d + j] = l;
    for (let i = j + 1; i < d; i++) {
      let v = A[i * d + j];
      for (let k = 0; k < j; k++) v -= A[i * d + k] * A[j * d + k];
      A[i * d + j] = v / l;
    }
    for (let i = 0; i < j; i++) A[i * d + j] = 0;
  }
  return true;
}

/** Cholesky of a symmetric matrix (lower triangle read); ridge grows from 1e-10·scale when needed. Null if it never succeeds. */
export function cholesky(A: Float64Array, d: number): Factor | null {
  let scale = 0;
  for (let i = 0; i < d; i++) scale = Math.max(scale, Math.abs(A[i * d + i]));
  if (!(scale > 0)) return null;
  let ridge = 0;
  for (let attempt = 0; attempt < 12; attempt++) {
    const L = Float64Array.from(A);
    for (let i = 0; i < d; i++) L[i * d + i] += ridge;
    if (choleskyInPlace(L, d)) return { L, d, ridge };
    ridge = ridge === 0 ? scale * 1e-10 : ridge * 10;
  }
  return null;
}

/** Solves (L Lᵀ) x = b in place for one right-hand side at b[off..off+d). */
export function cholSolveVec(f: Factor, b: Float64Array, off = 0): void {
  const { L, d } = f;
  for (let i = 0; i < d; i++) {
    let s = b[off + i];
    for (let k = 0; k < i; k++) s -= L[i * d + k] * b[off + k];
    b[off + i] = s / L[i * d + i];
  }
  for (let i = d - 1; i >= 0; i--) {
    let s = b[off + i];
    for (let k = i + 1; k < d; k++) s -= L[k * d + i] * b[off + k];
    b[off + i] = s / L[i * d + i];
  }
}

/** Inverse of the factored matrix. */
export function cholInverse(f: Factor): Float64Array {
  const { d } = f;
  const inv = new Float64Array(d * d);
  const col = new Float64Array(d);
  for (let c = 0; c < d; c++) {
    col.fill(0);
    col[c] = 1;
    cholSolveVec(f, col);
    for (let r = 0; r < d; r++) inv[r * d + c] = col[r];
  }
  return inv;
}

/** C = A B (A: r×k, B: k×c). */
export function matMul(A: Float64Array, B: Float64Array, r: number, k: number, c: number): Float64Array {
  const C = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    for (let l = 0; l < k; l++) {
      const a = A[i * k + l];
      if (a === 0) continue;
      for (let j = 0; j < c; j++) C[i * c + j] += a * B[l * c + j];
    }
  }
  return C;
}
