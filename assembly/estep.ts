// E-steps: posterior membership r_ic and the observed-data log-likelihood.
import { exp, log } from "./mathx";
import { familyLogDensity, familyLogDensityHoisted, familyHoistA, familyHoistB, familyLogJointLocal, familyHasDensityPair, familyLogDensityPair, DENSITY_PAIR } from "./family";
import { kernelWeight, scaledDistance, interpDispersion } from "./kernel";
import { Rows, Grid, AUX_WIDTH } from "./abi";
import { rowDot2 } from "./linalg";
import { exp2x, log2x, PAIR } from "./simd";

// Per-call scratch (K <= 16): gating logits of one grid point, and the components'
// log-density constants (familyHoistA) of one grid point or of a global fit.
const LOGIT = new Float64Array(16);
const LOGNORM = new Float64Array(16);

/** exp(d) of a max-shifted logit: the largest one (d = 0) needs no call (exp(0) is exactly 1). */
// @ts-ignore: decorator
@inline function expShifted(d: f64): f64 {
  return d == 0.0 ? 1.0 : exp(d);
}

/**
 * Turns the K log joint densities stored in R[i*K .. i*K+K) into posteriors in
 * place and returns log sum_c exp(a_c) (log-sum-exp, max-shifted).
 */
// @ts-ignore: decorator
@inline function normaliseRow(R: Float64Array, base: i32, K: i32): f64 {
  let mx = -Infinity;
  for (let c = 0; c < K; c++) mx = Math.max(mx, unchecked(R[base + c]));
  if (mx == -Infinity || mx != mx) {
    for (let c = 0; c < K; c++) unchecked(R[base + c] = 1.0 / f64(K));
    return mx == -Infinity ? -Infinity : NaN;
  }
  let sum = 0.0;
  for (let c = 0; c < K; c++) {
    const e = expShifted(unchecked(R[base + c]) - mx);
    unchecked(R[base + c] = e);
    sum += e;
  }
  for (let c = 0; c < K; c++) unchecked(R[base + c] = unchecked(R[base + c]) / sum);
  return mx + log(sum);
}

/**
 * Gating logits of row i with the curves interpolated between grid points a and b
 * (weights la, lb), written to out[base .. base+K); returns their maximum. Shared by
 * the E-step, gatingProbs and the fitted-model simulator so all three agree exactly.
 */
// @ts-ignore: decorator
@inline export function interpolatedLogits(
  i: i32, K: i32, p: i32, X: Float64Array, a: i32, b: i32, la: f64, lb: f64,
  gamma: Float64Array, out: Float64Array, base: i32,
): f64 {
  let mx = -Infinity;
  for (let c = 0; c < K; c++) {
    const ga = (a * K + c) * p, gb = (b * K + c) * p;
    let la_ = 0.0, lb_ = 0.0;
    for (let k = 0; k < p; k++) {
      const xv = unchecked(X[i * p + k]);
      la_ += xv * unchecked(gamma[ga + k]);
      lb_ += xv * unchecked(gamma[gb + k]);
    }
    const l = la * la_ + lb * lb_;
    unchecked(out[base + c] = l);
    mx = Math.max(mx, l);
  }
  return mx;
}

/**
 * Label-consistent E-step: every row's parameters are the grid curves linearly
 * interpolated at its own u (row i between grid points jl[i] and jr[i] with weight
 * lam[i] on jr; lam outside [0,1] extrapolates). One posterior matrix R (n×K) for
 * all grid points. Returns sum_i w_i log f(y_i). Writes per-row log f into rowLL.
 */
export function estepInterp(rows: Rows, grid: Grid): f64 {
  const n = rows.n, K = rows.K, q = rows.q, p = rows.p, family = rows.family;
  const y = rows.y, w = rows.w, Z = rows.Z, X = rows.X, aux = rows.aux, R = rows.R, rowLL = rows.rowLL;
  const jl = grid.jl, jr = grid.jr, lam = grid.lam, alpha = grid.alpha, phi = grid.phi, gamma = grid.gamma;
  if (grid.m == 1 && allZero(lam, n)) return estepGlobal(rows, alpha, phi, gamma);
  let total = 0.0;
  for (let i = 0; i < n; i++) {
    const ll = interpolatedRow(i, K, q, p, family, y, Z, X, aux, jl, jr, lam, alpha, phi, gamma, R);
    unchecked(rowLL[i] = ll);
    total += unchecked(w[i]) * ll;
  }
  return total;
}

