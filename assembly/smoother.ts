// Traces of the local smoothers of a fitted model: the effective number of
// parameters used by BIC/ICL (src/select/df.ts documents the definition).
//
// With the posteriors r_ic held fixed, every fitted curve is a local (kernel ×
// posterior weighted) fit; a fitted value at row i's own u is the grid estimate
// interpolated between grid points jl[i] and jr[i]. The "effective parameters" of a
// curve family are the summed self-influences d(fitted_i)/d(observed_i):
//   expert c:  sum_i sum_{j in {jl,jr}} lam_ij · zt_iᵀ (D_jᵀ W_jc D_j)⁻¹ d_ij · k_ij w_i r_ic
//              (zt_i = [z_i, 0]: the level at the row's own u; d_ij = [z_i, z_i s_ij])
//   sigma c:   sum_i sum_j lam_ij · k_ij w_i r_ic / sum_k k_kj w_k r_kc   (locally constant)
//   gating:    sum_i sum_j lam_ij · k_ij w_i · tr(V_ij Xt_i H_j⁻¹ D_ijᵀ)
//              (H_j the local multinomial-logit information, V_ij = diag(pi) − pi piᵀ over
//              components 1..K−1 at grid j's local-linear logits, Xt_i/D_ij the level /
//              local-linear design blocks)
// Each of these equals the number of coefficients when the kernel is flat.
// GLM experts: the weights k·w·r of the expert and its hat matrix also carry the
// row's IRLS working weight at the fitted local linear predictor (the hat matrix of
// IRLS at convergence); families without a dispersion have no sigma part.
// Hybrid fits (masks, 1 = constant): a constant coefficient enters the local fits as an
// offset (as in assembly/hybrid.ts), so the local systems keep only the varying
// coefficients (the constant ones are decoupled: unit diagonal, zero right-hand side)
// and the caller adds 1 per constant coefficient: the df of a partially linear fit
// counted as tr(varying smoother) + number of constants.
import { exp, log } from "./mathx";
import { kernelWeight, scaledDistance, KERNEL_NONE, localDesignRow } from "./kernel";
import { choleskyRidge, cholSolve } from "./linalg";
import { STATUS_LOW_WEIGHT, STATUS_RIDGE, STATUS_SINGULAR } from "./status";
import { addLogitHessianRow } from "./logit";
import { Rows, Grid, Masks, AUX_WIDTH } from "./abi";
import { familyWorkingWeight, familyWorkingWeightL, familyHasDispersion } from "./family";

/** Scratch size (f64 count) needed by smootherTrace. */
export function smootherWorkSize(K: i32, q: i32, p: i32): i32 {
  const d = 2 * q, dg = 2 * p, P = (K - 1) * dg;
  return 2 * d * d + d + 2 * P * P + P + dg + K + 2 * d * d; // + 2d²: room for the K = 2 path's layout (100 slots)
}

/** Share of row i's interpolated value that comes from grid point j (0 when j does not bracket i). */
// @ts-ignore: decorator
@inline function bracketWeight(j: i32, i: i32, jl: Int32Array, jr: Int32Array, lam: Float64Array): f64 {
  let v = 0.0;
  if (unchecked(jl[i]) == j) v += 1.0 - unchecked(lam[i]);
  if (unchecked(jr[i]) == j) v += unchecked(lam[i]);
  return v;
}

/** Decouples unknown a of an n×n system (lower triangle at off): a unit diagonal and no coupling, so a zero right-hand side leaves it 0. */
// @ts-ignore: decorator
@inline function decouple(work: Float64Array, off: i32, n: i32, a: i32): void {
  for (let e = 0; e < a; e++) unchecked(work[off + a * n + e] = 0.0);
  for (let b = a + 1; b < n; b++) unchecked(work[off + b * n + a] = 0.0);
  unchecked(work[off + a * n + a] = 1.0);
}

/** Gating probabilities (baseline 0) at row i from grid j's local-linear logits, into work[piOff..+K). */
function localGatingProbs(
  i: i32, j: i32, K: i32, p: i32, s: f64, X: Float64Array,
  gamma: Float64Array, gammaS: Float64Array, work: Float64Array, piOff: i32,
): void {
  let mx = 0.0;
  unchecked(work[piOff] = 0.0);
  for (let c = 1; c < K; c++) {
    const o = (j * K + c) * p;
    let l = 0.0;
    for (let k = 0; k < p; k++) l += unchecked(X[i * p + k]) * (unchecked(gamma[o + k]) + unchecked(gammaS[o + k]) * s);
    unchecked(work[piOff + c] = l);
    mx = Math.max(mx, l);
  }
  let se = 0.0;
  for (let c = 0; c < K; c++) {
    const e = exp(unchecked(work[piOff + c]) - mx);
    unchecked(work[piOff + c] = e);
    se += e;
  }
  const inv = 1.0 / se;
  for (let c = 0; c < K; c++) unchecked(work[piOff + c] = unchecked(work[piOff + c]) * inv);
}

