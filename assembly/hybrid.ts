// Hybrid models: some coefficients are constant in u, the rest vary. Two kinds of
// M-step alternate inside the label-consistent EM (method.md, "Hybrid models"):
//  (a) local steps for the varying coefficients at each grid point, the constant
//      ones entering as a fixed offset (expert: WLS on y − z_const·α_const; gating:
//      Newton with a fixed offset in the logits);
//  (b) global steps for the constant coefficients, the varying ones fixed at their
//      values at each row's own u (grid interpolation, as in estepInterp), maximising
//      the unweighted (over u) expected complete-data log-likelihood.
// Masks (1 = constant): constE[c*q+k] expert coefficient k of component c;
// constS[c] sigma of component c; constG[c*p+k] gating contrast c (vs baseline
// component 0) in term k (row c = 0 ignored). A constant coefficient is stored with
// the same value at every grid point and a zero slope (alphaS/gammaS).
import { exp, log } from "./mathx";
import { kernelWeight, scaledDistance, KERNEL_NONE, interpDispersion } from "./kernel";
import { choleskyRidge, cholSolve, solveNormalEquations } from "./linalg";
import { STATUS_LOW_WEIGHT, STATUS_RIDGE, STATUS_DISPERSION_BOUND, STATUS_SINGULAR } from "./status";
import { newtonBegin, newtonNext, newtonTell, newtonTrialDerivs, newtonFlags, newtonWorkSize, NEWTON_DONE, NEWTON_TRIAL, SCALE_OBJECTIVE } from "./newton";
import { Rows, Grid, Masks } from "./abi";

/** Scratch size (f64 count) that covers every kernel of this file. */
export function hybridWorkSize(K: i32, q: i32, p: i32): i32 {
  const d = 2 * q;
  const expert = K * (d * d + d + 2) + d * d + d;
  const P = (K - 1) * 2 * p;
  const gating = newtonWorkSize(P) + (K - 1) * 2 * p + 3 * K + 2;
  return expert > gating ? expert : gating;
}

/** Number of varying expert columns of component c. */
// @ts-ignore: decorator
@inline function varyingCount(mask: Int32Array, c: i32, width: i32): i32 {
  let nv = 0;
  for (let k = 0; k < width; k++) if (unchecked(mask[c * width + k]) == 0) nv++;
  return nv;
}

/**
 * Step (a) for the experts: at each grid point, kernel×posterior weighted least
 * squares of y minus the constant part on the local-linear design of the varying
 * columns; sigma (when varying) as the weighted residual standard deviation.
 * Statuses as in mstepGaussian.
 */