function allZero(v: Float64Array, n: i32): bool {
  for (let i = 0; i < n; i++) if (unchecked(v[i]) != 0.0) return false;
  return true;
}

/**
 * estepInterp for one set of parameters shared by every row (a global fit: one grid
 * point, interpolation weights 0), with the density's per-component constants (the
 * Gaussian log σ) computed once. Gives the numbers interpolatedRow gives (up to the
 * sign of a zero logit or predictor, which no later step sees).
 */
function estepGlobal(rows: Rows, alpha: Float64Array, phi: Float64Array, gamma: Float64Array): f64 {
  const n = rows.n, K = rows.K, q = rows.q, p = rows.p, family = rows.family;
  const y = rows.y, w = rows.w, Z = rows.Z, X = rows.X, aux = rows.aux, R = rows.R, rowLL = rows.rowLL;
  for (let c = 0; c < K; c++) unchecked(LOGNORM[c] = familyHoistA(family, unchecked(phi[c])));
  if (K == 2 && p == 2 && q == 2) return estepGlobalK2(rows, alpha, phi, gamma);
  let total = 0.0;
  for (let i = 0; i < n; i++) {
    const base = i * K;
    let mx = -Infinity;
    for (let c = 0; c < K; c++) {
      let l = 0.0;
      for (let k = 0; k < p; k++) l += unchecked(X[i * p + k]) * unchecked(gamma[c * p + k]);
      unchecked(R[base + c] = l);
      mx = Math.max(mx, l);
    }
    let se = 0.0;
    for (let c = 0; c < K; c++) se += expShifted(unchecked(R[base + c]) - mx);
    const lse = mx + log(se);
    const yi = unchecked(y[i]);
    const off = unchecked(aux[AUX_WIDTH * i]), mi = unchecked(aux[AUX_WIDTH * i + 1]), lci = unchecked(aux[AUX_WIDTH * i + 2]);
    for (let c = 0; c < K; c++) {
      let eta = 0.0;
      for (let k = 0; k < q; k++) eta += unchecked(Z[i * q + k]) * unchecked(alpha[c * q + k]);
      unchecked(R[base + c] = unchecked(R[base + c]) - lse + familyLogDensityHoisted(family, yi, eta + off, unchecked(phi[c]), unchecked(LOGNORM[c]), mi, lci));
    }
    const ll = normaliseRow(R, base, K);
    unchecked(rowLL[i] = ll);
    total += unchecked(w[i]) * ll;
  }
  return total;
}

/**
 * estepGlobal for K = 2, p = q = 2 (LOGNORM filled): the same arithmetic in the same
 * order, in locals, with rows in pairs so that each exp and log runs in two f64x2 lanes
 * (simd.ts; each lane's result is the scalar call's, bit for bit).
 */
