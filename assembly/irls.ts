// GLM expert M-step (binomial/logit, Poisson/log, negative binomial/log): at each
// grid point and for each component, maximise the kernel- and posterior-weighted
// local log-likelihood Q(β) = Σ_i K(s_i) w_i r_ic log f(y_i | off_i + d_iᵀβ) over the
// local-linear design d_i = [z_i, z_i·s_i] (or [z_i] for a global fit) by Newton's
// method (= IRLS for the canonical links; for the negative binomial the observed
// information, which is positive for the log link too). Q is concave in β for all
// three families, and every step is an ascent step: either it provably is (see
// SAFE_ETA_MOVE) or it is verified with step-halving (newton.ts). Nothing here
// depends on the family except through family.ts: the per-row terms come from the
// family's row function, and a family with a dispersion θ (the negative binomial)
// then takes its θ step (families/negbin.ts), locally (θ_c(u) locally constant, like
// the Gaussian σ) or globally (mstepThetaGlobal).
//
// scr (3n): scr[i] = s_i, scr[n+i] = a_i = K(s_i) w_i r_ic, scr[2n+i] = μ_i = e^η_i (θ steps).
import { log } from "./mathx";
import { kernelWeight, scaledDistance, localPredictor, KERNEL_NONE, localDesignRow, windowDistances } from "./kernel";
import { choleskyRidge, cholSolve, storeGradHess2, storeGradHess4 } from "./linalg";
import { familyTerms, familyTermsPair, familyStart, familyBounded, familyHasTheta } from "./family";
import { TERMS, TERMS_B, TERM_VALUES, T_GRAD, T_WEIGHT, T_FIT0, T_FIT1, nextWeighted } from "./families/terms";
import { THETA_MIN, THETA_MAX, THETA_WORK, atThetaBound, thetaStepLocal } from "./families/negbin";
import { Rows, Grid, AUX_WIDTH } from "./abi";
import { STATUS_LOW_WEIGHT, STATUS_DISPERSION_BOUND, STATUS_SINGULAR, STATUS_BOUNDARY } from "./status";
import { newtonBegin, newtonNext, newtonTell, newtonTrialDerivs, newtonFlags, newtonWorkSize, NEWTON_DONE, NEWTON_DERIVS, NEWTON_VALUE, SCALE_FIXED } from "./newton";

/**
 * A Newton step that moves no linear predictor by more than this is an ascent step
 * without checking: each row's curvature c(η) (μ; mπ(1−π); (y+θ)σ(1−σ)) satisfies
 * |d log c / dη| <= 1, so along the step Q(β+s) − Q(β) >= dec·(1 − (e^δ − 1 − δ)/δ²)
 * with δ the largest move, and the bracket is positive for δ <= 1.
 */
const SAFE_ETA_MOVE: f64 = 1.0;

/** Scratch size (f64 count) of mstepGlm's work buffer: the Newton block, then design row, ridge weights, fitted sums, θ steps. */
export function glmWorkSize(K: i32, q: i32): i32 {
  const d = 2 * q;
  return newtonWorkSize(d) + 2 * d + 2 + THETA_WORK;
}

/**
 * Ridge weight ε of the penalty ½ε Σ_k D_k β_k², D_k = Σ_i a_i d_ik² (scale-free per
 * column). It keeps the local estimate finite where the maximum-likelihood one is at
 * infinity (separation, all-zero or all-success windows: the linear predictor then
 * stops near log ε ≈ −18 instead of running off, also under SQUAREM extrapolation);
 * elsewhere it moves the coefficients by about ε/W relative (W the working weight),
 * far below their standard errors.
 */
export const RIDGE_EPS: f64 = 1e-8;

/**
 * Applies the ridge to Q (returned), the gradient and the Hessian diagonal, and keeps
 * the pass's fitted-mean sums: work[pen..pen+d) = ε·D_k, then two sums at pen+d.
 */
function ridge(d: i32, work: Float64Array, par: i32, gr: i32, hs: i32, pen: i32, Q: f64, needQ: bool, needDerivs: bool): f64 {
  let pq = 0.0;
  for (let k = 0; k < d; k++) {
    const p = unchecked(work[pen + k]), b = unchecked(work[par + k]);
    if (needQ) pq += p * b * b;
    if (needDerivs) {
      unchecked(work[gr + k] -= p * b);
      unchecked(work[hs + k * d + k] += p);
    }
  }
  return Q - 0.5 * pq;
}