/** Row i's working weight in expert c at grid point j's local-linear fit (familyWorkingWeight). */
// @ts-ignore: decorator
@inline function rowWorkingWeight(
  family: i32, y: Float64Array, Z: Float64Array, aux: Float64Array, alpha: Float64Array, alphaS: Float64Array, phi: Float64Array,
  i: i32, j: i32, c: i32, K: i32, q: i32, d: i32, s: f64,
): f64 {
  const o = (j * K + c) * q;
  let eta = unchecked(aux[AUX_WIDTH * i]);
  for (let k = 0; k < q; k++) {
    const zv = unchecked(Z[i * q + k]);
    eta += zv * unchecked(alpha[o + k]);
    if (d > q) eta += zv * s * unchecked(alphaS[o + k]);
  }
  return familyWorkingWeight(family, unchecked(y[i]), eta, unchecked(phi[j * K + c]), unchecked(aux[AUX_WIDTH * i + 1]));
}

/**
 * Smoother traces at grid points j0..j1-1 (see the file comment): adds each grid
 * point's share to trE[j*K+c] (expert c), trS[j*K+c] (sigma c) and trG[j]
 * (gating). The arrays are overwritten for those grid points. grid.statusG[j] gets
 * STATUS_RIDGE / STATUS_SINGULAR / STATUS_LOW_WEIGHT bits. Reads the posteriors
 * rows.R and the gating curves of the grid. Coefficients constant in `masks` are left
 * out of the local fits (their count is the caller's to add; all-zero masks: every curve varies).
 */
