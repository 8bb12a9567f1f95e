// GLM expert M-step (binomial/logit, Poisson/log, negative binomial/log): at each
// grid point and for each component, maximise the kernel- and posterior-weighted
// local log-likelihood Q(β) = Σ_i K(s_i) w_i r_ic log f(y_i | off_i + d_iᵀβ) over the
// local-linear design d_i = [z_i, z_i·s_i] (or [z_i] for a global fit) by Newton's
// method (= IRLS for the canonical links; for the negative binomial the observed
// information, which is positive for the log link too). Q is concave in β for all
// three families, and every step is an ascent step: either it provably is (see
// SAFE_ETA_MOVE) or it is verified with step-halving. For the negative binomial
// the size θ is then updated by Newton steps in log θ with step-halving, locally
// (θ_c(u) locally constant, like the Gaussian σ) or globally (mstepThetaGlobal).
//
// scr (3n): scr[i] = s_i, scr[n+i] = a_i = K(s_i) w_i r_ic, scr[2n+i] = μ_i = e^η_i (θ steps).
import { exp, log } from "./mathx";
import { kernelWeight, scaledDistance, KERNEL_NONE } from "./kernel";
import { choleskyRidge, cholSolve } from "./linalg";
import { FAMILY_BINOMIAL, FAMILY_POISSON, FAMILY_NEGBIN, AUX_WIDTH } from "./family";
import { lgammaDiff, digammaDiff, trigammaDiff, log1p } from "./special";
import { Rows, Grid } from "./abi";
import { STATUS_LOW_WEIGHT, STATUS_RIDGE, STATUS_DISPERSION_BOUND, STATUS_NO_ASCENT, STATUS_SINGULAR, STATUS_BOUNDARY } from "./status";

/** Bounds of the negative-binomial size θ (hits are flagged with STATUS_DISPERSION_BOUND). */
export const THETA_MIN: f64 = 1e-4;
export const THETA_MAX: f64 = 1e8;

/**
 * A Newton step that moves no linear predictor by more than this is an ascent step
 * without checking: each row's curvature c(η) (μ; mπ(1−π); (y+θ)σ(1−σ)) satisfies
 * |d log c / dη| <= 1, so along the step Q(β+s) − Q(β) >= dec·(1 − (e^δ − 1 − δ)/δ²)
 * with δ the largest move, and the bracket is positive for δ <= 1.
 */
const SAFE_ETA_MOVE: f64 = 1.0;

