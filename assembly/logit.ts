// Gating M-step: kernel-weighted multinomial logit fitted to the soft labels R,
// by Newton's method with step-halving (newton.ts: the local objective never decreases).
// Component 0 is the baseline (its coefficients are identically 0).
import { exp, log } from "./mathx";
import { kernelWeight, scaledDistance, KERNEL_NONE, localDesignRow } from "./kernel";
import { newtonBegin, newtonNext, newtonTell, newtonTrialDerivs, newtonFlags, newtonWorkSize, newtonAskMoves, newtonStepOffset, NEWTON_DONE, NEWTON_DERIVS, NEWTON_VALUE, NEWTON_MOVE, SCALE_CURVATURE } from "./newton";
import { Rows, Grid } from "./abi";
import { exp2x, log2x, PAIR, gatingObjectiveK2D4 } from "./simd";
import { rowDot2, storeGradHess2 } from "./linalg";

/** Scratch size (f64 count) needed by mstepGating. */
export function logitWorkSize(K: i32, p: i32): i32 {
  const P = (K - 1) * 2 * p;
  return newtonWorkSize(P) + 2 * p + K;
}

/**
 * Adds component c's rows (c >= 1) of one observation's multinomial-logit negative
 * Hessian, kwpc·(δ_cc' − π_c')·d dᵀ for c' = 1..c, to the lower triangle at hs
 * (P×P); π at work[piOff..], the design row d (length d) at work[dvOff..].
 */
// @ts-ignore: decorator
@inline export function addLogitHessianRow(work: Float64Array, hs: i32, P: i32, d: i32, c: i32, kwpc: f64, piOff: i32, dvOff: i32): void {
  const rowBase = (c - 1) * d;
  for (let c2 = 1; c2 <= c; c2++) {
    const coef = kwpc * ((c2 == c ? 1.0 : 0.0) - unchecked(work[piOff + c2]));
    const colBase = (c2 - 1) * d;
    for (let a = 0; a < d; a++) {
      const va = coef * unchecked(work[dvOff + a]);
      const row = hs + (rowBase + a) * P + colBase;
      const eMax = c2 == c ? a : d - 1;
      for (let e = 0; e <= eMax; e++) unchecked(work[row + e] += va * unchecked(work[dvOff + e]));
    }
  }
}

/**
 * Local objective Q = sum_i K(s_i) w_i [sum_c r_ic l_ic - log sum_c exp(l_ic)] at the
 * parameters work[par..par+P) (when needQ; else 0 — it costs a log per row and is
 * only needed to verify a step); when needDerivs, also its gradient (at gr) and the
 * lower triangle of the negative Hessian (at hs).
 */
function gatingObjective(
  j: i32, K: i32, p: i32, d: i32, kernel: i32, h: f64,
  t: Float64Array, w: Float64Array, X: Float64Array, R: Float64Array,
  g: Float64Array, lo: Int32Array, hi: Int32Array,
  work: Float64Array, par: i32, gr: i32, hs: i32, dvOff: i32, piOff: i32, needQ: bool, needDerivs: bool,
): f64 {
  const P = (K - 1) * d;
  if (K == 2 && d == 4 && kernel != KERNEL_NONE) {
    return gatingObjectiveK2D4(j, kernel, h, t, w, X, R, g, lo, hi, work, par, gr, hs, needQ, needDerivs);
  }
  if (K == 2 && d == 2 && kernel == KERNEL_NONE) {
    return gatingObjectiveK2Global(j, w, X, R, lo, hi, work, par, gr, hs, needQ, needDerivs);
  }
  if (needDerivs) {
    for (let k = 0; k < P; k++) unchecked(work[gr + k] = 0.0);
    for (let k = 0; k < P * P; k++) unchecked(work[hs + k] = 0.0);
  }
  const gj = unchecked(g[j]);
  let Q = 0.0;
  for (let i = unchecked(lo[j]); i < unchecked(hi[j]); i++) {
    const s = scaledDistance(kernel, unchecked(t[i]), gj, h);
    const kw = kernelWeight(kernel, s) * unchecked(w[i]);
    if (kw == 0.0) continue;
    localDesignRow(X, i, p, d, s, work, dvOff);
    // logits (baseline 0); exponentials unshifted unless a logit is large, so that
    // K-1 exp calls and one log give both log-sum-exp and the probabilities
    let mx = 0.0;
    for (let c = 1; c < K; c++) {
      const o = par + (c - 1) * d;
      let l = 0.0;
      for (let a = 0; a < d; a++) l += unchecked(work[dvOff + a]) * unchecked(work[o + a]);
      unchecked(work[piOff + c] = l);
      mx = Math.max(mx, l);
    }
    const shift = mx < 300.0 ? 0.0 : mx;
    let rl = 0.0;
    let se = shift == 0.0 ? 1.0 : exp(-shift);
    const e0 = se;
    for (let c = 1; c < K; c++) {
      const l = unchecked(work[piOff + c]);
      rl += unchecked(R[i * K + c]) * l;
      const e = exp(l - shift);
      unchecked(work[piOff + c] = e);
      se += e;
    }
    const inv = 1.0 / se;
    unchecked(work[piOff] = e0 * inv);
    for (let c = 1; c < K; c++) unchecked(work[piOff + c] = unchecked(work[piOff + c]) * inv);
    if (needQ) Q += kw * (rl - (shift + log(se)));
    if (!needDerivs) continue;
    for (let c = 1; c < K; c++) {
      const pc = unchecked(work[piOff + c]);
      const gc = kw * (unchecked(R[i * K + c]) - pc);
      const rowBase = (c - 1) * d;
      for (let a = 0; a < d; a++) unchecked(work[gr + rowBase + a] += gc * unchecked(work[dvOff + a]));
      addLogitHessianRow(work, hs, P, d, c, kw * pc, piOff, dvOff);
    }
  }
  return Q;
}