/**
 * Q at the coefficients work[par..par+d) over rows i0..i1 (those with a_i > 0), up to
 * terms free of β; when needDerivs, also the gradient (at gr) and the lower triangle
 * of the negative Hessian (at hs). The per-row terms are the family's (familyTerms); the
 * rows are accumulated by accumulateRowsQ2 in the common local-linear case q = 2
 * (intercept + one covariate, d = 4), else by accumulateRows.
 */
function glmPass(
  family: i32, i0: i32, i1: i32, n: i32, q: i32, d: i32,
  y: Float64Array, Z: Float64Array, aux: Float64Array, scr: Float64Array,
  work: Float64Array, par: i32, gr: i32, hs: i32, dvOff: i32, theta: f64, logTheta: f64,
  needQ: bool, needDerivs: bool,
): f64 {
  const pen = dvOff + d;
  const Q = q == 2 && d == 4
    ? accumulateRowsQ2(family, i0, i1, n, y, Z, aux, scr, work, par, gr, hs, pen, theta, logTheta, needQ, needDerivs)
    : q == 2 && d == 2
      ? accumulateRowsGlobalQ2(family, i0, i1, n, y, Z, aux, scr, work, par, gr, hs, pen, theta, logTheta, needQ, needDerivs)
      : accumulateRows(family, i0, i1, n, q, d, y, Z, aux, scr, work, par, gr, hs, dvOff, pen, theta, logTheta, needQ, needDerivs);
  return ridge(d, work, par, gr, hs, pen, Q, needQ, needDerivs);
}

/** glmPass's rows for any design: the design row is kept at dvOff; returns Q (fitted sums at pen + d). */
function accumulateRows(
  family: i32, i0: i32, i1: i32, n: i32, q: i32, d: i32,
  y: Float64Array, Z: Float64Array, aux: Float64Array, scr: Float64Array,
  work: Float64Array, par: i32, gr: i32, hs: i32, dvOff: i32, pen: i32, theta: f64, logTheta: f64,
  needQ: bool, needDerivs: bool,
): f64 {
  if (needDerivs) {
    for (let k = 0; k < d; k++) unchecked(work[gr + k] = 0.0);
    for (let k = 0; k < d * d; k++) unchecked(work[hs + k] = 0.0);
  }
  let Q = 0.0, f0 = 0.0, f1 = 0.0;
  for (let i = i0; i < i1; i++) {
    const a = unchecked(scr[n + i]);
    if (a == 0.0) continue;
    const s = unchecked(scr[i]);
    localDesignRow(Z, i, q, d, s, work, dvOff);
    const eta = localPredictor(unchecked(aux[AUX_WIDTH * i]), Z, i, q, d, s, work, par);
    Q += familyTerms(family, unchecked(y[i]), eta, theta, logTheta, unchecked(aux[AUX_WIDTH * i + 1]), a, needQ);
    f0 += unchecked(TERMS[T_FIT0]); f1 += unchecked(TERMS[T_FIT1]);
    if (!needDerivs) continue;
    const ag = a * unchecked(TERMS[T_GRAD]), aw = a * unchecked(TERMS[T_WEIGHT]);
    for (let r = 0; r < d; r++) {
      const vr = unchecked(work[dvOff + r]);
      unchecked(work[gr + r] += ag * vr);
      const va = aw * vr;
      const row = hs + r * d;
      for (let c = 0; c <= r; c++) unchecked(work[row + c] += va * unchecked(work[dvOff + c]));
    }
  }
  unchecked(work[pen + d] = f0);
  unchecked(work[pen + d + 1] = f1);
  return Q;
}

/**
 * glmPass's rows for q = 2, d = 4: gradient (4) and Hessian lower triangle (10)
 * accumulated in locals (registers) instead of memory. The weighted rows go in pairs
 * whose terms share f64x2 lanes (familyTermsPair); each row's contributions are then
 * added in row order, so the sums are those of a row-by-row loop, bit for bit.
 */