export function mstepExpertHybrid(rows: Rows, grid: Grid, masks: Masks, j0: i32, j1: i32, sigmaFloor: f64, work: Float64Array): void {
  const K = rows.K, q = rows.q, t = rows.t, y = rows.y, w = rows.w, Z = rows.Z, R = rows.R;
  const kernel = grid.kernel, h = grid.h, g = grid.g, lo = grid.lo, hi = grid.hi;
  const alpha = grid.alpha, alphaS = grid.alphaS, phi = grid.phi, status = grid.statusE;
  const constE = masks.constE, constS = masks.constS;
  const dMax = kernel == KERNEL_NONE ? q : 2 * q;
  const dd = dMax * dMax;
  const gramOff = 0;                  // K blocks of dMax² (component c uses d_c² of it)
  const rhsOff = K * dd;              // K blocks of dMax (become the solutions)
  const sumOff = rhsOff + K * dMax;   // K weight sums
  const ssOff = sumOff + K;           // K residual sums of squares
  const facOff = ssOff + K;           // factor
  const dvOff = facOff + dd;          // compact design row of one component
  for (let j = j0; j < j1; j++) {
    const gj = unchecked(g[j]);
    for (let k = 0; k < facOff; k++) unchecked(work[k] = 0.0);
    let totalKw = 0.0;
    const iLo = unchecked(lo[j]), iHi = unchecked(hi[j]);
    for (let pass = 0; pass < 2; pass++) {
      // pass 0: normal equations; pass 1: residual sums of squares with the solutions
      for (let i = iLo; i < iHi; i++) {
        const s = scaledDistance(kernel, unchecked(t[i]), gj, h);
        const kw = kernelWeight(kernel, s) * unchecked(w[i]);
        if (kw == 0.0) continue;
        if (pass == 0) totalKw += kw;
        for (let c = 0; c < K; c++) {
          if (pass == 1 && (unchecked(constS[c]) != 0 || unchecked(work[sumOff + c]) < 0.0)) continue;
          const wc = kw * unchecked(R[i * K + c]);
          if (wc == 0.0) continue;
          let off = 0.0, nv = 0;
          for (let k = 0; k < q; k++) {
            const zv = unchecked(Z[i * q + k]);
            if (unchecked(constE[c * q + k]) != 0) off += zv * unchecked(alpha[(j * K + c) * q + k]);
            else { unchecked(work[dvOff + nv] = zv); nv++; }
          }
          if (nv == 0 && unchecked(constS[c]) != 0) continue; // nothing local in this component
          const d = kernel == KERNEL_NONE ? nv : 2 * nv;
          if (d > nv) for (let a = 0; a < nv; a++) unchecked(work[dvOff + nv + a] = unchecked(work[dvOff + a]) * s);
          const yt = unchecked(y[i]) - off;
          if (pass == 0) {
            const G = gramOff + c * dd, b = rhsOff + c * dMax;
            for (let a = 0; a < d; a++) {
              const va = wc * unchecked(work[dvOff + a]);
              unchecked(work[b + a] += va * yt);
              for (let e = 0; e <= a; e++) unchecked(work[G + a * d + e] += va * unchecked(work[dvOff + e]));
            }
            unchecked(work[sumOff + c] += wc);
          } else {
            const b = rhsOff + c * dMax;
            let fit = 0.0;
            for (let a = 0; a < d; a++) fit += unchecked(work[dvOff + a]) * unchecked(work[b + a]);
            const r = yt - fit;
            unchecked(work[ssOff + c] += wc * r * r);
          }
        }
      }
      if (pass == 1) break;
      let needSS = false;
      for (let c = 0; c < K; c++) if (unchecked(constS[c]) == 0) needSS = true;
      // solve each component's normal equations in place of its rhs
      for (let c = 0; c < K; c++) {
        const st = j * K + c;
        unchecked(status[st] = 0);
        const nv = varyingCount(constE, c, q);
        if (nv == 0 && unchecked(constS[c]) != 0) { unchecked(work[sumOff + c] = -1.0); continue; }
        const d = kernel == KERNEL_NONE ? nv : 2 * nv;
        unchecked(status[st] = solveNormalEquations(work, sumOff + c, totalKw, gramOff + c * dd, facOff, rhsOff + c * dMax, d));
      }
      if (!needSS) break; // every sigma is constant: no residual pass
    }
    for (let c = 0; c < K; c++) {
      const sw = unchecked(work[sumOff + c]);
      if (sw < 0.0) continue;
      const nv = varyingCount(constE, c, q);
      const d = kernel == KERNEL_NONE ? nv : 2 * nv;
      const o = (j * K + c) * q, b = rhsOff + c * dMax;
      let a = 0;
      for (let k = 0; k < q; k++) {
        if (unchecked(constE[c * q + k]) != 0) continue;
        unchecked(alpha[o + k] = unchecked(work[b + a]));
        unchecked(alphaS[o + k] = d > nv ? unchecked(work[b + nv + a]) : 0.0);
        a++;
      }
      if (unchecked(constS[c]) == 0) {
        let sig = Math.sqrt(unchecked(work[ssOff + c]) / sw);
        if (!(sig > sigmaFloor)) {
          sig = sigmaFloor;
          unchecked(status[j * K + c] |= STATUS_DISPERSION_BOUND);
        }
        unchecked(phi[j * K + c] = sig);
      }
    }
  }
}

/**
 * Step (b) for the experts: constant coefficients of each component by global
 * weighted least squares with weights w_i·r_ic/σ_c(u_i)² on y minus the varying
 * part at u_i; then constant sigmas as global weighted residual standard
 * deviations. Values are written to every grid point (slopes 0). Returns status
 * flags OR-ed over components (LOW_WEIGHT, RIDGE, SINGULAR, SIGMA_FLOOR).
 */
