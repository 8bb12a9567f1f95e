// Hybrid models with GLM experts (binomial, Poisson, negative binomial): the two
// expert steps of hybrid.ts for families whose expert step is Newton/IRLS (irls.ts).
//  (a) local: at each grid point and component, the kernel×posterior weighted local
//      log-likelihood over the local-linear design of the varying columns, the
//      constant columns entering the linear predictor as a fixed offset; then a varying
//      negative-binomial θ by its Newton steps in log θ (families/negbin.ts);
//  (b) global: the constant columns of each component by the global expected
//      complete-data log-likelihood Σ_i w_i r_ic log f(y_i | η_i, θ_c(u_i)) with the
//      varying part at each row's own u (grid interpolation, as in estepInterp) in the
//      offset; then a constant θ_c the same way.
// Both maximise concave objectives by the damped Newton ascent of newton.ts (safe
// steps move no linear predictor by more than 1, others are checked by step-halving).
// Family terms come from family.ts only. The gating steps are hybrid.ts's.
//
// scr (3n, rows.scratch): local: scr[i] = s_i; global: scr[i] = θ at u_i; then
// scr[n+i] = the row's weight a_i and scr[2n+i] = its fixed offset (θ steps: its mean).
import { exp, log } from "./mathx";
import { kernelWeight, scaledDistance, KERNEL_NONE, interpDispersion, windowDistances } from "./kernel";
import { familyTerms, familyHasTheta } from "./family";
import { TERMS, T_GRAD, T_WEIGHT } from "./families/terms";
import { THETA_MIN, THETA_MAX, THETA_WORK, atThetaBound, thetaNewton } from "./families/negbin";
import { STATUS_LOW_WEIGHT, STATUS_DISPERSION_BOUND } from "./status";
import { newtonBegin, newtonNext, newtonTell, newtonTrialDerivs, newtonFlags, newtonWorkSize, NEWTON_DONE, NEWTON_DERIVS, NEWTON_VALUE, SCALE_FIXED } from "./newton";
import { Rows, Grid, Masks, AUX_WIDTH } from "./abi";

/** See irls.ts SAFE_ETA_MOVE. */
const SAFE_ETA_MOVE: f64 = 1.0;

/** Scratch size (f64 count) of both kernels. */
export function hybridGlmWorkSize(q: i32): i32 {
  const d = 2 * q;
  return newtonWorkSize(d) + d + THETA_WORK;
}

/**
 * The masked objective Σ_i a_i log f(y_i | o_i + v_iᵀβ) (up to terms free of β) at
 * work[par..par+d) over rows i0..i1; v_i the selected columns of z_i (sel = 0: the
 * varying ones, with their slopes z·s when d > count; sel = 1: the constant ones);
 * θ = theta, or per row scr[i] when perRowTheta. With needDerivs, the gradient at gr
 * and the lower triangle of the negative Hessian at hs.
 */
function maskedPass(
  family: i32, i0: i32, i1: i32, n: i32, q: i32, d: i32, c: i32, sel: i32, constE: Int32Array,
  y: Float64Array, Z: Float64Array, aux: Float64Array, scr: Float64Array, theta: f64, perRowTheta: bool,
  work: Float64Array, par: i32, gr: i32, hs: i32, dv: i32, needQ: bool, needDerivs: bool,
): f64 {
  if (needDerivs) {
    for (let k = 0; k < d; k++) unchecked(work[gr + k] = 0.0);
    for (let k = 0; k < d * d; k++) unchecked(work[hs + k] = 0.0);
  }
  let Q = 0.0;
  for (let i = i0; i < i1; i++) {
    const a = unchecked(scr[n + i]);
    if (a == 0.0) continue;
    let nk = 0;
    for (let k = 0; k < q; k++) {
      if ((unchecked(constE[c * q + k]) != 0 ? 1 : 0) != sel) continue;
      unchecked(work[dv + nk] = unchecked(Z[i * q + k]));
      nk++;
    }
    if (d > nk) {
      const s = unchecked(scr[i]);
      for (let k = 0; k < nk; k++) unchecked(work[dv + nk + k] = unchecked(work[dv + k]) * s);
    }
    let eta = unchecked(scr[2 * n + i]);
    for (let k = 0; k < d; k++) eta += unchecked(work[dv + k]) * unchecked(work[par + k]);
    const th = perRowTheta ? unchecked(scr[i]) : theta;
    Q += familyTerms(family, unchecked(y[i]), eta, th, log(th), unchecked(aux[AUX_WIDTH * i + 1]), a, needQ);
    if (!needDerivs) continue;
    const ag = a * unchecked(TERMS[T_GRAD]), aw = a * unchecked(TERMS[T_WEIGHT]);
    for (let r = 0; r < d; r++) {
      const vr = unchecked(work[dv + r]);
      unchecked(work[gr + r] += ag * vr);
      const va = aw * vr;
      for (let e = 0; e <= r; e++) unchecked(work[hs + r * d + e] += va * unchecked(work[dv + e]));
    }
  }
  return Q;
}