export function smootherTrace(
  rows: Rows, grid: Grid, masks: Masks, j0: i32, j1: i32, work: Float64Array, trE: Float64Array, trS: Float64Array, trG: Float64Array,
): void {
  const constE = masks.constE, constG = masks.constG;
  const K = rows.K, q = rows.q, p = rows.p, t = rows.t, w = rows.w, Z = rows.Z, X = rows.X, R = rows.R;
  const family = rows.family, y = rows.y, aux = rows.aux;
  const kernel = grid.kernel, h = grid.h, g = grid.g, lo = grid.lo, hi = grid.hi, jl = grid.jl, jr = grid.jr, lam = grid.lam;
  const gamma = grid.gamma, gammaS = grid.gammaS, status = grid.statusG;
  const alpha = grid.alpha, alphaS = grid.alphaS, phi = grid.phi;
  const hasDispersion = familyHasDispersion(family);
  const d = kernel == KERNEL_NONE ? q : 2 * q;
  const dg = kernel == KERNEL_NONE ? p : 2 * p;
  const P = (K - 1) * dg;
  const dd = d * d;
  const gOff = 0, fOff = dd, vOff = 2 * dd;
  const hOff = vOff + d, hfOff = hOff + P * P, solOff = hfOff + P * P;
  const dvOff = solOff + P, piOff = dvOff + dg;
  if (K == 2 && q == 2 && p == 2 && kernel != KERNEL_NONE && !anyConstant(constE, K * q) && !anyConstant(constG, K * p)) {
    smootherTraceK2(rows, grid, j0, j1, work, trE, trS, trG);
    return;
  }
  for (let j = j0; j < j1; j++) {
    const gj = unchecked(g[j]);
    const iLo = unchecked(lo[j]), iHi = unchecked(hi[j]);
    let flags = 0;
    let totalKw = 0.0;
    for (let i = iLo; i < iHi; i++) totalKw += kernelWeight(kernel, scaledDistance(kernel, unchecked(t[i]), gj, h)) * unchecked(w[i]);
    // experts and sigma, one component at a time
    for (let c = 0; c < K; c++) {
      unchecked(trE[j * K + c] = 0.0);
      unchecked(trS[j * K + c] = 0.0);
      for (let k = 0; k < dd; k++) unchecked(work[gOff + k] = 0.0);
      let sumW = 0.0;
      for (let i = iLo; i < iHi; i++) {
        const s = scaledDistance(kernel, unchecked(t[i]), gj, h);
        const wr = kernelWeight(kernel, s) * unchecked(w[i]) * unchecked(R[i * K + c]);
        if (wr == 0.0) continue;
        sumW += wr;
        const wc = wr * rowWorkingWeight(family, y, Z, aux, alpha, alphaS, phi, i, j, c, K, q, d, s);
        localDesignRow(Z, i, q, d, s, work, vOff);
        for (let a = 0; a < d; a++) {
          const va = wc * unchecked(work[vOff + a]);
          for (let e = 0; e <= a; e++) unchecked(work[gOff + a * d + e] += va * unchecked(work[vOff + e]));
        }
      }
      if (!(sumW > 1e-8 * totalKw)) { flags |= STATUS_LOW_WEIGHT; continue; }
      for (let k = 0; k < q; k++) {
        if (unchecked(constE[c * q + k]) == 0) continue;
        decouple(work, gOff, d, k);
        if (d > q) decouple(work, gOff, d, q + k);
      }
      const ridge = choleskyRidge(work, fOff, work, gOff, d);
      if (ridge < 0.0) { flags |= STATUS_SINGULAR; continue; }
      if (ridge > 0.0) flags |= STATUS_RIDGE;
      let te = 0.0, ts = 0.0;
      for (let i = iLo; i < iHi; i++) {
        const bw = bracketWeight(j, i, jl, jr, lam);
        if (bw == 0.0) continue;
        const s = scaledDistance(kernel, unchecked(t[i]), gj, h);
        const wr = kernelWeight(kernel, s) * unchecked(w[i]) * unchecked(R[i * K + c]);
        if (wr == 0.0) continue;
        const wc = wr * rowWorkingWeight(family, y, Z, aux, alpha, alphaS, phi, i, j, c, K, q, d, s);
        localDesignRow(Z, i, q, d, s, work, vOff);
        for (let k = 0; k < q; k++) {
          if (unchecked(constE[c * q + k]) == 0) continue;
          unchecked(work[vOff + k] = 0.0);
          if (d > q) unchecked(work[vOff + q + k] = 0.0);
        }
        cholSolve(work, fOff, d, work, vOff);
        let lev = 0.0;
        for (let k = 0; k < q; k++) lev += unchecked(Z[i * q + k]) * unchecked(work[vOff + k]);
        te += bw * wc * lev;
        ts += bw * wr;
      }
      unchecked(trE[j * K + c] = te);
      unchecked(trS[j * K + c] = hasDispersion ? ts / sumW : 0.0);
    }
    // gating: local multinomial-logit information and the self-influence of the soft labels
    unchecked(trG[j] = 0.0);
    if (K >= 2) {
      for (let k = 0; k < P * P; k++) unchecked(work[hOff + k] = 0.0);
      for (let i = iLo; i < iHi; i++) {
        const s = scaledDistance(kernel, unchecked(t[i]), gj, h);
        const kw = kernelWeight(kernel, s) * unchecked(w[i]);
        if (kw == 0.0) continue;
        localDesignRow(X, i, p, dg, s, work, dvOff);
        localGatingProbs(i, j, K, p, s, X, gamma, gammaS, work, piOff);
        for (let c = 1; c < K; c++) {
          addLogitHessianRow(work, hOff, P, dg, c, kw * unchecked(work[piOff + c]), piOff, dvOff);
        }
      }
      for (let c = 1; c < K; c++) {
        for (let k = 0; k < p; k++) {
          if (unchecked(constG[c * p + k]) == 0) continue;
          decouple(work, hOff, P, (c - 1) * dg + k);
          if (dg > p) decouple(work, hOff, P, (c - 1) * dg + p + k);
        }
      }
      const ridge = choleskyRidge(work, hfOff, work, hOff, P);
      if (ridge < 0.0) {
        flags |= STATUS_SINGULAR;
      } else {
        if (ridge > 0.0) flags |= STATUS_RIDGE;
        const K1 = K - 1;
        let tg = 0.0;
        for (let i = iLo; i < iHi; i++) {
          const bw = bracketWeight(j, i, jl, jr, lam);
          if (bw == 0.0) continue;
          const s = scaledDistance(kernel, unchecked(t[i]), gj, h);
          const kw = kernelWeight(kernel, s) * unchecked(w[i]);
          if (kw == 0.0) continue;
          localDesignRow(X, i, p, dg, s, work, dvOff);
          localGatingProbs(i, j, K, p, s, X, gamma, gammaS, work, piOff);
          // tr(V A) with A[a][b] = Xt block a · H⁻¹ (design in block b)
          let tr = 0.0;
          for (let b = 0; b < K1; b++) {
            for (let k = 0; k < P; k++) unchecked(work[solOff + k] = 0.0);
            for (let a = 0; a < dg; a++) unchecked(work[solOff + b * dg + a] = unchecked(work[dvOff + a]));
            for (let k = 0; k < p; k++) {
              if (unchecked(constG[(b + 1) * p + k]) == 0) continue;
              unchecked(work[solOff + b * dg + k] = 0.0);
              if (dg > p) unchecked(work[solOff + b * dg + p + k] = 0.0);
            }
            cholSolve(work, hfOff, P, work, solOff);
            for (let a = 0; a < K1; a++) {
              let A = 0.0;
              for (let k = 0; k < p; k++) A += unchecked(X[i * p + k]) * unchecked(work[solOff + a * dg + k]);
              // V[b][a] over components 1..K-1
              const pb = unchecked(work[piOff + 1 + b]), pa = unchecked(work[piOff + 1 + a]);
              const V = pb * ((a == b ? 1.0 : 0.0) - pa);
              tr += V * A;
            }
          }
          tg += bw * kw * tr;
        }
        unchecked(trG[j] = tg);
      }
    }
    unchecked(status[j] = flags);
  }
}