/** Scratch size (f64 count) of mstepGlm's work buffer. */
export function glmWorkSize(K: i32, q: i32): i32 {
  const d = 2 * q;
  return 2 * d * d + 6 * d + 2 + THETA_WORK;
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
 * of the negative Hessian (at hs).
 */
function glmPass(
  family: i32, i0: i32, i1: i32, n: i32, q: i32, d: i32,
  y: Float64Array, Z: Float64Array, aux: Float64Array, scr: Float64Array,
  work: Float64Array, par: i32, gr: i32, hs: i32, dvOff: i32, theta: f64, logTheta: f64,
  needQ: bool, needDerivs: bool,
): f64 {
  const pen = dvOff + d;
  if (q == 2 && d == 4) return glmPassQ2(family, i0, i1, n, y, Z, aux, scr, work, par, gr, hs, pen, theta, logTheta, needQ, needDerivs);
  if (needDerivs) {
    for (let k = 0; k < d; k++) unchecked(work[gr + k] = 0.0);
    for (let k = 0; k < d * d; k++) unchecked(work[hs + k] = 0.0);
  }
  let Q = 0.0, f0 = 0.0, f1 = 0.0;
  for (let i = i0; i < i1; i++) {
    const a = unchecked(scr[n + i]);
    if (a == 0.0) continue;
    const s = unchecked(scr[i]);
    let eta = unchecked(aux[AUX_WIDTH * i]);
    for (let k = 0; k < q; k++) {
      const zv = unchecked(Z[i * q + k]);
      unchecked(work[dvOff + k] = zv);
      eta += zv * unchecked(work[par + k]);
      if (d > q) {
        const zs = zv * s;
        unchecked(work[dvOff + q + k] = zs);
        eta += zs * unchecked(work[par + q + k]);
      }
    }
    const yi = unchecked(y[i]);
    let gi = 0.0, wi = 0.0;
    if (family == FAMILY_POISSON) {
      const mu = exp(eta);
      if (needQ) Q += a * (yi * eta - mu);
      gi = yi - mu;
      wi = mu;
      f0 += a * mu;
    } else {
      // binomial: m = trials, logit argument η; negative binomial: m = y + θ, argument η − log θ
      let mm = 0.0, arg = eta;
      if (family == FAMILY_BINOMIAL) mm = unchecked(aux[AUX_WIDTH * i + 1]);
      else { mm = yi + theta; arg = eta - logTheta; }
      const e = exp(-Math.abs(arg));
      const sg = arg > 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
      if (needQ) Q += a * (yi * eta - mm * (Math.max(arg, 0.0) + log1p(e)));
      gi = yi - mm * sg;
      wi = mm * sg * (1.0 - sg);
      if (family == FAMILY_BINOMIAL) {
        f0 += a * mm * sg;
        f1 += a * mm * (arg > 0.0 ? e / (1.0 + e) : 1.0 / (1.0 + e));
      } else f0 += a * theta * (arg < 0.0 ? e : 1.0 / e);
    }
    if (!needDerivs) continue;
    const ag = a * gi, aw = a * wi;
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
  return ridge(d, work, par, gr, hs, pen, Q, needQ, needDerivs);
}

/**
 * glmPass for the common local-linear case q = 2 (intercept + one covariate, d = 4):
 * gradient (4) and Hessian lower triangle (10) accumulated in locals (registers).
 */
function glmPassQ2(
  family: i32, i0: i32, i1: i32, n: i32,
  y: Float64Array, Z: Float64Array, aux: Float64Array, scr: Float64Array,
  work: Float64Array, par: i32, gr: i32, hs: i32, pen: i32, theta: f64, logTheta: f64,
  needQ: bool, needDerivs: bool,
): f64 {
  const b0 = unchecked(work[par]), b1 = unchecked(work[par + 1]), b2 = unchecked(work[par + 2]), b3 = unchecked(work[par + 3]);
  let Q = 0.0, f0 = 0.0, f1 = 0.0;
  let g0 = 0.0, g1 = 0.0, g2 = 0.0, g3 = 0.0;
  let h00 = 0.0, h10 = 0.0, h11 = 0.0, h20 = 0.0, h21 = 0.0, h22 = 0.0, h30 = 0.0, h31 = 0.0, h32 = 0.0, h33 = 0.0;
  for (let i = i0; i < i1; i++) {
    const a = unchecked(scr[n + i]);
    if (a == 0.0) continue;
    const s = unchecked(scr[i]);
    const z0 = unchecked(Z[2 * i]), z1 = unchecked(Z[2 * i + 1]);
    const x2 = z0 * s, x3 = z1 * s;
    const eta = unchecked(aux[AUX_WIDTH * i]) + z0 * b0 + z1 * b1 + x2 * b2 + x3 * b3;
    const yi = unchecked(y[i]);
    let gi = 0.0, wi = 0.0;
    if (family == FAMILY_POISSON) {
      const mu = exp(eta);
      if (needQ) Q += a * (yi * eta - mu);
      gi = yi - mu;
      wi = mu;
      f0 += a * mu;
    } else {
      let mm = 0.0, arg = eta;
      if (family == FAMILY_BINOMIAL) mm = unchecked(aux[AUX_WIDTH * i + 1]);
      else { mm = yi + theta; arg = eta - logTheta; }
      const e = exp(-Math.abs(arg));
      const sg = arg > 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
      if (needQ) Q += a * (yi * eta - mm * (Math.max(arg, 0.0) + log1p(e)));
      gi = yi - mm * sg;
      wi = mm * sg * (1.0 - sg);
      if (family == FAMILY_BINOMIAL) {
        f0 += a * mm * sg;
        f1 += a * mm * (arg > 0.0 ? e / (1.0 + e) : 1.0 / (1.0 + e));
      } else f0 += a * theta * (arg < 0.0 ? e : 1.0 / e);
    }
    if (!needDerivs) continue;
    const ag = a * gi;
    g0 += ag * z0; g1 += ag * z1; g2 += ag * x2; g3 += ag * x3;
    const aw = a * wi;
    const v0 = aw * z0, v1 = aw * z1, v2 = aw * x2, v3 = aw * x3;
    h00 += v0 * z0;
    h10 += v1 * z0; h11 += v1 * z1;
    h20 += v2 * z0; h21 += v2 * z1; h22 += v2 * x2;
    h30 += v3 * z0; h31 += v3 * z1; h32 += v3 * x2; h33 += v3 * x3;
  }
  if (needDerivs) {
    unchecked(work[gr] = g0); unchecked(work[gr + 1] = g1); unchecked(work[gr + 2] = g2); unchecked(work[gr + 3] = g3);
    unchecked(work[hs] = h00);
    unchecked(work[hs + 4] = h10); unchecked(work[hs + 5] = h11);
    unchecked(work[hs + 8] = h20); unchecked(work[hs + 9] = h21); unchecked(work[hs + 10] = h22);
    unchecked(work[hs + 12] = h30); unchecked(work[hs + 13] = h31); unchecked(work[hs + 14] = h32); unchecked(work[hs + 15] = h33);
  }
  unchecked(work[pen + 4] = f0);
  unchecked(work[pen + 5] = f1);
  return ridge(4, work, par, gr, hs, pen, Q, needQ, needDerivs);
}

/**
 * Start from the data instead of the previous coefficients: weighted least squares
 * of the link-transformed, slightly shrunk response (log(y + ½), logit((y + ½)/(m + 1)))
 * minus the offset, with the family's working weights. Writes β at par.
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
    const yi = unchecked(y[i]);
    let zeta = 0.0, v = 0.0;
    if (family == FAMILY_BINOMIAL) {
      const m = unchecked(aux[AUX_WIDTH * i + 1]);
      if (m == 0.0) continue;
      const p0 = (yi + 0.5) / (m + 1.0);
      zeta = log(p0 / (1.0 - p0));
      v = m * p0 * (1.0 - p0);
    } else {
      const mu0 = yi + 0.5;
      zeta = log(mu0);
      v = family == FAMILY_NEGBIN ? mu0 / (1.0 + mu0 / theta) : mu0;
    }
    zeta -= unchecked(aux[AUX_WIDTH * i]);
    const s = unchecked(scr[i]);
    for (let k = 0; k < q; k++) {
      const zv = unchecked(Z[i * q + k]);
      unchecked(work[dvOff + k] = zv);
      if (d > q) unchecked(work[dvOff + q + k] = zv * s);
    }
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

/** Counts up to this value take their lgamma/digamma/trigamma differences from per-pass tables. */
const TABLE_MAX: i32 = 128;
/** work slots used by thetaPass from dOff: G, H, then the three tables. */
export const THETA_WORK: i32 = 2 + 3 * (TABLE_MAX + 1);

/**
 * Weighted negative-binomial log-likelihood in φ = log θ over rows i0..i1 with
 * weights a_i = scr[n+i] and means μ_i = scr[2n+i] (terms free of θ
 * dropped); its first and second derivatives in φ go to work[dOff], work[dOff+1].
 * θ is the same for every row, so lΓ(θ+y) − lΓ(θ), ψ(θ+y) − ψ(θ), ψ'(θ+y) − ψ'(θ)
 * for small counts y come from tables built once per pass (finite sums).
 */
function thetaPass(
  i0: i32, i1: i32, n: i32, y: Float64Array, scr: Float64Array, phiLog: f64,
  needDerivs: bool, work: Float64Array, dOff: i32,
): f64 {
  const theta = exp(phiLog);
  const tl = dOff + 2, td = tl + TABLE_MAX + 1, tt = td + TABLE_MAX + 1;
  let sl = 0.0, sd = 0.0, st = 0.0;
  for (let v = 0; v <= TABLE_MAX; v++) {
    unchecked(work[tl + v] = sl); unchecked(work[td + v] = sd); unchecked(work[tt + v] = st);
    const x = theta + f64(v);
    sl += log(x);
    if (needDerivs) { sd += 1.0 / x; st -= 1.0 / (x * x); }
  }
  let Q = 0.0, G = 0.0, H = 0.0;
  for (let i = i0; i < i1; i++) {
    const a = unchecked(scr[n + i]);
    if (a == 0.0) continue;
    const yi = unchecked(y[i]);
    const r = unchecked(scr[2 * n + i]) / theta;
    const sg = r / (1.0 + r); // μ / (μ + θ)
    const sp = log1p(r);      // log(1 + μ/θ)
    const small = yi <= f64(TABLE_MAX);                     // counts are integers (checked on input)
    const yk = small ? i32(yi) : 0;
    const lgd = small ? unchecked(work[tl + yk]) : lgammaDiff(theta, yi);
    Q += a * (lgd - (theta + yi) * sp - yi * phiLog);
    if (needDerivs) {
      const dg = small ? unchecked(work[td + yk]) : digammaDiff(theta, yi);
      const tg = small ? unchecked(work[tt + yk]) : trigammaDiff(theta, yi);
      G += a * (theta * dg - theta * sp + (theta + yi) * sg - yi);
      H += a * (theta * dg + theta * theta * tg - theta * sp + 2.0 * theta * sg - (theta + yi) * sg * (1.0 - sg));
    }
  }
  unchecked(work[dOff] = G);
  unchecked(work[dOff + 1] = H);
  return Q;
}

/**
 * Newton steps in φ = log θ (at most maxIter, each |Δφ| <= 2, step-halving so the
 * weighted likelihood never decreases; a gradient step of length 1 where the
 * objective is not concave). θ stays in [THETA_MIN, THETA_MAX].
 */
function thetaNewton(
  i0: i32, i1: i32, n: i32, y: Float64Array, scr: Float64Array, theta: f64, sumA: f64,
  maxIter: i32, work: Float64Array, dOff: i32,
): f64 {
  const lo = log(THETA_MIN), hi = log(THETA_MAX);
  let phiLog = Math.min(hi, Math.max(lo, log(theta)));
  for (let it = 0; it < maxIter; it++) {
    const Q0 = thetaPass(i0, i1, n, y, scr, phiLog, true, work, dOff);
    const G = unchecked(work[dOff]), H = unchecked(work[dOff + 1]);
    if (!Number.isFinite(Q0) || !Number.isFinite(G) || !Number.isFinite(H)) break;
    let delta = 0.0;
    if (H < 0.0) {
      if (G * G <= -H * 1e-12 * (sumA + 1e-300)) break; // Newton decrement ~ 0
      delta = -G / H;
    } else {
      if (G == 0.0) break;
      delta = G > 0.0 ? 1.0 : -1.0;
    }
    delta = Math.max(-2.0, Math.min(2.0, delta));
    const target = Math.min(hi, Math.max(lo, phiLog + delta));
    const full = target - phiLog;
    if (full == 0.0) break;
    let tau = 1.0, accepted = false;
    for (let half = 0; half < 30; half++) {
      const trial = phiLog + tau * full;
      const Qt = thetaPass(i0, i1, n, y, scr, trial, false, work, dOff);
      if (Qt >= Q0) { phiLog = trial; accepted = true; break; }
      tau *= 0.5;
    }
    if (!accepted) break;
  }
  return exp(phiLog);
}

/** True when the gradient and the Hessian's diagonal at work[gr], work[hs] are finite (q is the pass's return). */
function derivsFinite(work: Float64Array, gr: i32, hs: i32, d: i32, q: f64): bool {
  if (q != q) return false;
  for (let k = 0; k < d; k++) {
    if (!Number.isFinite(unchecked(work[gr + k])) || !Number.isFinite(unchecked(work[hs + k * d + k]))) return false;
  }
  return true;
}

// @ts-ignore: decorator
@inline function atThetaBound(theta: f64): bool {
  return theta <= THETA_MIN * 1.000001 || theta >= THETA_MAX * 0.999999;
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
  const hs = 0, fac = dd, gr = 2 * dd, step = gr + d, cur = step + d, trial = cur + d, dvOff = trial + d;
  const pen = dvOff + d, fit = pen + d; // ridge weights ε·D_k; fitted-mean sums of the last pass
  const dOff = fit + 2;
  for (let j = j0; j < j1; j++) {
    const gj = unchecked(g[j]);
    const iLo = unchecked(lo[j]), iHi = unchecked(hi[j]);
    let totalKw = 0.0;
    for (let i = iLo; i < iHi; i++) {
      const s = scaledDistance(kernel, unchecked(t[i]), gj, h);
      unchecked(scr[i] = s);
      totalKw += kernelWeight(kernel, s) * unchecked(w[i]);
    }
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
        if (family == FAMILY_BINOMIAL) {
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
      if (sumAY == 0.0 || (family == FAMILY_BINOMIAL && sumAF == 0.0)) flags |= STATUS_BOUNDARY;
      const o = st * q;
      for (let k = 0; k < q; k++) {
        unchecked(work[cur + k] = unchecked(alpha[o + k]));
        if (d > q) unchecked(work[cur + q + k] = unchecked(alphaS[o + k]));
      }
      let theta = 1.0;
      if (family == FAMILY_NEGBIN) theta = Math.min(THETA_MAX, Math.max(THETA_MIN, unchecked(phi[st])));
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
      let Q0 = 0.0;
      let haveQ0 = false;
      for (let it = 0; it < maxIter; it++) {
        const ridge = choleskyRidge(work, fac, work, hs, d);
        if (ridge < 0.0) { flags |= STATUS_SINGULAR; break; }
        if (ridge > 0.0) flags |= STATUS_RIDGE;
        for (let k = 0; k < d; k++) unchecked(work[step + k] = unchecked(work[gr + k]));
        cholSolve(work, fac, d, work, step);
        let dec = 0.0, norm2 = 0.0;
        for (let k = 0; k < d; k++) {
          const v = unchecked(work[step + k]);
          dec += unchecked(work[gr + k]) * v;
          norm2 += v * v;
        }
        if (!(dec > 1e-12 * sumA)) break; // converged: the attainable gain per unit weight is negligible
        const last = it + 1 >= maxIter;
        if (zNormMax * Math.sqrt(norm2) <= SAFE_ETA_MOVE) {
          for (let k = 0; k < d; k++) unchecked(work[cur + k] = unchecked(work[cur + k]) + unchecked(work[step + k]));
          haveQ0 = false;
          if (last) break;
          glmPass(family, iLo, iHi, n, q, d, y, Z, aux, scr, work, cur, gr, hs, dvOff, theta, logTheta, false, true);
          continue;
        }
        if (!haveQ0) {
          Q0 = glmPass(family, iLo, iHi, n, q, d, y, Z, aux, scr, work, cur, gr, hs, dvOff, theta, logTheta, true, false);
          haveQ0 = true;
        }
        let tau = 1.0, accepted = false;
        for (let half = 0; half < 40; half++) {
          for (let k = 0; k < d; k++) unchecked(work[trial + k] = unchecked(work[cur + k]) + tau * unchecked(work[step + k]));
          const Qt = glmPass(family, iLo, iHi, n, q, d, y, Z, aux, scr, work, trial, gr, hs, dvOff, theta, logTheta, true, !last);
          if (Qt >= Q0) {
            accepted = true;
            Q0 = Qt;
            for (let k = 0; k < d; k++) unchecked(work[cur + k] = unchecked(work[trial + k]));
            break;
          }
          tau *= 0.5;
        }
        if (!accepted) {
          if (dec > 1e-8 * sumA) flags |= STATUS_NO_ASCENT;
          break;
        }
      }
      for (let k = 0; k < q; k++) {
        unchecked(alpha[o + k] = unchecked(work[cur + k]));
        unchecked(alphaS[o + k] = d > q ? unchecked(work[cur + q + k]) : 0.0);
      }
      // fitted means negligible (mean count, successes or failures below 1e-6 per unit
      // weight): the local MLE is at infinity and the ridge holds the estimate
      const f0 = unchecked(work[fit]), f1 = unchecked(work[fit + 1]);
      if (family == FAMILY_BINOMIAL ? (f0 < 1e-6 * sumAM || f1 < 1e-6 * sumAM) : f0 < 1e-6 * sumA) flags |= STATUS_BOUNDARY;
      // separation: a coefficient moving the linear predictor by more than 15 per
      // (weighted) standard deviation of its column (the first column, usually the
      // intercept, only for the binomial, where |η| > 15 means π within 3e-7 of 0 or 1)
      for (let k = family == FAMILY_BINOMIAL ? 0 : 1; k < d; k++) {
        const b = unchecked(work[cur + k]);
        if (b * b * (unchecked(work[pen + k]) / RIDGE_EPS) > 225.0 * sumA) flags |= STATUS_BOUNDARY;
      }
      if (family == FAMILY_NEGBIN && thetaLocal != 0) {
        // η at the new coefficients for the θ step
        let m1 = 0.0, m2 = 0.0;
        for (let i = iLo; i < iHi; i++) {
          const a = unchecked(scr[n + i]);
          if (a == 0.0) continue;
          const s = unchecked(scr[i]);
          let eta = unchecked(aux[AUX_WIDTH * i]);
          for (let k = 0; k < q; k++) {
            const zv = unchecked(Z[i * q + k]);
            eta += zv * unchecked(work[cur + k]);
            if (d > q) eta += zv * s * unchecked(work[cur + q + k]);
          }
          const mu = exp(eta);
          unchecked(scr[2 * n + i] = mu);
          if (fresh != 0) {
            // method-of-moments start for θ: Var = μ + μ²/θ
            const r = unchecked(y[i]) - mu;
            m1 += a * mu * mu;
            m2 += a * (r * r - mu);
          }
        }
        if (fresh != 0) theta = m2 > 0.0 ? Math.min(THETA_MAX, Math.max(THETA_MIN, m1 / m2)) : 100.0;
        theta = thetaNewton(iLo, iHi, n, y, scr, theta, sumA, maxIter, work, dOff);
        unchecked(phi[st] = theta);
        if (atThetaBound(theta)) flags |= STATUS_DISPERSION_BOUND;
      } else if (family != FAMILY_NEGBIN) {
        unchecked(phi[st] = 1.0);
      }
      unchecked(status[st] = flags);
    }
  }
}

/**
 * Constant negative-binomial sizes θ_c (one per component for the whole u range):
 * Newton steps in log θ_c on the global expected complete-data log-likelihood
 * Σ_i w_i r_ic log f(y_i | η_ic, θ_c), with η_ic from the curves interpolated at each
 * row's u (as in estepInterp). Writes θ_c to every grid point's phi.
 */
export function mstepThetaGlobal(rows: Rows, grid: Grid, maxIter: i32, work: Float64Array): void {
  const n = rows.n, K = rows.K, q = rows.q;
  const y = rows.y, w = rows.w, Z = rows.Z, aux = rows.aux, R = rows.R, scr = rows.scratch;
  const m = grid.m, jl = grid.jl, jr = grid.jr, lam = grid.lam, alpha = grid.alpha, phi = grid.phi, status = grid.statusE;
  for (let c = 0; c < K; c++) {
    let sumA = 0.0;
    for (let i = 0; i < n; i++) {
      const a = unchecked(w[i]) * unchecked(R[i * K + c]);
      unchecked(scr[n + i] = a);
      sumA += a;
      if (a == 0.0) continue;
      const ja = unchecked(jl[i]), jb = unchecked(jr[i]);
      const lb = unchecked(lam[i]), la = 1.0 - lb;
      const ea = (ja * K + c) * q, eb = (jb * K + c) * q;
      let ma = 0.0, mb = 0.0;
      for (let k = 0; k < q; k++) {
        const zv = unchecked(Z[i * q + k]);
        ma += zv * unchecked(alpha[ea + k]);
        mb += zv * unchecked(alpha[eb + k]);
      }
      unchecked(scr[2 * n + i] = exp(unchecked(aux[AUX_WIDTH * i]) + la * ma + lb * mb));
    }
    if (!(sumA > 0.0)) continue;
    const theta = thetaNewton(0, n, n, y, scr, unchecked(phi[c]), sumA, maxIter, work, 0);
    const bound = atThetaBound(theta);
    for (let j = 0; j < m; j++) {
      unchecked(phi[j * K + c] = theta);
      if (bound) unchecked(status[j * K + c] |= STATUS_DISPERSION_BOUND);
    }
  }
}