export function globalExpertHybrid(rows: Rows, grid: Grid, masks: Masks, sigmaFloor: f64, work: Float64Array): i32 {
  const n = rows.n, K = rows.K, q = rows.q, y = rows.y, w = rows.w, Z = rows.Z, R = rows.R;
  const m = grid.m, jl = grid.jl, jr = grid.jr, lam = grid.lam, alpha = grid.alpha, alphaS = grid.alphaS, phi = grid.phi;
  const constE = masks.constE, constS = masks.constS;
  let flags = 0;
  const gram = 0, rhs = q * q, fac = rhs + q, dv = fac + q * q;
  for (let c = 0; c < K; c++) {
    const nc = q - varyingCount(constE, c, q);
    if (nc == 0) continue;
    for (let k = 0; k < dv; k++) unchecked(work[k] = 0.0);
    let sw = 0.0, tw = 0.0;
    for (let i = 0; i < n; i++) {
      const a = unchecked(jl[i]), b = unchecked(jr[i]);
      const lb = unchecked(lam[i]), la = 1.0 - lb;
      const ph = interpDispersion(unchecked(phi[a * K + c]), unchecked(phi[b * K + c]), lb);
      tw += unchecked(w[i]);
      const wc = unchecked(w[i]) * unchecked(R[i * K + c]) / (ph * ph);
      if (wc == 0.0) continue;
      let off = 0.0, nk = 0;
      for (let k = 0; k < q; k++) {
        const zv = unchecked(Z[i * q + k]);
        if (unchecked(constE[c * q + k]) != 0) { unchecked(work[dv + nk] = zv); nk++; }
        else off += zv * (la * unchecked(alpha[(a * K + c) * q + k]) + lb * unchecked(alpha[(b * K + c) * q + k]));
      }
      const yt = unchecked(y[i]) - off;
      for (let r = 0; r < nc; r++) {
        const vr = wc * unchecked(work[dv + r]);
        unchecked(work[rhs + r] += vr * yt);
        for (let e = 0; e <= r; e++) unchecked(work[gram + r * nc + e] += vr * unchecked(work[dv + e]));
      }
      sw += unchecked(w[i]) * unchecked(R[i * K + c]);
    }
    if (!(sw > 1e-8 * tw)) { flags |= STATUS_LOW_WEIGHT; continue; }
    const ridge = choleskyRidge(work, fac, work, gram, nc);
    if (ridge < 0.0) { flags |= STATUS_SINGULAR; continue; }
    if (ridge > 0.0) flags |= STATUS_RIDGE;
    cholSolve(work, fac, nc, work, rhs);
    for (let j = 0; j < m; j++) {
      let nk = 0;
      for (let k = 0; k < q; k++) {
        if (unchecked(constE[c * q + k]) == 0) continue;
        unchecked(alpha[(j * K + c) * q + k] = unchecked(work[rhs + nk]));
        unchecked(alphaS[(j * K + c) * q + k] = 0.0);
        nk++;
      }
    }
  }
  for (let c = 0; c < K; c++) {
    if (unchecked(constS[c]) == 0) continue;
    let ss = 0.0, sw = 0.0;
    for (let i = 0; i < n; i++) {
      const wc = unchecked(w[i]) * unchecked(R[i * K + c]);
      if (wc == 0.0) continue;
      const a = unchecked(jl[i]), b = unchecked(jr[i]);
      const lb = unchecked(lam[i]), la = 1.0 - lb;
      let mu = 0.0;
      for (let k = 0; k < q; k++) {
        mu += unchecked(Z[i * q + k]) * (la * unchecked(alpha[(a * K + c) * q + k]) + lb * unchecked(alpha[(b * K + c) * q + k]));
      }
      const r = unchecked(y[i]) - mu;
      ss += wc * r * r;
      sw += wc;
    }
    if (!(sw > 0.0)) { flags |= STATUS_LOW_WEIGHT; continue; }
    let sig = Math.sqrt(ss / sw);
    if (!(sig > sigmaFloor)) { sig = sigmaFloor; flags |= STATUS_DISPERSION_BOUND; }
    for (let j = 0; j < m; j++) unchecked(phi[j * K + c] = sig);
  }
  return flags;
}

// ---- gating: one objective for the local (a) and the global (b) Newton steps ----
// Parameter packing: contrast c (1..K-1) owns a block of d_c entries starting at
// work[bo + c] (stored as f64); local: the varying terms and their slopes on s;
// global: the constant terms. The row's compact design for contrast c sits at
// dvAll + (c-1)*2p and its length d_c at work[offs + c]; the part of the logit not
// being optimised enters as a fixed offset.

/** Number of packed gating parameters (local: varying terms, ×2 with slopes; global: constant terms). */
function gatingParamCount(K: i32, p: i32, constG: Int32Array, local: bool, twoSided: bool): i32 {
  let P = 0;
  for (let c = 1; c < K; c++) {
    const nv = varyingCount(constG, c, p);
    const nSel = local ? nv : p - nv;
    P += local && twoSided ? 2 * nSel : nSel;
  }
  return P;
}