/** rowWorkingWeight for K = 2, q = 2 with the grid point's φ and log φ given. */
// @ts-ignore: decorator
@inline function workingWeightK2(family: i32, y: Float64Array, aux: Float64Array, i: i32, z0: f64, z1: f64, a0: f64, a1: f64, as0: f64, as1: f64, s: f64, ph: f64, lph: f64): f64 {
  let eta = unchecked(aux[AUX_WIDTH * i]);
  eta += z0 * a0;
  eta += z0 * s * as0;
  eta += z1 * a1;
  eta += z1 * s * as1;
  return familyWorkingWeightL(family, unchecked(y[i]), eta, ph, lph, unchecked(aux[AUX_WIDTH * i + 1]));
}

/** Some coefficient is constant (a hybrid fit's mask). */
function anyConstant(mask: Int32Array, len: i32): bool {
  for (let k = 0; k < len; k++) if (unchecked(mask[k]) != 0) return true;
  return false;
}

/** Adds row v's weighted outer product a·v vᵀ (lower triangle, row-major d = 4) to work[off..]: addLogitHessianRow's and the expert pass's order. */
// @ts-ignore: decorator
@inline function addOuter4(work: Float64Array, off: i32, a: f64, v0: f64, v1: f64, v2: f64, v3: f64): void {
  let va = a * v0;
  unchecked(work[off] += va * v0);
  va = a * v1;
  unchecked(work[off + 4] += va * v0);
  unchecked(work[off + 5] += va * v1);
  va = a * v2;
  unchecked(work[off + 8] += va * v0);
  unchecked(work[off + 9] += va * v1);
  unchecked(work[off + 10] += va * v2);
  va = a * v3;
  unchecked(work[off + 12] += va * v0);
  unchecked(work[off + 13] += va * v1);
  unchecked(work[off + 14] += va * v2);
  unchecked(work[off + 15] += va * v3);
}

/**
 * smootherTrace for K = 2, q = p = 2, a kernel and no constant coefficients: the same
 * arithmetic in the same order per accumulator, with both experts' information sums in
 * one pass over the window (and both experts' self-influences in another), instead of a
 * pass per expert, and the design rows and the logistic probability in locals. The
 * window's scaled distance and kernel weight are computed once per row visit.
 * Work layout: expert c's sums at 16c, factors at 32 + 16c; the gating's sums at 64, its
 * factor at 80, a solve at 96 (100 slots; smootherWorkSize gives 110 for this shape). The sum
 * of the window's kernel weights is taken in the information pass (the same terms in the same order).
 */