function accumulateRowsQ2(
  family: i32, i0: i32, i1: i32, n: i32,
  y: Float64Array, Z: Float64Array, aux: Float64Array, scr: Float64Array,
  work: Float64Array, par: i32, gr: i32, hs: i32, pen: i32, theta: f64, logTheta: f64,
  needQ: bool, needDerivs: bool,
): f64 {
  const b0 = unchecked(work[par]), b1 = unchecked(work[par + 1]), b2 = unchecked(work[par + 2]), b3 = unchecked(work[par + 3]);
  let Q = 0.0, f0 = 0.0, f1 = 0.0;
  let g0 = 0.0, g1 = 0.0, g2 = 0.0, g3 = 0.0;
  let h00 = 0.0, h10 = 0.0, h11 = 0.0, h20 = 0.0, h21 = 0.0, h22 = 0.0, h30 = 0.0, h31 = 0.0, h32 = 0.0, h33 = 0.0;
  let i = i0;
  for (;;) {
    i = nextWeighted(i, i1, n, scr);
    if (i >= i1) break;
    const iB = nextWeighted(i + 1, i1, n, scr);
    const pair = iB < i1;
    const aA = unchecked(scr[n + i]), sA = unchecked(scr[i]);
    const zA0 = unchecked(Z[2 * i]), zA1 = unchecked(Z[2 * i + 1]);
    const xA2 = zA0 * sA, xA3 = zA1 * sA;
    const etaA = unchecked(aux[AUX_WIDTH * i]) + zA0 * b0 + zA1 * b1 + xA2 * b2 + xA3 * b3;
    // row B: the next weighted row, or row A again (unused) past the window's end
    const rB = pair ? iB : i;
    const aB = unchecked(scr[n + rB]), sB = unchecked(scr[rB]);
    const zB0 = unchecked(Z[2 * rB]), zB1 = unchecked(Z[2 * rB + 1]);
    const xB2 = zB0 * sB, xB3 = zB1 * sB;
    const etaB = unchecked(aux[AUX_WIDTH * rB]) + zB0 * b0 + zB1 * b1 + xB2 * b2 + xB3 * b3;
    familyTermsPair(family, theta, logTheta, needQ,
      unchecked(y[i]), etaA, unchecked(aux[AUX_WIDTH * i + 1]), aA, unchecked(y[rB]), etaB, unchecked(aux[AUX_WIDTH * rB + 1]), aB);
    // row A, then row B: the same additions as two iterations of a row-by-row loop (written
    // out twice: as a loop over the two rows the sums left the registers, 20 % slower)
    if (needQ) Q += unchecked(TERM_VALUES[0]);
    f0 += unchecked(TERMS[T_FIT0]); f1 += unchecked(TERMS[T_FIT1]);
    if (needDerivs) {
      const ag = aA * unchecked(TERMS[T_GRAD]);
      g0 += ag * zA0; g1 += ag * zA1; g2 += ag * xA2; g3 += ag * xA3;
      const aw = aA * unchecked(TERMS[T_WEIGHT]);
      const v0 = aw * zA0, v1 = aw * zA1, v2 = aw * xA2, v3 = aw * xA3;
      h00 += v0 * zA0;
      h10 += v1 * zA0; h11 += v1 * zA1;
      h20 += v2 * zA0; h21 += v2 * zA1; h22 += v2 * xA2;
      h30 += v3 * zA0; h31 += v3 * zA1; h32 += v3 * xA2; h33 += v3 * xA3;
    }
    if (!pair) break;
    if (needQ) Q += unchecked(TERM_VALUES[1]);
    f0 += unchecked(TERMS_B[T_FIT0]); f1 += unchecked(TERMS_B[T_FIT1]);
    if (needDerivs) {
      const ag = aB * unchecked(TERMS_B[T_GRAD]);
      g0 += ag * zB0; g1 += ag * zB1; g2 += ag * xB2; g3 += ag * xB3;
      const aw = aB * unchecked(TERMS_B[T_WEIGHT]);
      const v0 = aw * zB0, v1 = aw * zB1, v2 = aw * xB2, v3 = aw * xB3;
      h00 += v0 * zB0;
      h10 += v1 * zB0; h11 += v1 * zB1;
      h20 += v2 * zB0; h21 += v2 * zB1; h22 += v2 * xB2;
      h30 += v3 * zB0; h31 += v3 * zB1; h32 += v3 * xB2; h33 += v3 * xB3;
    }
    i = iB + 1;
  }
  if (needDerivs) storeGradHess4(work, gr, hs, g0, g1, g2, g3, h00, h10, h11, h20, h21, h22, h30, h31, h32, h33);
  unchecked(work[pen + 4] = f0);
  unchecked(work[pen + 5] = f1);
  return Q;
}