function estepGlobalK2(rows: Rows, alpha: Float64Array, phi: Float64Array, gamma: Float64Array): f64 {
  const n = rows.n, family = rows.family;
  const y = rows.y, w = rows.w, Z = rows.Z, X = rows.X, aux = rows.aux, R = rows.R, rowLL = rows.rowLL;
  const g00 = unchecked(gamma[0]), g01 = unchecked(gamma[1]), g10 = unchecked(gamma[2]), g11 = unchecked(gamma[3]);
  const a00 = unchecked(alpha[0]), a01 = unchecked(alpha[1]), a10 = unchecked(alpha[2]), a11 = unchecked(alpha[3]);
  const ph0 = unchecked(phi[0]), ph1 = unchecked(phi[1]), ln0 = unchecked(LOGNORM[0]), ln1 = unchecked(LOGNORM[1]);
  let total = 0.0;
  for (let i = 0; i < n; i += 2) {
    // row B is i + 1, or a copy of row A past the end (then not stored)
    const iB = i + 1 < n ? i + 1 : i;
    const lA0 = rowDot2(X, i, g00, g01), lA1 = rowDot2(X, i, g10, g11);
    const lB0 = rowDot2(X, iB, g00, g01), lB1 = rowDot2(X, iB, g10, g11);
    const mxA = Math.max(Math.max(-Infinity, lA0), lA1), mxB = Math.max(Math.max(-Infinity, lB0), lB1);
    logSumExp2x(lA0 - mxA, lA1 - mxA, lB0 - mxB, lB1 - mxB);
    const lseA = mxA + unchecked(PAIR[0]), lseB = mxB + unchecked(PAIR[1]);
    globalLogDensitiesK2(family, y, Z, aux, i, a00, a01, a10, a11, ph0, ph1, ln0, ln1);
    const bA0 = lA0 - lseA + unchecked(DENSITY_PAIR[0]);
    const bA1 = lA1 - lseA + unchecked(DENSITY_PAIR[1]);
    globalLogDensitiesK2(family, y, Z, aux, iB, a00, a01, a10, a11, ph0, ph1, ln0, ln1);
    const bB0 = lB0 - lseB + unchecked(DENSITY_PAIR[0]);
    const bB1 = lB1 - lseB + unchecked(DENSITY_PAIR[1]);
    // normaliseRow for K = 2: exp(b − max) is 1 for the larger; the other's exp in a lane
    const mA = Math.max(Math.max(-Infinity, bA0), bA1), mB = Math.max(Math.max(-Infinity, bB0), bB1);
    const dA0 = bA0 - mA, dA1 = bA1 - mA, dB0 = bB0 - mB, dB1 = bB1 - mB;
    exp2x(dA0 == 0.0 ? dA1 : dA0, dB0 == 0.0 ? dB1 : dB0);
    const eA = unchecked(PAIR[0]), eB = unchecked(PAIR[1]);
    const qA0 = dA0 == 0.0 ? 1.0 : eA, qA1 = dA0 == 0.0 ? eA : expShifted(dA1);
    const qB0 = dB0 == 0.0 ? 1.0 : eB, qB1 = dB0 == 0.0 ? eB : expShifted(dB1);
    let sumA = 0.0;
    sumA += qA0;
    sumA += qA1;
    let sumB = 0.0;
    sumB += qB0;
    sumB += qB1;
    log2x(sumA, sumB);
    const logA = unchecked(PAIR[0]), logB = unchecked(PAIR[1]);
    total = storeRowK2(R, rowLL, w, i, mA, qA0, qA1, sumA, logA, total);
    if (iB > i) total = storeRowK2(R, rowLL, w, iB, mB, qB0, qB1, sumB, logB, total);
  }
  return total;
}

/** log f of row i for both components into DENSITY_PAIR (global K = 2, q = 2 path; one familyLogDensityPair where the family has it). */
// @ts-ignore: decorator
@inline function globalLogDensitiesK2(
  family: i32, y: Float64Array, Z: Float64Array, aux: Float64Array, i: i32,
  a00: f64, a01: f64, a10: f64, a11: f64, ph0: f64, ph1: f64, ln0: f64, ln1: f64,
): void {
  const yi = unchecked(y[i]), off = unchecked(aux[AUX_WIDTH * i]), mi = unchecked(aux[AUX_WIDTH * i + 1]), lci = unchecked(aux[AUX_WIDTH * i + 2]);
  const e0 = rowDot2(Z, i, a00, a01) + off, e1 = rowDot2(Z, i, a10, a11) + off;
  if (familyHasDensityPair(family)) {
    familyLogDensityPair(family, yi, e0, e1, ph0, ph1, mi, lci);
    return;
  }
  unchecked(DENSITY_PAIR[0] = familyLogDensityHoisted(family, yi, e0, ph0, ln0, mi, lci));
  unchecked(DENSITY_PAIR[1] = familyLogDensityHoisted(family, yi, e1, ph1, ln1, mi, lci));
}