/** At grid points j0..j1-1: at most maxNewton Newton steps; flags in grid.statusG. */
export function mstepGating(rows: Rows, grid: Grid, j0: i32, j1: i32, maxNewton: i32, work: Float64Array): void {
  const K = rows.K, p = rows.p, t = rows.t, w = rows.w, X = rows.X, R = rows.R;
  const kernel = grid.kernel, h = grid.h, g = grid.g, lo = grid.lo, hi = grid.hi;
  const gamma = grid.gamma, gammaS = grid.gammaS, designNormMax = grid.xNorm, status = grid.statusG;
  if (K < 2) return;
  const d = kernel == KERNEL_NONE ? p : 2 * p;
  const P = (K - 1) * d;
  // the Newton block (newton.ts) first, then the design row and the probabilities
  const cur = 0, trial = P, gr = 2 * P, hs = 4 * P;
  const dvOff = newtonWorkSize(P), piOff = dvOff + d;
  for (let j = j0; j < j1; j++) {
    for (let c = 1; c < K; c++) {
      const o = (j * K + c) * p;
      for (let k = 0; k < p; k++) {
        unchecked(work[cur + (c - 1) * d + k] = unchecked(gamma[o + k]));
        if (d > p) unchecked(work[cur + (c - 1) * d + p + k] = unchecked(gammaS[o + k]));
      }
    }
    // derivatives first; the objective itself only when a step must be verified. Scale of
    // the objective: the intercept's curvature Σ K w π(1−π). A step that moves no logit by
    // more than 0.1 (bounded via the largest design row norm, per contrast block) provably
    // increases this concave objective (its curvature changes by at most e^0.2 along the
    // step), so it is taken without the halving check.
    gatingObjective(j, K, p, d, kernel, h, t, w, X, R, g, lo, hi, work, cur, gr, hs, dvOff, piOff, false, true);
    newtonBegin(cur, P, maxNewton, 30, 1e-13, SCALE_CURVATURE, 0.0, designNormMax, 0.1, -1, K - 1, d, false, 0.0);
    newtonAskMoves(); // the window's largest logit move: most steps the norm bound cannot clear move < 0.1
    for (let ask = newtonNext(work); ask != NEWTON_DONE; ask = newtonNext(work)) {
      if (ask == NEWTON_MOVE) {
        newtonTell(gatingMaxMove(j, K, p, d, kernel, h, t, w, X, g, lo, hi, work, newtonStepOffset(), dvOff), true);
      } else if (ask == NEWTON_DERIVS) {
        gatingObjective(j, K, p, d, kernel, h, t, w, X, R, g, lo, hi, work, cur, gr, hs, dvOff, piOff, false, true);
        newtonTell(0.0, false);
      } else if (ask == NEWTON_VALUE) {
        newtonTell(gatingObjective(j, K, p, d, kernel, h, t, w, X, R, g, lo, hi, work, cur, gr, hs, dvOff, piOff, true, false), true);
      } else {
        newtonTell(gatingObjective(j, K, p, d, kernel, h, t, w, X, R, g, lo, hi, work, trial, gr, hs, dvOff, piOff, true, newtonTrialDerivs()), true);
      }
    }
    const flags = newtonFlags();
    for (let c = 1; c < K; c++) {
      const o = (j * K + c) * p;
      for (let k = 0; k < p; k++) {
        unchecked(gamma[o + k] = unchecked(work[cur + (c - 1) * d + k]));
        unchecked(gammaS[o + k] = d > p ? unchecked(work[cur + (c - 1) * d + p + k]) : 0.0);
      }
    }
    unchecked(status[j] = flags);
  }
}

/**
 * The largest change of a gating logit contrast, max over the window's rows (with
 * positive weight) and components c >= 1 of |d_iᵀ Δθ_c|, for the step at work[step..].
 */
