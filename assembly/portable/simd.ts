// JavaScript twin of ../simd.ts for the portable build: two scalar calls, and the passes
// with their sums as scalars, which the WebAssembly build's f64x2 lanes reproduce bit for bit.
import { exp, log } from "../mathx";
import { kernelWeight } from "../kernel";
import { storeGradHess4 } from "../linalg";

export const PAIR = new Float64Array(2);

export function exp2x(a: number, b: number): void {
  PAIR[0] = exp(a);
  PAIR[1] = exp(b);
}

export function log2x(a: number, b: number): void {
  PAIR[0] = log(a);
  PAIR[1] = log(b);
}

export function expPairLane(a: number, b: number, lane: number): number {
  exp2x(a, b);
  return PAIR[lane & 1];
}

export function logPairLane(a: number, b: number, lane: number): number {
  log2x(a, b);
  return PAIR[lane & 1];
}

export function axpy(v: Float64Array, o: number, a: number, s: number, len: number): void {
  for (let b = 0; b < len; b++) v[o + b] += a * v[s + b];
}

// The Gaussian M-step's K = 2, q = 2 local-linear sums, one component after the other in each row:
// the scalar arithmetic that ../simd.ts's lanes reproduce (component c in lane c).
/**
 * accumulateLocalQ2 for K = 2: both components' sums in one pass over the window (the
 * row's s and kernel weight computed once); each sum adds the same terms in the same
 * order as accumulateLocalQ2's pass for its component.
 */
export function accumulateLocalQ2K2(
  iLo: i32, iHi: i32, kernel: i32, gj: f64, h: f64,
  t: Float64Array, y: Float64Array, w: Float64Array, Z: Float64Array, R: Float64Array,
  work: Float64Array, gramOff: i32, rhsOff: i32, sumOff: i32,
): f64 {
  const invh = 1.0 / h;
  let a00 = 0.0, a01 = 0.0, a11 = 0.0, b00 = 0.0, b01 = 0.0, b11 = 0.0, c00 = 0.0, c01 = 0.0, c11 = 0.0;
  let r0 = 0.0, r1 = 0.0, r2 = 0.0, r3 = 0.0, sw = 0.0, tk = 0.0;
  let A00 = 0.0, A01 = 0.0, A11 = 0.0, B00 = 0.0, B01 = 0.0, B11 = 0.0, C00 = 0.0, C01 = 0.0, C11 = 0.0;
  let S0 = 0.0, S1 = 0.0, S2 = 0.0, S3 = 0.0, SW = 0.0;
  for (let i = iLo; i < iHi; i++) {
    const s = ((t[i]) - gj) * invh;
    const kw = kernelWeight(kernel, s) * (w[i]);
    tk += kw;
    const z0 = (Z[2 * i]), z1 = (Z[2 * i + 1]), yi = (y[i]);
    const p00 = z0 * z0, p01 = z0 * z1, p11 = z1 * z1;
    const zy0 = z0 * yi, zy1 = z1 * yi;
    const a = kw * (R[2 * i]);
    const bs = a * s, cs = bs * s;
    a00 += a * p00; a01 += a * p01; a11 += a * p11;
    b00 += bs * p00; b01 += bs * p01; b11 += bs * p11;
    c00 += cs * p00; c01 += cs * p01; c11 += cs * p11;
    r0 += a * zy0; r1 += a * zy1; r2 += bs * zy0; r3 += bs * zy1;
    sw += a;
    const A = kw * (R[2 * i + 1]);
    const BS = A * s, CS = BS * s;
    A00 += A * p00; A01 += A * p01; A11 += A * p11;
    B00 += BS * p00; B01 += BS * p01; B11 += BS * p11;
    C00 += CS * p00; C01 += CS * p01; C11 += CS * p11;
    S0 += A * zy0; S1 += A * zy1; S2 += BS * zy0; S3 += BS * zy1;
    SW += A;
  }
  storeGramQ2(work, gramOff, rhsOff + 0, sumOff, a00, a01, a11, b00, b01, b11, c00, c01, c11, r0, r1, r2, r3, sw);
  storeGramQ2(work, gramOff + 16, rhsOff + 4, sumOff + 1, A00, A01, A11, B00, B01, B11, C00, C01, C11, S0, S1, S2, S3, SW);
  return tk;
}

/** Lower triangle of [[A, B], [B, C]] (A = Σa zzᵀ, B = Σa s zzᵀ, C = Σa s² zzᵀ), the right-hand side and the weight sum. */
function storeGramQ2(
  work: Float64Array, G: i32, b: i32, sum: i32,
  a00: f64, a01: f64, a11: f64, b00: f64, b01: f64, b11: f64, c00: f64, c01: f64, c11: f64,
  r0: f64, r1: f64, r2: f64, r3: f64, sw: f64,
): void {
  (work[G + 0] = a00);
  (work[G + 4] = a01); (work[G + 5] = a11);
  (work[G + 8] = b00); (work[G + 9] = b01); (work[G + 10] = c00);
  (work[G + 12] = b01); (work[G + 13] = b11); (work[G + 14] = c01); (work[G + 15] = c11);
  (work[b] = r0); (work[b + 1] = r1); (work[b + 2] = r2); (work[b + 3] = r3);
  (work[sum] = sw);
}