/**
 * log Σ_c exp(d_c) of two rows' max-shifted pairs (dA0, dA1), (dB0, dB1) into PAIR: the
 * larger term is exp(0) = 1 exactly, so one exp and one log per row, each in a lane;
 * a row where neither shift is 0 (a NaN or infinite logit) is summed term by term.
 */
// @ts-ignore: decorator
@inline function logSumExp2x(dA0: f64, dA1: f64, dB0: f64, dB1: f64): void {
  exp2x(dA0 == 0.0 ? dA1 : dA0, dB0 == 0.0 ? dB1 : dB0);
  let seA = 1.0 + unchecked(PAIR[0]), seB = 1.0 + unchecked(PAIR[1]);
  if (dA0 != 0.0 && dA1 != 0.0) { seA = 0.0; seA += expShifted(dA0); seA += expShifted(dA1); }
  if (dB0 != 0.0 && dB1 != 0.0) { seB = 0.0; seB += expShifted(dB0); seB += expShifted(dB1); }
  log2x(seA, seB);
}

/** Stores row i's posteriors and log-likelihood (normaliseRow's K = 2 ending); returns total + w_i ll. */
// @ts-ignore: decorator
@inline function storeRowK2(R: Float64Array, rowLL: Float64Array, w: Float64Array, i: i32, m: f64, q0: f64, q1: f64, sum: f64, logSum: f64, total: f64): f64 {
  let ll: f64;
  if (m == -Infinity || m != m) {
    unchecked(R[2 * i] = 0.5);
    unchecked(R[2 * i + 1] = 0.5);
    ll = m == -Infinity ? -Infinity : NaN;
  } else {
    unchecked(R[2 * i] = q0 / sum);
    unchecked(R[2 * i + 1] = q1 / sum);
    ll = m + logSum;
  }
  unchecked(rowLL[i] = ll);
  return total + unchecked(w[i]) * ll;
}

/** Posteriors of row i (into R[i*K ..)) with the curves interpolated at its u; returns log f(y_i). */
// @ts-ignore: decorator
@inline function interpolatedRow(
  i: i32, K: i32, q: i32, p: i32, family: i32, y: Float64Array, Z: Float64Array, X: Float64Array, aux: Float64Array,
  jl: Int32Array, jr: Int32Array, lam: Float64Array, alpha: Float64Array, phi: Float64Array, gamma: Float64Array, R: Float64Array,
): f64 {
  const a = unchecked(jl[i]), b = unchecked(jr[i]);
  const lb = unchecked(lam[i]), la = 1.0 - lb;
  const base = i * K;
  // gating logits and their log-sum-exp
  const mx = interpolatedLogits(i, K, p, X, a, b, la, lb, gamma, R, base);
  let se = 0.0;
  for (let c = 0; c < K; c++) se += expShifted(unchecked(R[base + c]) - mx);
  const lse = mx + log(se);
  const yi = unchecked(y[i]);
  // offset, trials and the constant term of the row (aux, see family.ts; zeros for the Gaussian)
  const off = unchecked(aux[AUX_WIDTH * i]), mi = unchecked(aux[AUX_WIDTH * i + 1]), lci = unchecked(aux[AUX_WIDTH * i + 2]);
  for (let c = 0; c < K; c++) {
    const ea = (a * K + c) * q, eb = (b * K + c) * q;
    let ma = 0.0, mb = 0.0;
    for (let k = 0; k < q; k++) {
      const zv = unchecked(Z[i * q + k]);
      ma += zv * unchecked(alpha[ea + k]);
      mb += zv * unchecked(alpha[eb + k]);
    }
    const eta = la * ma + lb * mb;
    const ph = interpDispersion(unchecked(phi[a * K + c]), unchecked(phi[b * K + c]), lb);
    unchecked(R[base + c] = unchecked(R[base + c]) - lse + familyLogDensity(family, yi, eta + off, ph, mi, lci));
  }
  return normaliseRow(R, base, K);
}