/** Newton ascent of maskedPass from work[0..d) (derivatives at cur first); returns status flags. */
function maskedNewton(
  family: i32, i0: i32, i1: i32, n: i32, q: i32, d: i32, c: i32, sel: i32, constE: Int32Array,
  y: Float64Array, Z: Float64Array, aux: Float64Array, scr: Float64Array, theta: f64, perRowTheta: bool,
  maxIter: i32, sumA: f64, zNorm: f64, work: Float64Array, dv: i32,
): i32 {
  const cur = 0, trial = d, gr = 2 * d, hs = 4 * d;
  const q0 = maskedPass(family, i0, i1, n, q, d, c, sel, constE, y, Z, aux, scr, theta, perRowTheta, work, cur, gr, hs, dv, false, true);
  for (let k = 0; k < d; k++) {
    if (!Number.isFinite(unchecked(work[gr + k])) || !Number.isFinite(unchecked(work[hs + k * d + k]))) return STATUS_LOW_WEIGHT;
  }
  if (q0 != q0) return STATUS_LOW_WEIGHT;
  newtonBegin(cur, d, maxIter, 40, 1e-12, SCALE_FIXED, sumA, zNorm, SAFE_ETA_MOVE, -1, 1, d, false, 0.0);
  for (let ask = newtonNext(work); ask != NEWTON_DONE; ask = newtonNext(work)) {
    if (ask == NEWTON_DERIVS) {
      maskedPass(family, i0, i1, n, q, d, c, sel, constE, y, Z, aux, scr, theta, perRowTheta, work, cur, gr, hs, dv, false, true);
      newtonTell(0.0, false);
    } else if (ask == NEWTON_VALUE) {
      newtonTell(maskedPass(family, i0, i1, n, q, d, c, sel, constE, y, Z, aux, scr, theta, perRowTheta, work, cur, gr, hs, dv, true, false), true);
    } else {
      newtonTell(maskedPass(family, i0, i1, n, q, d, c, sel, constE, y, Z, aux, scr, theta, perRowTheta, work, trial, gr, hs, dv, true, newtonTrialDerivs()), true);
    }
  }
  return newtonFlags();
}

/**
 * scr[2n+i] ← the mean e^(o_i + v_iᵀβ) at the coefficients work[0..) (for the θ steps):
 * `count` selected columns, followed by their slopes on s = scr[i] when `slopes`.
 */
function meansInto(i0: i32, i1: i32, n: i32, q: i32, count: i32, slopes: bool, c: i32, sel: i32, constE: Int32Array, Z: Float64Array, scr: Float64Array, work: Float64Array): void {
  for (let i = i0; i < i1; i++) {
    if (unchecked(scr[n + i]) == 0.0) continue;
    let eta = unchecked(scr[2 * n + i]), nk = 0;
    for (let k = 0; k < q; k++) {
      if ((unchecked(constE[c * q + k]) != 0 ? 1 : 0) != sel) continue;
      const zv = unchecked(Z[i * q + k]);
      eta += zv * unchecked(work[nk]);
      if (slopes) eta += zv * unchecked(scr[i]) * unchecked(work[count + nk]);
      nk++;
    }
    unchecked(scr[2 * n + i] = exp(eta));
  }
}