/**
 * glmPass's rows for a global fit with q = 2 (d = 2, no slopes: the constant
 * initialisation): accumulateRows's arithmetic in the same order, with the gradient and
 * the Hessian's lower triangle in locals.
 */
function accumulateRowsGlobalQ2(
  family: i32, i0: i32, i1: i32, n: i32,
  y: Float64Array, Z: Float64Array, aux: Float64Array, scr: Float64Array,
  work: Float64Array, par: i32, gr: i32, hs: i32, pen: i32, theta: f64, logTheta: f64,
  needQ: bool, needDerivs: bool,
): f64 {
  const b0 = unchecked(work[par]), b1 = unchecked(work[par + 1]);
  let Q = 0.0, f0 = 0.0, f1 = 0.0;
  let g0 = 0.0, g1 = 0.0, h00 = 0.0, h10 = 0.0, h11 = 0.0;
  for (let i = i0; i < i1; i++) {
    const a = unchecked(scr[n + i]);
    if (a == 0.0) continue;
    const z0 = unchecked(Z[2 * i]), z1 = unchecked(Z[2 * i + 1]);
    let eta = unchecked(aux[AUX_WIDTH * i]);
    eta += z0 * b0;
    eta += z1 * b1;
    Q += familyTerms(family, unchecked(y[i]), eta, theta, logTheta, unchecked(aux[AUX_WIDTH * i + 1]), a, needQ);
    f0 += unchecked(TERMS[T_FIT0]); f1 += unchecked(TERMS[T_FIT1]);
    if (!needDerivs) continue;
    const ag = a * unchecked(TERMS[T_GRAD]), aw = a * unchecked(TERMS[T_WEIGHT]);
    g0 += ag * z0; g1 += ag * z1;
    const v0 = aw * z0, v1 = aw * z1;
    h00 += v0 * z0;
    h10 += v1 * z0; h11 += v1 * z1;
  }
  if (needDerivs) storeGradHess2(work, gr, hs, g0, g1, h00, h10, h11);
  unchecked(work[pen + 2] = f0);
  unchecked(work[pen + 3] = f1);
  return Q;
}

/**
 * Start from the data instead of the previous coefficients: weighted least squares
 * of the family's working response (the link of the slightly shrunk response, e.g.
 * log(y + ½), logit((y + ½)/(m + 1))) minus the offset, with its working weights.
 * Writes β at par.
 */
function dataStart(
  family: i32, i0: i32, i1: i32, n: i32, q: i32, d: i32,
  y: Float64Array, Z: Float64Array, aux: Float64Array, scr: Float64Array,
  work: Float64Array, par: i32, gr: i32, hs: i32, fac: i32, dvOff: i32, theta: f64,
): bool {
  for (let k = 0; k < d; k++) unchecked(work[gr + k] = 0.0);
  for (let k = 0; k < d * d; k++) unchecked(work[hs + k] = 0.0);
  for (let i = i0; i < i1; i++) {
    const a = unchecked(scr[n + i]);
    if (a == 0.0) continue;
    let zeta = familyStart(family, unchecked(y[i]), theta, unchecked(aux[AUX_WIDTH * i + 1]));
    const v = unchecked(TERMS[T_WEIGHT]);
    if (v == 0.0) continue; // a row without information (binomial, no trials)
    zeta -= unchecked(aux[AUX_WIDTH * i]);
    const s = unchecked(scr[i]);
    localDesignRow(Z, i, q, d, s, work, dvOff);
    const av = a * v;
    for (let r = 0; r < d; r++) {
      const va = av * unchecked(work[dvOff + r]);
      unchecked(work[gr + r] += va * zeta);
      for (let c = 0; c <= r; c++) unchecked(work[hs + r * d + c] += va * unchecked(work[dvOff + c]));
    }
  }
  if (choleskyRidge(work, fac, work, hs, d) < 0.0) return false;
  for (let k = 0; k < d; k++) unchecked(work[par + k] = unchecked(work[gr + k]));
  cholSolve(work, fac, d, work, par);
  for (let k = 0; k < d; k++) if (!Number.isFinite(unchecked(work[par + k]))) return false;
  return true;
}