/**
 * Smoothed label-consistent E-step (maximum smoothed likelihood; cf. Levine, Hunter &
 * Chauveau 2011, Biometrika): row i's log joint density of component c is the
 * kernel-weighted average over the grid points j whose windows hold it of the local
 * fits' log π_c f_c at u_i (each grid point's local-linear parameters evaluated at
 * s = (t_i − g_j)/h), a_ic = Σ_j K_ij log(π_c f_c)_j / S_i with S_i = Σ_j K_ij, and
 * r_ic ∝ exp(a_ic). With these posteriors and the ordinary kernel-weighted M-steps, each
 * EM iteration increases ℓ_S = Σ_i w_i S_i log Σ_c exp(a_ic), which is returned: the E-step
 * maximises F(θ, r) = Σ_ij K_ij w_i Σ_c r_ic log(π_c f_c)_j − Σ_i w_i S_i Σ_c r_ic log r_ic
 * over r, each M-step over its grid point's θ_j. A row in no window (S_i = 0) adds
 * nothing to ℓ_S and gets the interpolated posteriors of estepInterp. rowLL[i] ends as
 * row i's S_i log Σ_c exp(a_ic).
 *
 * Grid points are the outer loop (their per-component constants, e.g. the Gaussian
 * log σ, computed once per grid point instead of once per row visit); the sums over j
 * accumulate in R (the K sums) and rowLL (S_i), each row's in increasing j as a row-major
 * loop would add them.
 */
export function estepSmoothed(rows: Rows, grid: Grid): f64 {
  const n = rows.n, K = rows.K, q = rows.q, p = rows.p, family = rows.family;
  const t = rows.t, y = rows.y, w = rows.w, Z = rows.Z, X = rows.X, aux = rows.aux, R = rows.R, Ssum = rows.rowLL;
  const m = grid.m, kernel = grid.kernel, h = grid.h, g = grid.g, lo = grid.lo, hi = grid.hi;
  const alpha = grid.alpha, alphaS = grid.alphaS, phi = grid.phi, gamma = grid.gamma, gammaS = grid.gammaS;
  for (let k = 0; k < n * K; k++) unchecked(R[k] = 0.0);
  for (let i = 0; i < n; i++) unchecked(Ssum[i] = 0.0);
  for (let j = 0; j < m; j++) {
    const gj = unchecked(g[j]);
    if (K == 2 && q == 2 && p == 2) {
      smoothedVisitsK2(rows, grid, j);
      continue;
    }
    for (let c = 0; c < K; c++) unchecked(LOGNORM[c] = familyHoistA(family, unchecked(phi[j * K + c])));
    for (let i = unchecked(lo[j]); i < unchecked(hi[j]); i++) {
      const s = scaledDistance(kernel, unchecked(t[i]), gj, h);
      const kw = kernelWeight(kernel, s);
      if (kw == 0.0) continue;
      unchecked(Ssum[i] = unchecked(Ssum[i]) + kw);
      let mx = -Infinity;
      for (let c = 0; c < K; c++) {
        const og = (j * K + c) * p;
        let l = 0.0;
        for (let k = 0; k < p; k++) {
          l += unchecked(X[i * p + k]) * (unchecked(gamma[og + k]) + unchecked(gammaS[og + k]) * s);
        }
        unchecked(LOGIT[c] = l);
        mx = Math.max(mx, l);
      }
      let se = 0.0;
      for (let c = 0; c < K; c++) se += expShifted(unchecked(LOGIT[c]) - mx);
      const lse = mx + log(se);
      const yi = unchecked(y[i]);
      const off = unchecked(aux[AUX_WIDTH * i]), mi = unchecked(aux[AUX_WIDTH * i + 1]), lci = unchecked(aux[AUX_WIDTH * i + 2]);
      const base = i * K;
      for (let c = 0; c < K; c++) {
        const oe = (j * K + c) * q;
        let eta = off;
        for (let k = 0; k < q; k++) {
          eta += unchecked(Z[i * q + k]) * (unchecked(alpha[oe + k]) + unchecked(alphaS[oe + k]) * s);
        }
        const lj = unchecked(LOGIT[c]) - lse + familyLogDensityHoisted(family, yi, eta, unchecked(phi[j * K + c]), unchecked(LOGNORM[c]), mi, lci);
        unchecked(R[base + c] = unchecked(R[base + c]) + kw * lj);
      }
    }
  }
  let total = 0.0;
  for (let i = 0; i < n; i++) {
    const S = unchecked(Ssum[i]);
    if (!(S > 0.0)) {
      interpolatedRow(i, K, q, p, family, y, Z, X, aux, grid.jl, grid.jr, grid.lam, alpha, phi, gamma, R);
      unchecked(Ssum[i] = 0.0);
      continue;
    }
    const base = i * K;
    const inv = 1.0 / S;
    for (let c = 0; c < K; c++) unchecked(R[base + c] = unchecked(R[base + c]) * inv);
    const lse = normaliseRow(R, base, K);
    unchecked(Ssum[i] = S * lse);
    total += unchecked(w[i]) * S * lse;
  }
  return total;
}