/**
 * Step (a): local steps of the varying expert coefficients (and a varying θ) at grid
 * points j0..j1-1; maxIter Newton (and θ) steps. Flags in grid.statusE.
 */
export function mstepExpertHybridGlm(rows: Rows, grid: Grid, masks: Masks, j0: i32, j1: i32, maxIter: i32, work: Float64Array): void {
  const n = rows.n, K = rows.K, q = rows.q, family = rows.family;
  const t = rows.t, y = rows.y, w = rows.w, Z = rows.Z, aux = rows.aux, R = rows.R, scr = rows.scratch;
  const kernel = grid.kernel, h = grid.h, g = grid.g, lo = grid.lo, hi = grid.hi;
  const alpha = grid.alpha, alphaS = grid.alphaS, phi = grid.phi, zNorm = grid.zNorm, status = grid.statusE;
  const constE = masks.constE, constS = masks.constS;
  const hasTheta = familyHasTheta(family);
  const dv = newtonWorkSize(2 * q), dOff = dv + 2 * q;
  for (let j = j0; j < j1; j++) {
    const gj = unchecked(g[j]);
    const iLo = unchecked(lo[j]), iHi = unchecked(hi[j]);
    const totalKw = windowDistances(kernel, t, w, gj, h, iLo, iHi, scr);
    for (let c = 0; c < K; c++) {
      const st = j * K + c, o = st * q;
      let nv = 0;
      for (let k = 0; k < q; k++) if (unchecked(constE[c * q + k]) == 0) nv++;
      const thetaVaries = hasTheta && unchecked(constS[c]) == 0;
      if (nv == 0 && !thetaVaries) { unchecked(status[st] = 0); continue; }
      const d = kernel == KERNEL_NONE ? nv : 2 * nv;
      let sumA = 0.0;
      for (let i = iLo; i < iHi; i++) {
        const a = kernelWeight(kernel, unchecked(scr[i])) * unchecked(w[i]) * unchecked(R[i * K + c]);
        unchecked(scr[n + i] = a);
        if (a == 0.0) continue;
        sumA += a;
        let off = unchecked(aux[AUX_WIDTH * i]);
        for (let k = 0; k < q; k++) if (unchecked(constE[c * q + k]) != 0) off += unchecked(Z[i * q + k]) * unchecked(alpha[o + k]);
        unchecked(scr[2 * n + i] = off);
      }
      if (!(sumA > 1e-8 * totalKw)) { unchecked(status[st] = STATUS_LOW_WEIGHT); continue; }
      const theta = hasTheta ? Math.min(THETA_MAX, Math.max(THETA_MIN, unchecked(phi[st]))) : 1.0;
      let flags = 0;
      let a = 0;
      for (let k = 0; k < q; k++) {
        if (unchecked(constE[c * q + k]) != 0) continue;
        unchecked(work[a] = unchecked(alpha[o + k]));
        if (d > nv) unchecked(work[nv + a] = unchecked(alphaS[o + k]));
        a++;
      }
      if (d > 0) {
        flags |= maskedNewton(family, iLo, iHi, n, q, d, c, 0, constE, y, Z, aux, scr, theta, false, maxIter, sumA, zNorm, work, dv);
        a = 0;
        for (let k = 0; k < q; k++) {
          if (unchecked(constE[c * q + k]) != 0) continue;
          unchecked(alpha[o + k] = unchecked(work[a]));
          unchecked(alphaS[o + k] = d > nv ? unchecked(work[nv + a]) : 0.0);
          a++;
        }
      }
      if (thetaVaries) {
        meansInto(iLo, iHi, n, q, nv, d > nv, c, 0, constE, Z, scr, work);
        const th = thetaNewton(iLo, iHi, n, y, scr, theta, sumA, maxIter, work, dOff);
        unchecked(phi[st] = th);
        if (atThetaBound(th)) flags |= STATUS_DISPERSION_BOUND;
      } else if (!hasTheta) {
        unchecked(phi[st] = 1.0);
      }
      unchecked(status[st] = flags);
    }
  }
}