function gatingMaxMove(
  j: i32, K: i32, p: i32, d: i32, kernel: i32, h: f64,
  t: Float64Array, w: Float64Array, X: Float64Array,
  g: Float64Array, lo: Int32Array, hi: Int32Array, work: Float64Array, step: i32, dvOff: i32,
): f64 {
  const gj = unchecked(g[j]);
  let mx = 0.0;
  if (K == 2 && d == 4 && kernel != KERNEL_NONE) {
    // the rows and s of gatingObjectiveK2D4
    const invh = 1.0 / h;
    const st0 = unchecked(work[step]), st1 = unchecked(work[step + 1]), st2 = unchecked(work[step + 2]), st3 = unchecked(work[step + 3]);
    for (let i = unchecked(lo[j]); i < unchecked(hi[j]); i++) {
      const s = (unchecked(t[i]) - gj) * invh;
      if (kernelWeight(kernel, s) * unchecked(w[i]) == 0.0) continue;
      const x0 = unchecked(X[2 * i]), x1 = unchecked(X[2 * i + 1]);
      mx = Math.max(mx, Math.abs(x0 * (st0 + st2 * s) + x1 * (st1 + st3 * s)));
    }
    return mx;
  }
  for (let i = unchecked(lo[j]); i < unchecked(hi[j]); i++) {
    const s = scaledDistance(kernel, unchecked(t[i]), gj, h);
    if (kernelWeight(kernel, s) * unchecked(w[i]) == 0.0) continue;
    localDesignRow(X, i, p, d, s, work, dvOff);
    for (let c = 1; c < K; c++) {
      const o = step + (c - 1) * d;
      let l = 0.0;
      for (let a = 0; a < d; a++) l += unchecked(work[dvOff + a]) * unchecked(work[o + a]);
      mx = Math.max(mx, Math.abs(l));
    }
  }
  return mx;
}

/** The shift of the log-sum-exp of logits (0, l): 0 unless l is large. */
// @ts-ignore: decorator
@inline function logitShift(l: f64): f64 {
  const mx = Math.max(0.0, l);
  return mx < 300.0 ? 0.0 : mx;
}

/**
 * gatingObjective of a global fit (no kernel) with K = 2, p = 2: the generic loop's
 * arithmetic in the same order, with the gradient (2) and Hessian (3) in locals.
 */
function gatingObjectiveK2Global(
  j: i32, w: Float64Array, X: Float64Array, R: Float64Array, lo: Int32Array, hi: Int32Array,
  work: Float64Array, par: i32, gr: i32, hs: i32, needQ: bool, needDerivs: bool,
): f64 {
  const th0 = unchecked(work[par]), th1 = unchecked(work[par + 1]);
  let Q = 0.0, g0 = 0.0, g1 = 0.0, h00 = 0.0, h10 = 0.0, h11 = 0.0;
  const iLo = unchecked(lo[j]), iHi = unchecked(hi[j]);
  // the exp and log of a row come in a pair with the next row's (simd.ts, bit-identical lanes)
  let eNext = 0.0, lgNext = 0.0, lg = 0.0;
  for (let i = iLo; i < iHi; i++) {
    const x0 = unchecked(X[2 * i]), x1 = unchecked(X[2 * i + 1]);
    const l = rowDot2(X, i, th0, th1);
    const shift = logitShift(l);
    let se = shift == 0.0 ? 1.0 : exp(-shift);
    let e = eNext;
    if (((i - iLo) & 1) == 0) {
      const lN = i + 1 < iHi ? rowDot2(X, i + 1, th0, th1) : 0.0;
      const shiftN = logitShift(lN);
      exp2x(l - shift, lN - shiftN);
      e = unchecked(PAIR[0]); eNext = unchecked(PAIR[1]);
      if (needQ) {
        const seN = (shiftN == 0.0 ? 1.0 : exp(-shiftN)) + eNext;
        log2x(se + e, seN);
        lg = unchecked(PAIR[0]); lgNext = unchecked(PAIR[1]);
      }
    } else lg = lgNext;
    const kw = unchecked(w[i]);
    if (kw == 0.0) continue;
    let rl = 0.0;
    const r1 = unchecked(R[2 * i + 1]);
    rl += r1 * l;
    se += e;
    const pc = e * (1.0 / se);
    if (needQ) Q += kw * (rl - (shift + lg));
    if (!needDerivs) continue;
    const gc = kw * (r1 - pc);
    g0 += gc * x0; g1 += gc * x1;
    const coef = kw * pc * (1.0 - pc);
    const v0 = coef * x0, v1 = coef * x1;
    h00 += v0 * x0;
    h10 += v1 * x0; h11 += v1 * x1;
  }
  if (needDerivs) storeGradHess2(work, gr, hs, g0, g1, h00, h10, h11);
  return Q;
}