/**
 * estepSmoothed's visits of grid point j's rows for the common shape K = 2, q = p = 2
 * (intercept + one covariate in the experts and the gating): the same arithmetic in the
 * same order, with the grid point's coefficients in locals instead of loops over c and k,
 * and rows taken in pairs so that the gating normaliser's exp and log run in two f64x2
 * lanes (simd.ts; each lane's result is the scalar call's, bit for bit).
 */
function smoothedVisitsK2(rows: Rows, grid: Grid, j: i32): void {
  const family = rows.family;
  const t = rows.t, y = rows.y, Z = rows.Z, X = rows.X, aux = rows.aux, R = rows.R, Ssum = rows.rowLL;
  const kernel = grid.kernel, h = grid.h, gj = unchecked(grid.g[j]);
  const alpha = grid.alpha, alphaS = grid.alphaS, phi = grid.phi, gamma = grid.gamma, gammaS = grid.gammaS;
  const o0 = 4 * j, o1 = 4 * j + 2; // (j*K + c)*2 for c = 0, 1
  const g00 = unchecked(gamma[o0]), g01 = unchecked(gamma[o0 + 1]), gs00 = unchecked(gammaS[o0]), gs01 = unchecked(gammaS[o0 + 1]);
  const g10 = unchecked(gamma[o1]), g11 = unchecked(gamma[o1 + 1]), gs10 = unchecked(gammaS[o1]), gs11 = unchecked(gammaS[o1 + 1]);
  const a00 = unchecked(alpha[o0]), a01 = unchecked(alpha[o0 + 1]), as00 = unchecked(alphaS[o0]), as01 = unchecked(alphaS[o0 + 1]);
  const a10 = unchecked(alpha[o1]), a11 = unchecked(alpha[o1 + 1]), as10 = unchecked(alphaS[o1]), as11 = unchecked(alphaS[o1 + 1]);
  const ph0 = unchecked(phi[2 * j]), ph1 = unchecked(phi[2 * j + 1]);
  const ln0 = familyHoistA(family, ph0), ln1 = familyHoistA(family, ph1);
  const iLo = unchecked(grid.lo[j]), iHi = unchecked(grid.hi[j]);
  for (let i = iLo; i < iHi; i += 2) {
    // row B is i + 1, or a copy of row A past the window's end (its visit is then skipped)
    const iB = i + 1 < iHi ? i + 1 : i;
    const sA = scaledDistance(kernel, unchecked(t[i]), gj, h), sB = scaledDistance(kernel, unchecked(t[iB]), gj, h);
    const kwA = kernelWeight(kernel, sA);
    const kwB = iB > i ? kernelWeight(kernel, sB) : 0.0;
    if (kwA == 0.0 && kwB == 0.0) continue;
    const lA0 = rowDot2(X, i, g00 + gs00 * sA, g01 + gs01 * sA), lA1 = rowDot2(X, i, g10 + gs10 * sA, g11 + gs11 * sA);
    const lB0 = rowDot2(X, iB, g00 + gs00 * sB, g01 + gs01 * sB), lB1 = rowDot2(X, iB, g10 + gs10 * sB, g11 + gs11 * sB);
    let mxA = -Infinity;
    mxA = Math.max(mxA, lA0);
    mxA = Math.max(mxA, lA1);
    let mxB = -Infinity;
    mxB = Math.max(mxB, lB0);
    mxB = Math.max(mxB, lB1);
    logSumExp2x(lA0 - mxA, lA1 - mxA, lB0 - mxB, lB1 - mxB);
    const lseA = mxA + unchecked(PAIR[0]), lseB = mxB + unchecked(PAIR[1]);
    if (kwA != 0.0) visitK2(family, i, kwA, sA, lA0, lA1, lseA, y, Z, aux, R, Ssum, a00, a01, as00, as01, a10, a11, as10, as11, ph0, ph1, ln0, ln1);
    if (kwB != 0.0) visitK2(family, iB, kwB, sB, lB0, lB1, lseB, y, Z, aux, R, Ssum, a00, a01, as00, as01, a10, a11, as10, as11, ph0, ph1, ln0, ln1);
  }
}