/** residualSS of both components (K = 2, q = 2, local-linear) in one pass, into work[ssOff], work[ssOff + 1]. */
export function residualSSQ2K2(
  iLo: i32, iHi: i32, kernel: i32, gj: f64, h: f64,
  t: Float64Array, y: Float64Array, w: Float64Array, Z: Float64Array, R: Float64Array,
  work: Float64Array, rhsOff: i32, ssOff: i32,
): void {
  const b0 = (work[rhsOff]), b1 = (work[rhsOff + 1]), b2 = (work[rhsOff + 2]), b3 = (work[rhsOff + 3]);
  const B0 = (work[rhsOff + 4]), B1 = (work[rhsOff + 5]), B2 = (work[rhsOff + 6]), B3 = (work[rhsOff + 7]);
  const invh = 1.0 / h;
  let ss0 = 0.0, ss1 = 0.0;
  for (let i = iLo; i < iHi; i++) {
    const s = ((t[i]) - gj) * invh;
    const kwi = kernelWeight(kernel, s) * (w[i]);
    const z0 = (Z[2 * i]), z1 = (Z[2 * i + 1]), yi = (y[i]);
    const a = kwi * (R[2 * i]);
    const r = yi - z0 * (b0 + b2 * s) - z1 * (b1 + b3 * s);
    ss0 += a * r * r;
    const A = kwi * (R[2 * i + 1]);
    const rr = yi - z0 * (B0 + B2 * s) - z1 * (B1 + B3 * s);
    ss1 += A * rr * rr;
  }
  // a component whose normal equations failed (weight sum flagged < 0) keeps its sigma
  if (!((work[ssOff - 2]) < 0.0)) (work[ssOff] = ss0);
  if (!((work[ssOff - 1]) < 0.0)) (work[ssOff + 1] = ss1);
}

/**
 * gatingObjective for K = 2, p = 2, local-linear (d = 4; ../logit.ts): gradient (4) and Hessian
 * lower triangle (10) in locals, each sum over the rows in window order; ../simd.ts makes the
 * same operations with pairs of these sums in f64x2 lanes.
 */
export function gatingObjectiveK2D4(
  j: i32, kernel: i32, h: f64,
  t: Float64Array, w: Float64Array, X: Float64Array, R: Float64Array,
  g: Float64Array, lo: Int32Array, hi: Int32Array,
  work: Float64Array, par: i32, gr: i32, hs: i32, needQ: bool, needDerivs: bool,
): f64 {
  const gj = unchecked(g[j]);
  const invh = 1.0 / h;
  const th0 = unchecked(work[par]), th1 = unchecked(work[par + 1]), th2 = unchecked(work[par + 2]), th3 = unchecked(work[par + 3]);
  let Q = 0.0;
  let g0 = 0.0, g1 = 0.0, g2 = 0.0, g3 = 0.0;
  let h00 = 0.0, h10 = 0.0, h11 = 0.0, h20 = 0.0, h21 = 0.0, h22 = 0.0, h30 = 0.0, h31 = 0.0, h32 = 0.0, h33 = 0.0;
  const iLo = unchecked(lo[j]), iHi = unchecked(hi[j]);
  // pi = e^l / (1 + e^l) and log(1 + e^l) from e = exp(−|l|), stable for large |l|; the
  // exp and log of a row come in a pair with the next row's (simd.ts, bit-identical lanes)
  let eNext = 0.0, lgNext = 0.0, lg = 0.0;
  for (let i = iLo; i < iHi; i++) {
    const s = (unchecked(t[i]) - gj) * invh;
    const x0 = unchecked(X[2 * i]), x1 = unchecked(X[2 * i + 1]);
    const x2 = x0 * s, x3 = x1 * s;
    const l = x0 * th0 + x1 * th1 + x2 * th2 + x3 * th3;
    let e = eNext;
    if (((i - iLo) & 1) == 0) {
      let lN = 0.0;
      if (i + 1 < iHi) {
        const sN = (unchecked(t[i + 1]) - gj) * invh, y0 = unchecked(X[2 * i + 2]), y1 = unchecked(X[2 * i + 3]);
        lN = y0 * th0 + y1 * th1 + (y0 * sN) * th2 + (y1 * sN) * th3;
      }
      exp2x(-Math.abs(l), -Math.abs(lN));
      e = unchecked(PAIR[0]); eNext = unchecked(PAIR[1]);
      if (needQ) { log2x(1.0 + e, 1.0 + eNext); lg = unchecked(PAIR[0]); lgNext = unchecked(PAIR[1]); }
    } else lg = lgNext;
    const kw = kernelWeight(kernel, s) * unchecked(w[i]);
    if (kw == 0.0) continue;
    const pi = l > 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
    const r1 = unchecked(R[2 * i + 1]);
    if (needQ) Q += kw * (r1 * l - (Math.max(l, 0.0) + lg));
    if (!needDerivs) continue;
    const gc = kw * (r1 - pi);
    g0 += gc * x0; g1 += gc * x1; g2 += gc * x2; g3 += gc * x3;
    const v = kw * pi * (1.0 - pi);
    const v0 = v * x0, v1 = v * x1, v2 = v * x2, v3 = v * x3;
    h00 += v0 * x0;
    h10 += v1 * x0; h11 += v1 * x1;
    h20 += v2 * x0; h21 += v2 * x1; h22 += v2 * x2;
    h30 += v3 * x0; h31 += v3 * x1; h32 += v3 * x2; h33 += v3 * x3;
  }
  if (needDerivs) storeGradHess4(work, gr, hs, g0, g1, g2, g3, h00, h10, h11, h20, h21, h22, h30, h31, h32, h33);
  return Q;
}