/** Writes the block start of each contrast c at work[bo + c] (as f64). */
function gatingLayout(K: i32, p: i32, constG: Int32Array, local: bool, twoSided: bool, work: Float64Array, bo: i32): void {
  let P = 0;
  for (let c = 1; c < K; c++) {
    unchecked(work[bo + c] = f64(P));
    const nv = varyingCount(constG, c, p);
    const nSel = local ? nv : p - nv;
    P += local && twoSided ? 2 * nSel : nSel;
  }
}

/**
 * Gating objective Q = Σ_i ω_i [Σ_c r_ic l_ic − log Σ_c exp(l_ic)] at the packed
 * parameters work[par..par+P), with ω = kernel×row weight at grid point j (local)
 * or the row weight (global). With needDerivs, its gradient (at gr) and the lower
 * triangle of the negative Hessian (at hs).
 */
function gatingHybridObjective(
  local: bool, j: i32, n: i32, K: i32, p: i32, kernel: i32, h: f64,
  t: Float64Array, w: Float64Array, X: Float64Array, R: Float64Array,
  g: Float64Array, lo: Int32Array, hi: Int32Array,
  jl: Int32Array, jr: Int32Array, lam: Float64Array,
  gamma: Float64Array, constG: Int32Array,
  work: Float64Array, P: i32, par: i32, gr: i32, hs: i32, bo: i32, dvAll: i32, offs: i32, piOff: i32, needDerivs: bool,
): f64 {
  if (needDerivs) {
    for (let k = 0; k < P; k++) unchecked(work[gr + k] = 0.0);
    for (let k = 0; k < P * P; k++) unchecked(work[hs + k] = 0.0);
  }
  const twoSided = local && kernel != KERNEL_NONE;
  const gj = local ? unchecked(g[j]) : 0.0;
  const i0 = local ? unchecked(lo[j]) : 0, i1 = local ? unchecked(hi[j]) : n;
  let Q = 0.0;
  for (let i = i0; i < i1; i++) {
    let s = 0.0, ww = unchecked(w[i]);
    let a = 0, b = 0, la = 0.0, lb = 0.0;
    if (local) {
      s = scaledDistance(kernel, unchecked(t[i]), gj, h);
      ww *= kernelWeight(kernel, s);
    } else {
      a = unchecked(jl[i]); b = unchecked(jr[i]); lb = unchecked(lam[i]); la = 1.0 - lb;
    }
    if (ww == 0.0) continue;
    // offsets and compact designs; logits (baseline 0)
    let mx = 0.0;
    let rl = 0.0;
    for (let c = 1; c < K; c++) {
      const dBase = dvAll + (c - 1) * 2 * p;
      let off = 0.0, nk = 0;
      for (let k = 0; k < p; k++) {
        const xv = unchecked(X[i * p + k]);
        const isConst = unchecked(constG[c * p + k]) != 0;
        if (local) {
          if (isConst) off += xv * unchecked(gamma[(j * K + c) * p + k]);
          else { unchecked(work[dBase + nk] = xv); nk++; }
        } else {
          if (isConst) { unchecked(work[dBase + nk] = xv); nk++; }
          else off += xv * (la * unchecked(gamma[(a * K + c) * p + k]) + lb * unchecked(gamma[(b * K + c) * p + k]));
        }
      }
      let d = nk;
      if (twoSided) { for (let e = 0; e < nk; e++) unchecked(work[dBase + nk + e] = unchecked(work[dBase + e]) * s); d = 2 * nk; }
      const o = par + i32(unchecked(work[bo + c]));
      let l = off;
      for (let e = 0; e < d; e++) l += unchecked(work[dBase + e]) * unchecked(work[o + e]);
      unchecked(work[offs + c] = f64(d));
      unchecked(work[piOff + c] = l);
      rl += unchecked(R[i * K + c]) * l;
      mx = Math.max(mx, l);
    }
    let se = exp(-mx);
    const e0 = se;
    for (let c = 1; c < K; c++) {
      const e = exp(unchecked(work[piOff + c]) - mx);
      unchecked(work[piOff + c] = e);
      se += e;
    }
    const lse = mx + log(se);
    const inv = 1.0 / se;
    unchecked(work[piOff] = e0 * inv);
    for (let c = 1; c < K; c++) unchecked(work[piOff + c] = unchecked(work[piOff + c]) * inv);
    Q += ww * (rl - lse);
    if (!needDerivs) continue;
    for (let c = 1; c < K; c++) {
      const dc = i32(unchecked(work[offs + c]));
      if (dc == 0) continue;
      const pc = unchecked(work[piOff + c]);
      const gc = ww * (unchecked(R[i * K + c]) - pc);
      const rowBase = i32(unchecked(work[bo + c]));
      const dBase = dvAll + (c - 1) * 2 * p;
      for (let e = 0; e < dc; e++) unchecked(work[gr + rowBase + e] += gc * unchecked(work[dBase + e]));
      for (let c2 = 1; c2 <= c; c2++) {
        const dc2 = i32(unchecked(work[offs + c2]));
        if (dc2 == 0) continue;
        const coef = ww * pc * ((c2 == c ? 1.0 : 0.0) - unchecked(work[piOff + c2]));
        const colBase = i32(unchecked(work[bo + c2]));
        const dBase2 = dvAll + (c2 - 1) * 2 * p;
        for (let e = 0; e < dc; e++) {
          const va = coef * unchecked(work[dBase + e]);
          const row = hs + (rowBase + e) * P + colBase;
          const fMax = c2 == c ? e : dc2 - 1;
          for (let f = 0; f <= fMax; f++) unchecked(work[row + f] += va * unchecked(work[dBase2 + f]));
        }
      }
    }
  }
  return Q;
}