function smootherTraceK2(rows: Rows, grid: Grid, j0: i32, j1: i32, work: Float64Array, trE: Float64Array, trS: Float64Array, trG: Float64Array): void {
  const t = rows.t, w = rows.w, Z = rows.Z, X = rows.X, R = rows.R, family = rows.family, y = rows.y, aux = rows.aux;
  const kernel = grid.kernel, h = grid.h, g = grid.g, lo = grid.lo, hi = grid.hi, jl = grid.jl, jr = grid.jr, lam = grid.lam;
  const gamma = grid.gamma, gammaS = grid.gammaS, status = grid.statusG, alpha = grid.alpha, alphaS = grid.alphaS, phi = grid.phi;
  const hasDispersion = familyHasDispersion(family);
  const G0 = 0, F0 = 32, HG = 64, HF = 80, SOL = 96;
  for (let j = j0; j < j1; j++) {
    const gj = unchecked(g[j]);
    const iLo = unchecked(lo[j]), iHi = unchecked(hi[j]);
    let flags = 0;
    let totalKw = 0.0;
    // information sums: both experts (G0, G0 + 16) and the gating (HG) in one pass
    for (let k = 0; k < 80; k++) unchecked(work[G0 + k] = 0.0);
    let sumW0 = 0.0, sumW1 = 0.0;
    const og = (j * 2 + 1) * 2;
    const gg0 = unchecked(gamma[og]), gg1 = unchecked(gamma[og + 1]), gs0 = unchecked(gammaS[og]), gs1 = unchecked(gammaS[og + 1]);
    // the experts' coefficients, dispersions and their logs (the working weights' arguments)
    const e0 = 4 * j, e1 = 4 * j + 2;
    const a00 = unchecked(alpha[e0]), a01 = unchecked(alpha[e0 + 1]), as00 = unchecked(alphaS[e0]), as01 = unchecked(alphaS[e0 + 1]);
    const a10 = unchecked(alpha[e1]), a11 = unchecked(alpha[e1 + 1]), as10 = unchecked(alphaS[e1]), as11 = unchecked(alphaS[e1 + 1]);
    const ph0 = unchecked(phi[2 * j]), ph1 = unchecked(phi[2 * j + 1]), lph0 = log(ph0), lph1 = log(ph1);
    for (let i = iLo; i < iHi; i++) {
      const s = scaledDistance(kernel, unchecked(t[i]), gj, h);
      const kw = kernelWeight(kernel, s) * unchecked(w[i]);
      totalKw += kw;
      const z0 = unchecked(Z[2 * i]), z1 = unchecked(Z[2 * i + 1]);
      const wr0 = kw * unchecked(R[2 * i]), wr1 = kw * unchecked(R[2 * i + 1]);
      if (wr0 != 0.0) {
        sumW0 += wr0;
        const wc = wr0 * workingWeightK2(family, y, aux, i, z0, z1, a00, a01, as00, as01, s, ph0, lph0);
        addOuter4(work, G0, wc, z0, z1, z0 * s, z1 * s);
      }
      if (wr1 != 0.0) {
        sumW1 += wr1;
        const wc = wr1 * workingWeightK2(family, y, aux, i, z0, z1, a10, a11, as10, as11, s, ph1, lph1);
        addOuter4(work, G0 + 16, wc, z0, z1, z0 * s, z1 * s);
      }
      if (kw == 0.0) continue;
      const x0 = unchecked(X[2 * i]), x1 = unchecked(X[2 * i + 1]);
      const p1 = logisticK2(x0, x1, gg0, gg1, gs0, gs1, s);
      addOuter4(work, HG, (kw * p1) * (1.0 - p1), x0, x1, x0 * s, x1 * s);
    }
    // factors (a component without weight, or singular, has no share)
    let ok0 = true, ok1 = true;
    unchecked(trE[j * 2] = 0.0); unchecked(trS[j * 2] = 0.0);
    unchecked(trE[j * 2 + 1] = 0.0); unchecked(trS[j * 2 + 1] = 0.0);
    if (!(sumW0 > 1e-8 * totalKw)) { flags |= STATUS_LOW_WEIGHT; ok0 = false; }
    else {
      const ridge = choleskyRidge(work, F0, work, G0, 4);
      if (ridge < 0.0) { flags |= STATUS_SINGULAR; ok0 = false; } else if (ridge > 0.0) flags |= STATUS_RIDGE;
    }
    if (!(sumW1 > 1e-8 * totalKw)) { flags |= STATUS_LOW_WEIGHT; ok1 = false; }
    else {
      const ridge = choleskyRidge(work, F0 + 16, work, G0 + 16, 4);
      if (ridge < 0.0) { flags |= STATUS_SINGULAR; ok1 = false; } else if (ridge > 0.0) flags |= STATUS_RIDGE;
    }
    const gRidge = choleskyRidge(work, HF, work, HG, 4);
    const okG = gRidge >= 0.0;
    if (!okG) flags |= STATUS_SINGULAR; else if (gRidge > 0.0) flags |= STATUS_RIDGE;
    // self-influences of the rows j brackets (jl, jr are non-decreasing in i: a contiguous
    // range of the window, found by bisection; bracketWeight is 0 elsewhere)
    let te0 = 0.0, ts0 = 0.0, te1 = 0.0, ts1 = 0.0, tg = 0.0;
    const bLo = firstAtLeast(jr, j, iLo, iHi), bHi = firstAtLeast(jl, j + 1, bLo, iHi);
    for (let i = bLo; i < bHi; i++) {
      const bw = bracketWeight(j, i, jl, jr, lam);
      if (bw == 0.0) continue;
      const s = scaledDistance(kernel, unchecked(t[i]), gj, h);
      const kw = kernelWeight(kernel, s) * unchecked(w[i]);
      const z0 = unchecked(Z[2 * i]), z1 = unchecked(Z[2 * i + 1]);
      if (ok0) {
        const wr = kw * unchecked(R[2 * i]);
        if (wr != 0.0) {
          const wc = wr * workingWeightK2(family, y, aux, i, z0, z1, a00, a01, as00, as01, s, ph0, lph0);
          const lev = leverage4(work, F0, SOL, z0, z1, s);
          te0 += bw * wc * lev;
          ts0 += bw * wr;
        }
      }
      if (ok1) {
        const wr = kw * unchecked(R[2 * i + 1]);
        if (wr != 0.0) {
          const wc = wr * workingWeightK2(family, y, aux, i, z0, z1, a10, a11, as10, as11, s, ph1, lph1);
          const lev = leverage4(work, F0 + 16, SOL, z0, z1, s);
          te1 += bw * wc * lev;
          ts1 += bw * wr;
        }
      }
      if (okG && kw != 0.0) {
        const x0 = unchecked(X[2 * i]), x1 = unchecked(X[2 * i + 1]);
        const p1 = logisticK2(x0, x1, gg0, gg1, gs0, gs1, s);
        const A = leverage4(work, HF, SOL, x0, x1, s);
        let tr = 0.0;
        tr += (p1 * (1.0 - p1)) * A;
        tg += bw * kw * tr;
      }
    }
    if (ok0) { unchecked(trE[j * 2] = te0); unchecked(trS[j * 2] = hasDispersion ? ts0 / sumW0 : 0.0); }
    if (ok1) { unchecked(trE[j * 2 + 1] = te1); unchecked(trS[j * 2 + 1] = hasDispersion ? ts1 / sumW1 : 0.0); }
    unchecked(trG[j] = okG ? tg : 0.0);
    unchecked(status[j] = flags);
  }
}