/** True when the gradient and the Hessian's diagonal at work[gr], work[hs] are finite (q is the pass's return). */
function derivsFinite(work: Float64Array, gr: i32, hs: i32, d: i32, q: f64): bool {
  if (q != q) return false;
  for (let k = 0; k < d; k++) {
    if (!Number.isFinite(unchecked(work[gr + k])) || !Number.isFinite(unchecked(work[hs + k * d + k]))) return false;
  }
  return true;
}

/**
 * GLM expert M-step at grid points j0..j1-1 (all components). maxIter: Newton steps
 * (and θ steps) per call; fresh != 0 starts from the data instead of the current
 * coefficients (first M-step after hard labels); thetaLocal != 0 updates θ here.
 * grid.zNorm bounds ‖d_i‖ over the rows (see SAFE_ETA_MOVE); flags in grid.statusE.
 */
export function mstepGlm(rows: Rows, grid: Grid, j0: i32, j1: i32, maxIter: i32, fresh: i32, thetaLocal: i32, work: Float64Array): void {
  const n = rows.n, K = rows.K, q = rows.q, family = rows.family;
  const t = rows.t, y = rows.y, w = rows.w, Z = rows.Z, aux = rows.aux, R = rows.R, scr = rows.scratch;
  const kernel = grid.kernel, h = grid.h, g = grid.g, lo = grid.lo, hi = grid.hi;
  const alpha = grid.alpha, alphaS = grid.alphaS, phi = grid.phi, zNormMax = grid.zNorm, status = grid.statusE;
  const d = kernel == KERNEL_NONE ? q : 2 * q;
  const dd = d * d;
  // the Newton block (newton.ts) first, then the pass's scratch
  const cur = 0, trial = d, gr = 2 * d, hs = 4 * d, fac = hs + dd, dvOff = newtonWorkSize(d);
  const pen = dvOff + d, fit = pen + d; // ridge weights ε·D_k; fitted-mean sums of the last pass
  const dOff = fit + 2;
  const bounded = familyBounded(family), hasTheta = familyHasTheta(family);
  for (let j = j0; j < j1; j++) {
    const gj = unchecked(g[j]);
    const iLo = unchecked(lo[j]), iHi = unchecked(hi[j]);
    const totalKw = windowDistances(kernel, t, w, gj, h, iLo, iHi, scr);
    for (let c = 0; c < K; c++) {
      const st = j * K + c;
      let flags = 0;
      let sumA = 0.0, sumAY = 0.0, sumAF = 0.0, sumAM = 0.0; // weights, weighted y, failures, trials
      for (let k = 0; k < d; k++) unchecked(work[pen + k] = 0.0);
      for (let i = iLo; i < iHi; i++) {
        const s = unchecked(scr[i]);
        const a = kernelWeight(kernel, s) * unchecked(w[i]) * unchecked(R[i * K + c]);
        unchecked(scr[n + i] = a);
        if (a == 0.0) continue;
        sumA += a;
        const yi = unchecked(y[i]);
        sumAY += a * yi;
        if (bounded) {
          const m = unchecked(aux[AUX_WIDTH * i + 1]);
          sumAF += a * (m - yi);
          sumAM += a * m;
        }
        // column scales D_k = Σ a d_k² of the ridge
        for (let k = 0; k < q; k++) {
          const z2 = a * unchecked(Z[i * q + k]) * unchecked(Z[i * q + k]);
          unchecked(work[pen + k] += z2);
          if (d > q) unchecked(work[pen + q + k] += z2 * s * s);
        }
      }
      for (let k = 0; k < d; k++) unchecked(work[pen + k] = RIDGE_EPS * unchecked(work[pen + k]));
      if (!(sumA > 1e-8 * totalKw)) {
        unchecked(status[st] = STATUS_LOW_WEIGHT);
        continue;
      }
      if (sumAY == 0.0 || (bounded && sumAF == 0.0)) flags |= STATUS_BOUNDARY;
      const o = st * q;
      for (let k = 0; k < q; k++) {
        unchecked(work[cur + k] = unchecked(alpha[o + k]));
        if (d > q) unchecked(work[cur + q + k] = unchecked(alphaS[o + k]));
      }
      let theta = 1.0;
      if (hasTheta) theta = Math.min(THETA_MAX, Math.max(THETA_MIN, unchecked(phi[st])));
      const logTheta = log(theta);
      // derivatives at the current coefficients (the objective itself only when a step
      // must be verified); the data start when asked for or when the current point is
      // not usable (non-finite derivatives: an overflowing mean)
      let usable = fresh == 0 && derivsFinite(work, gr, hs, d,
        glmPass(family, iLo, iHi, n, q, d, y, Z, aux, scr, work, cur, gr, hs, dvOff, theta, logTheta, false, true));
      if (!usable) {
        for (let k = 0; k < d; k++) unchecked(work[trial + k] = unchecked(work[cur + k]));
        if (dataStart(family, iLo, iHi, n, q, d, y, Z, aux, scr, work, cur, gr, hs, fac, dvOff, theta)) {
          usable = derivsFinite(work, gr, hs, d,
            glmPass(family, iLo, iHi, n, q, d, y, Z, aux, scr, work, cur, gr, hs, dvOff, theta, logTheta, false, true));
        }
        if (!usable) {
          for (let k = 0; k < d; k++) unchecked(work[cur + k] = unchecked(work[trial + k]));
          if (fresh != 0) {
            usable = derivsFinite(work, gr, hs, d,
              glmPass(family, iLo, iHi, n, q, d, y, Z, aux, scr, work, cur, gr, hs, dvOff, theta, logTheta, false, true));
          }
        }
        if (!usable) {
          // neither start is usable: keep the previous values
          unchecked(status[st] = STATUS_SINGULAR);
          continue;
        }
      }
      // Newton steps: converged when the attainable gain per unit weight is negligible;
      // safe steps move no linear predictor by more than SAFE_ETA_MOVE (one block: the whole step)
      newtonBegin(cur, d, maxIter, 40, 1e-12, SCALE_FIXED, sumA, zNormMax, SAFE_ETA_MOVE, -1, 1, d, false, 0.0);
      for (let ask = newtonNext(work); ask != NEWTON_DONE; ask = newtonNext(work)) {
        if (ask == NEWTON_DERIVS) {
          glmPass(family, iLo, iHi, n, q, d, y, Z, aux, scr, work, cur, gr, hs, dvOff, theta, logTheta, false, true);
          newtonTell(0.0, false);
        } else if (ask == NEWTON_VALUE) {
          newtonTell(glmPass(family, iLo, iHi, n, q, d, y, Z, aux, scr, work, cur, gr, hs, dvOff, theta, logTheta, true, false), true);
        } else {
          newtonTell(glmPass(family, iLo, iHi, n, q, d, y, Z, aux, scr, work, trial, gr, hs, dvOff, theta, logTheta, true, newtonTrialDerivs()), true);
        }
      }
      flags |= newtonFlags();
      for (let k = 0; k < q; k++) {
        unchecked(alpha[o + k] = unchecked(work[cur + k]));
        unchecked(alphaS[o + k] = d > q ? unchecked(work[cur + q + k]) : 0.0);
      }
      // fitted means negligible (mean count, successes or failures below 1e-6 per unit
      // weight): the local MLE is at infinity and the ridge holds the estimate
      const f0 = unchecked(work[fit]), f1 = unchecked(work[fit + 1]);
      if (bounded ? (f0 < 1e-6 * sumAM || f1 < 1e-6 * sumAM) : f0 < 1e-6 * sumA) flags |= STATUS_BOUNDARY;
      // separation: a coefficient moving the linear predictor by more than 15 per
      // (weighted) standard deviation of its column (the first column, usually the
      // intercept, only for a bounded response, where |η| > 15 means π within 3e-7 of 0 or 1)
      for (let k = bounded ? 0 : 1; k < d; k++) {
        const b = unchecked(work[cur + k]);
        if (b * b * (unchecked(work[pen + k]) / RIDGE_EPS) > 225.0 * sumA) flags |= STATUS_BOUNDARY;
      }
      if (hasTheta && thetaLocal != 0) {
        theta = thetaStepLocal(iLo, iHi, n, q, d, y, Z, aux, scr, work, cur, fresh, theta, sumA, maxIter, dOff);
        unchecked(phi[st] = theta);
        if (atThetaBound(theta)) flags |= STATUS_DISPERSION_BOUND;
      } else if (!hasTheta) {
        unchecked(phi[st] = 1.0);
      }
      unchecked(status[st] = flags);
    }
  }
}