/**
 * Newton with step-halving (newton.ts) on the packed gating objective; returns status
 * flags. A step that moves no logit by more than 0.1 (bounded through the largest
 * design row norm, per contrast block) increases this concave objective for sure (its
 * curvature changes by at most e^0.2 along the step): taken without the halving check.
 */
function gatingHybridNewton(
  local: bool, j: i32, n: i32, K: i32, p: i32, kernel: i32, h: f64,
  t: Float64Array, w: Float64Array, X: Float64Array, R: Float64Array,
  g: Float64Array, lo: Int32Array, hi: Int32Array,
  jl: Int32Array, jr: Int32Array, lam: Float64Array,
  gamma: Float64Array, constG: Int32Array, maxNewton: i32, designNormMax: f64, work: Float64Array, P: i32, layout: i32,
): i32 {
  const cur = layout, trial = cur + P, gr = trial + P, hs = gr + 2 * P;
  const bo = layout + newtonWorkSize(P), offs = bo + K, piOff = offs + K, dvAll = piOff + K;
  const Q0 = gatingHybridObjective(local, j, n, K, p, kernel, h, t, w, X, R, g, lo, hi, jl, jr, lam, gamma, constG,
    work, P, cur, gr, hs, bo, dvAll, offs, piOff, true);
  // the contrasts' parameter blocks start at work[bo + 1 .. bo + K)
  newtonBegin(cur, P, maxNewton, 30, 1e-13, SCALE_OBJECTIVE, 0.0, designNormMax, 0.1, bo + 1, K - 1, 0, true, Q0);
  for (let ask = newtonNext(work); ask != NEWTON_DONE; ask = newtonNext(work)) {
    // this objective always comes with its value (there is no derivative-only pass)
    const par = ask == NEWTON_TRIAL ? trial : cur;
    const derivs = ask != NEWTON_TRIAL || newtonTrialDerivs();
    newtonTell(gatingHybridObjective(local, j, n, K, p, kernel, h, t, w, X, R, g, lo, hi, jl, jr, lam, gamma, constG,
      work, P, par, gr, hs, bo, dvAll, offs, piOff, derivs), true);
  }
  return newtonFlags();
}

/**
 * Step (a) for the gating: at each grid point, kernel-weighted multinomial-logit
 * Newton (step-halving) on the local-linear varying terms, with the constant
 * terms as a fixed offset in the logits. Status per grid point as mstepGating.
 */