/** The first i in [a, b) with v[i] >= x (v non-decreasing on [a, b)), or b. */
function firstAtLeast(v: Int32Array, x: i32, a: i32, b: i32): i32 {
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (unchecked(v[mid]) < x) a = mid + 1; else b = mid;
  }
  return a;
}

/** Component 1's gating probability at (x0, x1) from the local-linear logit (localGatingProbs for K = 2: baseline 0). */
// @ts-ignore: decorator
@inline function logisticK2(x0: f64, x1: f64, g0: f64, g1: f64, gs0: f64, gs1: f64, s: f64): f64 {
  let l = 0.0;
  l += x0 * (g0 + gs0 * s);
  l += x1 * (g1 + gs1 * s);
  const mx = Math.max(0.0, l);
  const d0 = 0.0 - mx, d1 = l - mx; // one of them is 0 (exp(0) is exactly 1: no call)
  const e0 = d0 == 0.0 ? 1.0 : exp(d0), e1 = d1 == 0.0 ? 1.0 : exp(d1);
  let se = 0.0;
  se += e0;
  se += e1;
  const inv = 1.0 / se;
  return e1 * inv;
}

/** (v0, v1) · [M⁻¹ (v0, v1, v0 s, v1 s)]_{0,1} with M's Cholesky factor at work[F..]: a row's level leverage. */
// @ts-ignore: decorator
@inline function leverage4(work: Float64Array, F: i32, SOL: i32, v0: f64, v1: f64, s: f64): f64 {
  unchecked(work[SOL] = v0);
  unchecked(work[SOL + 1] = v1);
  unchecked(work[SOL + 2] = v0 * s);
  unchecked(work[SOL + 3] = v1 * s);
  cholSolve(work, F, 4, work, SOL);
  let lev = 0.0;
  lev += v0 * unchecked(work[SOL]);
  lev += v1 * unchecked(work[SOL + 1]);
  return lev;
}