/** One row's visit (K = 2, q = 2) once its gating normaliser lse is known: the weighted log joint densities added to R. */
// @ts-ignore: decorator
@inline function visitK2(
  family: i32, i: i32, kw: f64, s: f64, l0: f64, l1: f64, lse: f64,
  y: Float64Array, Z: Float64Array, aux: Float64Array, R: Float64Array, Ssum: Float64Array,
  a00: f64, a01: f64, as00: f64, as01: f64, a10: f64, a11: f64, as10: f64, as11: f64, ph0: f64, ph1: f64, ln0: f64, ln1: f64,
): void {
  unchecked(Ssum[i] = unchecked(Ssum[i]) + kw);
  const yi = unchecked(y[i]);
  const off = unchecked(aux[AUX_WIDTH * i]), mi = unchecked(aux[AUX_WIDTH * i + 1]), lci = unchecked(aux[AUX_WIDTH * i + 2]);
  const z0 = unchecked(Z[2 * i]), z1 = unchecked(Z[2 * i + 1]);
  let e0 = off;
  e0 += z0 * (a00 + as00 * s);
  e0 += z1 * (a01 + as01 * s);
  let e1 = off;
  e1 += z0 * (a10 + as10 * s);
  e1 += z1 * (a11 + as11 * s);
  let d0: f64, d1: f64;
  if (familyHasDensityPair(family)) {
    familyLogDensityPair(family, yi, e0, e1, ph0, ph1, mi, lci);
    d0 = unchecked(DENSITY_PAIR[0]);
    d1 = unchecked(DENSITY_PAIR[1]);
  } else {
    d0 = familyLogDensityHoisted(family, yi, e0, ph0, ln0, mi, lci);
    d1 = familyLogDensityHoisted(family, yi, e1, ph1, ln1, mi, lci);
  }
  const lj0 = l0 - lse + d0;
  const lj1 = l1 - lse + d1;
  unchecked(R[2 * i] = unchecked(R[2 * i]) + kw * lj0);
  unchecked(R[2 * i + 1] = unchecked(R[2 * i + 1]) + kw * lj1);
}

// Per-call scratch for K <= 16 components (static: kernels never allocate in loops):
// the family's per-component constants hoisted out of the row loop (family.ts).
const HOIST_A = new Float64Array(16);
const HOIST_B = new Float64Array(16);

/**
 * Local E-step at grid point j (local-align baseline and local refinement): rows in
 * the kernel window get posteriors from the local-linear parameters at g[j]
 * (value + scaled slope × s). Posteriors need no gating normaliser (it cancels), so
 * the local log-likelihood sum_i K(s_i) w_i log f(y_i) is computed only when needLL
 * (it costs a log-sum-exp per row); otherwise 0 is returned. Per-component constants
 * of the density (the Gaussian's normaliser and 1/σ) are hoisted out of the row loop.
 */