export function mstepGatingHybrid(rows: Rows, grid: Grid, masks: Masks, j0: i32, j1: i32, maxNewton: i32, work: Float64Array): void {
  const K = rows.K, p = rows.p, t = rows.t, w = rows.w, X = rows.X, R = rows.R;
  const kernel = grid.kernel, h = grid.h, g = grid.g, lo = grid.lo, hi = grid.hi;
  const gamma = grid.gamma, gammaS = grid.gammaS, designNormMax = grid.xNorm, status = grid.statusG;
  const constG = masks.constG;
  if (K < 2) return;
  const layout = 0;
  const twoSided = kernel != KERNEL_NONE;
  const P = gatingParamCount(K, p, constG, true, twoSided);
  if (P == 0) { for (let j = j0; j < j1; j++) unchecked(status[j] = 0); return; }
  const bo = layout + newtonWorkSize(P);
  gatingLayout(K, p, constG, true, twoSided, work, bo);
  for (let j = j0; j < j1; j++) {
    // the varying coefficients at grid point j in and out of the packed vector
    transferVaryingGating(true, j, K, p, constG, twoSided, gamma, gammaS, work, layout, bo);
    // (the interpolation arrays are unused by local steps: lo/hi/g stand in for them)
    unchecked(status[j] = gatingHybridNewton(true, j, 0, K, p, kernel, h, t, w, X, R, g, lo, hi, lo, hi, g,
      gamma, constG, maxNewton, designNormMax, work, P, layout));
    transferVaryingGating(false, j, K, p, constG, twoSided, gamma, gammaS, work, layout, bo);
  }
}

/**
 * Moves the varying gating terms of grid point j between the curves and their packed
 * blocks (contrast c's block at work[layout + work[bo + c]]): into the blocks when
 * toWork, else back (slopes 0 without a kernel).
 */
function transferVaryingGating(
  toWork: bool, j: i32, K: i32, p: i32, constG: Int32Array, twoSided: bool,
  gamma: Float64Array, gammaS: Float64Array, work: Float64Array, layout: i32, bo: i32,
): void {
  for (let c = 1; c < K; c++) {
    const o = layout + i32(unchecked(work[bo + c]));
    const nv = varyingCount(constG, c, p);
    let a = 0;
    for (let k = 0; k < p; k++) {
      if (unchecked(constG[c * p + k]) != 0) continue;
      const gi = (j * K + c) * p + k;
      if (toWork) {
        unchecked(work[o + a] = unchecked(gamma[gi]));
        if (twoSided) unchecked(work[o + nv + a] = unchecked(gammaS[gi]));
      } else {
        unchecked(gamma[gi] = unchecked(work[o + a]));
        unchecked(gammaS[gi] = twoSided ? unchecked(work[o + nv + a]) : 0.0);
      }
      a++;
    }
  }
}

/**
 * Step (b) for the gating: the constant contrast terms by a global (unweighted over
 * u) multinomial-logit Newton with step-halving, the varying terms fixed at their
 * values at each row's u. Writes the constants to every grid point (slopes 0).
 * Returns status flags.
 */
export function globalGatingHybrid(rows: Rows, grid: Grid, masks: Masks, maxNewton: i32, designNormMax: f64, work: Float64Array): i32 {
  const n = rows.n, K = rows.K, p = rows.p, w = rows.w, X = rows.X, R = rows.R;
  const m = grid.m, jl = grid.jl, jr = grid.jr, lam = grid.lam, gamma = grid.gamma, gammaS = grid.gammaS;
  const constG = masks.constG;
  if (K < 2) return 0;
  const layout = 0;
  const P = gatingParamCount(K, p, constG, false, false);
  if (P == 0) return 0;
  const bo = layout + newtonWorkSize(P);
  gatingLayout(K, p, constG, false, false, work, bo);
  for (let c = 1; c < K; c++) {
    const o = layout + i32(unchecked(work[bo + c]));
    let a = 0;
    for (let k = 0; k < p; k++) {
      if (unchecked(constG[c * p + k]) == 0) continue;
      unchecked(work[o + a] = unchecked(gamma[c * p + k])); // grid point 0 holds the constant
      a++;
    }
  }
  // (the kernel-window arrays are unused by the global step: w/jl stand in for them)
  const flags = gatingHybridNewton(false, 0, n, K, p, KERNEL_NONE, 1.0, w, w, X, R, w, jl, jl, jl, jr, lam,
    gamma, constG, maxNewton, designNormMax, work, P, layout);
  for (let c = 1; c < K; c++) {
    const o = layout + i32(unchecked(work[bo + c]));
    let a = 0;
    for (let k = 0; k < p; k++) {
      if (unchecked(constG[c * p + k]) == 0) continue;
      const v = unchecked(work[o + a]);
      for (let j = 0; j < m; j++) {
        unchecked(gamma[(j * K + c) * p + k] = v);
        unchecked(gammaS[(j * K + c) * p + k] = 0.0);
      }
      a++;
    }
  }
  return flags;
}