/**
 * Step (b): the constant expert coefficients of each component (and a constant θ_c) by
 * the global likelihood with the varying parts at each row's u; maxIter Newton steps.
 * Values are written to every grid point (slopes 0). Returns status flags OR-ed over
 * components.
 */
export function globalExpertHybridGlm(rows: Rows, grid: Grid, masks: Masks, maxIter: i32, work: Float64Array): i32 {
  const n = rows.n, K = rows.K, q = rows.q, family = rows.family;
  const y = rows.y, w = rows.w, Z = rows.Z, aux = rows.aux, R = rows.R, scr = rows.scratch;
  const m = grid.m, jl = grid.jl, jr = grid.jr, lam = grid.lam, alpha = grid.alpha, alphaS = grid.alphaS, phi = grid.phi, zNorm = grid.zNorm;
  const constE = masks.constE, constS = masks.constS;
  const hasTheta = familyHasTheta(family);
  const dv = newtonWorkSize(2 * q), dOff = dv + 2 * q;
  let flags = 0;
  for (let c = 0; c < K; c++) {
    let nc = 0;
    for (let k = 0; k < q; k++) if (unchecked(constE[c * q + k]) != 0) nc++;
    const thetaConst = hasTheta && unchecked(constS[c]) != 0;
    if (nc == 0 && !thetaConst) continue;
    // weights, offsets (varying part at u_i) and θ at u_i
    let sumA = 0.0, tw = 0.0;
    for (let i = 0; i < n; i++) {
      tw += unchecked(w[i]);
      const a = unchecked(w[i]) * unchecked(R[i * K + c]);
      unchecked(scr[n + i] = a);
      if (a == 0.0) continue;
      sumA += a;
      const ja = unchecked(jl[i]), jb = unchecked(jr[i]);
      const lb = unchecked(lam[i]), la = 1.0 - lb;
      let off = unchecked(aux[AUX_WIDTH * i]);
      for (let k = 0; k < q; k++) {
        if (unchecked(constE[c * q + k]) != 0) continue;
        off += unchecked(Z[i * q + k]) * (la * unchecked(alpha[(ja * K + c) * q + k]) + lb * unchecked(alpha[(jb * K + c) * q + k]));
      }
      unchecked(scr[2 * n + i] = off);
      unchecked(scr[i] = hasTheta ? interpDispersion(unchecked(phi[ja * K + c]), unchecked(phi[jb * K + c]), lb) : 1.0);
    }
    if (!(sumA > 1e-8 * tw)) { flags |= STATUS_LOW_WEIGHT; continue; }
    if (nc > 0) {
      let a = 0;
      for (let k = 0; k < q; k++) if (unchecked(constE[c * q + k]) != 0) { unchecked(work[a] = unchecked(alpha[c * q + k])); a++; } // grid point 0 holds the constant
      flags |= maskedNewton(family, 0, n, n, q, nc, c, 1, constE, y, Z, aux, scr, 1.0, true, maxIter, sumA, zNorm, work, dv);
      for (let j = 0; j < m; j++) {
        a = 0;
        for (let k = 0; k < q; k++) {
          if (unchecked(constE[c * q + k]) == 0) continue;
          unchecked(alpha[(j * K + c) * q + k] = unchecked(work[a]));
          unchecked(alphaS[(j * K + c) * q + k] = 0.0);
          a++;
        }
      }
    }
    if (thetaConst) {
      // means at the new constants
      meansInto(0, n, n, q, nc, false, c, 1, constE, Z, scr, work);
      const th = thetaNewton(0, n, n, y, scr, unchecked(phi[c]), sumA, maxIter, work, dOff);
      if (atThetaBound(th)) flags |= STATUS_DISPERSION_BOUND;
      for (let j = 0; j < m; j++) unchecked(phi[j * K + c] = th);
    }
  }
  return flags;
}