export function estepLocal(rows: Rows, grid: Grid, j: i32, needLL: bool): f64 {
  const K = rows.K, q = rows.q, p = rows.p, family = rows.family;
  const t = rows.t, y = rows.y, w = rows.w, Z = rows.Z, X = rows.X, aux = rows.aux, R = rows.R;
  const kernel = grid.kernel, h = grid.h, g = grid.g, lo = grid.lo, hi = grid.hi;
  const alpha = grid.alpha, alphaS = grid.alphaS, phi = grid.phi, gamma = grid.gamma, gammaS = grid.gammaS;
  const gj = unchecked(g[j]);
  for (let c = 0; c < K; c++) {
    const ph = unchecked(phi[j * K + c]);
    unchecked(HOIST_A[c] = familyHoistA(family, ph));
    unchecked(HOIST_B[c] = familyHoistB(family, ph));
  }
  let total = 0.0;
  for (let i = unchecked(lo[j]); i < unchecked(hi[j]); i++) {
    const s = scaledDistance(kernel, unchecked(t[i]), gj, h);
    const base = i * K;
    const yi = unchecked(y[i]);
    const off = unchecked(aux[AUX_WIDTH * i]), mi = unchecked(aux[AUX_WIDTH * i + 1]), lci = unchecked(aux[AUX_WIDTH * i + 2]);
    let mxl = -Infinity, mxb = -Infinity;
    for (let c = 0; c < K; c++) {
      const og = (j * K + c) * p;
      let l = 0.0;
      for (let k = 0; k < p; k++) {
        l += unchecked(X[i * p + k]) * (unchecked(gamma[og + k]) + unchecked(gammaS[og + k]) * s);
      }
      const oe = (j * K + c) * q;
      let eta = 0.0;
      for (let k = 0; k < q; k++) {
        eta += unchecked(Z[i * q + k]) * (unchecked(alpha[oe + k]) + unchecked(alphaS[oe + k]) * s);
      }
      const b = familyLogJointLocal(family, l + unchecked(HOIST_A[c]), yi, eta + off, unchecked(HOIST_B[c]), mi, lci);
      unchecked(R[base + c] = b);
      mxb = Math.max(mxb, b);
      if (needLL) {
        // keep the gating logits' max for the normaliser (second pass below)
        mxl = Math.max(mxl, l);
      }
    }
    let se = 0.0;
    for (let c = 0; c < K; c++) {
      const e = exp(unchecked(R[base + c]) - mxb);
      unchecked(R[base + c] = e);
      se += e;
    }
    const inv = 1.0 / se;
    for (let c = 0; c < K; c++) unchecked(R[base + c] = unchecked(R[base + c]) * inv);
    if (needLL) {
      const kw = kernelWeight(kernel, s) * unchecked(w[i]);
      if (kw > 0.0) {
        let sl = 0.0;
        for (let c = 0; c < K; c++) {
          const og = (j * K + c) * p;
          let l = 0.0;
          for (let k = 0; k < p; k++) {
            l += unchecked(X[i * p + k]) * (unchecked(gamma[og + k]) + unchecked(gammaS[og + k]) * s);
          }
          sl += exp(l - mxl);
        }
        total += kw * (mxb + log(se) - (mxl + log(sl)));
      }
    }
  }
  return total;
}

/**
 * Gating probabilities pi_ic at each row's own u (curves interpolated as in
 * estepInterp), written to P (n×K).
 */
export function gatingProbs(rows: Rows, grid: Grid, P: Float64Array): void {
  const n = rows.n, K = rows.K, p = rows.p, X = rows.X;
  const jl = grid.jl, jr = grid.jr, lam = grid.lam, gamma = grid.gamma;
  for (let i = 0; i < n; i++) {
    const a = unchecked(jl[i]), b = unchecked(jr[i]);
    const lb = unchecked(lam[i]), la = 1.0 - lb;
    const base = i * K;
    interpolatedLogits(i, K, p, X, a, b, la, lb, gamma, P, base);
    normaliseRow(P, base, K);
  }
}
