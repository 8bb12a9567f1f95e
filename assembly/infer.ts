// Inference kernels: analytic scores and Hessians of the LOCAL OBSERVED-DATA
// log-likelihood of the mixture at a grid point, the sandwich covariance
// H⁻¹ S H⁻¹, per-row influence values for cross-grid covariances, and the
// Gaussian-multiplier maximum. Every expert family: the per-row derivatives of
// log f come from the family's functions (family.ts familyRowDerivs).
//
// Local log-likelihood at grid point g (s_i = (t_i − g)/h, kernel weight K(s_i),
// observation weight w_i, offset o_i):
//   ℓ(θ) = Σ_i w_i K(s_i) log Σ_c π_c(x_i; γ + γ_S s_i) f_c(y_i; o_i + zᵢᵀ(α_c + α_{S,c} s_i), φ_c)
// with the local-linear parameters of the fit (value + slope·s, dispersion locally
// constant). Parameter vector θ (dimension D = K(2q+1) + (K−1)·2p), per component c:
//   [α_c (q), α_{S,c} (q), φ_c], then the gating of components 1..K−1
//   (component 0 is the baseline, γ_0 ≡ 0): [γ_c (p), γ_{S,c} (p)].
// φ_c is the family's dispersion parameter: σ_c (Gaussian), log θ_c (negative binomial,
// reported as θ_c with the delta method). Where the dispersion is not a free local
// parameter (Poisson, binomial, θ at a bound or constant in u: Sandwich.fixedPhi) its
// score is 0 and its block of H is set to the identity, so it drops out; its reported
// standard error is NaN.
// Direct differentiation of log L_i, L_i = Σ_c π_c f_c, with posteriors
// r_c = π_c f_c / L_i and a_c = ∂(log π_c + log f_c)/∂θ:
//   score     ∂ log L_i = Σ_c r_c a_c =: ā
//   Hessian   ∂² log L_i = Σ_c r_c ∂²(log π_c + log f_c) + Σ_c r_c (a_c − ā)(a_c − ā)ᵀ
// (the last term is the between-component part that distinguishes the
// observed-data information from the complete-data one). H = −Σ w_i K_i ∂² log L_i.
// With η_c = o + vᵀ(α_c, α_{S,c}) (v = [z, z·s]), ∂ log f_c = (f_η v, f_φ) and
// −∂² log f_c = [[W v vᵀ, X v], [X vᵀ, P]] from the per-row derivatives (f_η, W = −f_ηη,
// f_φ, P = −f_φφ, X = −f_ηφ).
// Weights w_i are frequency weights (replication counts, as in the row-resampling
// bootstrap): S = Σ_i w_i (K_i ā_i)(K_i ā_i)ᵀ.
//
// Reported coefficients ("curves", E = K(q+1) + K·p, in the order of the fit's
// curves): per component c the q expert values α_{c,k} then the dispersion (σ_c, θ_c;
// 1 for families without one); then per
// component c the p centred gating logits γ̃_{c,k} = γ_{c,k} − (1/K) Σ_{c'} γ_{c',k}.
// Each is a linear functional L_e θ (centred gating: coefficient δ_{cc'} − 1/K on
// the value entry of γ_{c',k}, c' ≥ 1; θ_c: θ_c on log θ_c), so its influence value for row i is
// ψ_ie = L_e H⁻¹ (K_i ā_i), Var = Σ_i w_i ψ_ie² (= L_e H⁻¹ S H⁻¹ L_eᵀ) and, across
// grid points j, k: Cov = Σ_i w_i ψ_ije ψ_ike (= L H_j⁻¹ (Σ_i w_i s_ij s_ikᵀ) H_k⁻¹ Lᵀ).
import { exp, log } from "./mathx";
import { kernelWeight, scaledDistance, localDesignRow, interpDispersion } from "./kernel";
import { choleskyRidge, cholSolve } from "./linalg";
import { rngNormal } from "./rng";
import { INFER_OPG, INFER_SINGULAR } from "./status";
import { Rows, Grid, Sandwich, AUX_WIDTH } from "./abi";
import { familyLogDensity, familyRowDerivs, familyDispersionFree, familyDispersionScale } from "./family";
import { DERIVS, D_ETA, D_ETA2, D_PHI, D_PHI2, D_CROSS } from "./families/terms";
import { axpy } from "./simd";

/** Dimension D of the local parameter vector. */
export function inferDim(K: i32, q: i32, p: i32): i32 {
  return K * (2 * q + 1) + (K - 1) * 2 * p;
}

/** Number E of reported coefficient curves. */
export function inferCoefCount(K: i32, q: i32, p: i32): i32 {
  return K * (q + 1) + K * p;
}

/** Scratch size (f64 count) of localSandwich for windows of at most maxRows rows. */
export function inferWorkSize(K: i32, q: i32, p: i32, maxRows: i32): i32 {
  const D = inferDim(K, q, p), E = inferCoefCount(K, q, p);
  return 2 * D * D + K * D + D + 2 * q + 2 * p + 8 * K + E * D + maxRows * D;
}

/**
 * Sandwich standard errors at grid points j0..j1-1 from the grid's parameters.
 * Writes the reported values out.est[j*E+e] and their standard errors out.se[j*E+e];
 * when out.storePsi != 0 also the influence values out.psi[(psiOff[j] + i - lo[j])*E + e]
 * of every window row. out.status[j] gets INFER_* flags.
 */
export function localSandwich(rows: Rows, grid: Grid, j0: i32, j1: i32, out: Sandwich, work: Float64Array): void {
  const K = rows.K, q = rows.q, p = rows.p, family = rows.family;
  const t = rows.t, y = rows.y, w = rows.w, Z = rows.Z, X = rows.X, aux = rows.aux;
  const kernel = grid.kernel, h = grid.h, g = grid.g, lo = grid.lo, hi = grid.hi;
  const alpha = grid.alpha, alphaS = grid.alphaS, phi = grid.phi, gamma = grid.gamma, gammaS = grid.gammaS;
  const storePsi = out.storePsi, fixedPhi = out.fixedPhi, psiOff = out.psiOff, psi = out.psi, est = out.est, se = out.se, status = out.status;
  const D = inferDim(K, q, p), E = inferCoefCount(K, q, p);
  const eb = 2 * q + 1;           // expert block size per component
  const G0 = K * eb;              // start of the gating block
  const gb = 2 * p;               // gating block size per non-baseline component
  // scratch layout (the window's scores last: their count depends on the window size)
  const Hoff = 0;                 // D×D negative Hessian (lower triangle)
  const Foff = D * D;             // D×D Cholesky factor
  const Aoff = 2 * D * D;         // K vectors a_c (become a_c − ā)
  const Boff = Aoff + K * D;      // ā
  const Voff = Boff + D;          // expert design [z, z·s] (2q)
  const Xoff = Voff + 2 * q;      // gating design [x, x·s] (2p)
  const Poff = Xoff + 2 * p;      // π_c
  const Roff = Poff + K;          // r_c (first the shifted logits, then log joint densities)
  const Doff = Roff + K;          // per-row derivatives of log f_c (5 per component, DERIVS order)
  const Fxoff = Doff + 5 * K;     // 1 where component c's dispersion is a free parameter here
  const Uoff = Fxoff + K;         // E vectors H⁻¹ L_eᵀ
  const Soff = Uoff + E * D;      // scores K_i ā_i of the window rows (row-major, D each)
  for (let j = j0; j < j1; j++) {
    const gj = unchecked(g[j]);
    const iLo = unchecked(lo[j]), iHi = unchecked(hi[j]);
    unchecked(status[j] = 0);
    for (let k = 0; k < D * D; k++) unchecked(work[Hoff + k] = 0.0);
    for (let c = 0; c < K; c++) {
      unchecked(work[Fxoff + c] = fixedPhi == 0 && familyDispersionFree(family, unchecked(phi[j * K + c])) ? 1.0 : 0.0);
    }
    for (let i = iLo; i < iHi; i++) {
      const srow = Soff + (i - iLo) * D;
      const s = scaledDistance(kernel, unchecked(t[i]), gj, h);
      const kw = kernelWeight(kernel, s);
      const wi = unchecked(w[i]);
      if (kw == 0.0) {
        for (let a = 0; a < D; a++) unchecked(work[srow + a] = 0.0);
        continue;
      }
      localDesignRow(Z, i, q, 2 * q, s, work, Voff);
      localDesignRow(X, i, p, 2 * p, s, work, Xoff);
      // gating probabilities (baseline logit 0), max-shifted softmax
      let mx = 0.0;
      unchecked(work[Roff] = 0.0);
      for (let c = 1; c < K; c++) {
        const o = (j * K + c) * p;
        let l = 0.0;
        for (let k = 0; k < p; k++) {
          l += unchecked(work[Xoff + k]) * (unchecked(gamma[o + k]) + unchecked(gammaS[o + k]) * s);
        }
        unchecked(work[Roff + c] = l);
        mx = Math.max(mx, l);
      }
      let sp = 0.0;
      for (let c = 0; c < K; c++) {
        const l = unchecked(work[Roff + c]) - mx;
        unchecked(work[Roff + c] = l);
        const e = exp(l);
        unchecked(work[Poff + c] = e);
        sp += e;
      }
      const lsp = log(sp);
      // log π_c + log f_c, the per-row derivatives of log f_c, then posteriors
      const yi = unchecked(y[i]);
      const off = unchecked(aux[AUX_WIDTH * i]), mi = unchecked(aux[AUX_WIDTH * i + 1]), lc = unchecked(aux[AUX_WIDTH * i + 2]);
      let mr = -Infinity;
      for (let c = 0; c < K; c++) {
        const o = (j * K + c) * q;
        let eta = off;
        for (let k = 0; k < q; k++) {
          eta += unchecked(work[Voff + k]) * (unchecked(alpha[o + k]) + unchecked(alphaS[o + k]) * s);
        }
        const ph = unchecked(phi[j * K + c]);
        familyRowDerivs(family, yi, eta, ph, mi);
        const dc = Doff + 5 * c;
        const free = unchecked(work[Fxoff + c]) != 0.0;
        unchecked(work[dc + D_ETA] = unchecked(DERIVS[D_ETA]));
        unchecked(work[dc + D_ETA2] = unchecked(DERIVS[D_ETA2]));
        unchecked(work[dc + D_PHI] = free ? unchecked(DERIVS[D_PHI]) : 0.0);
        unchecked(work[dc + D_PHI2] = free ? unchecked(DERIVS[D_PHI2]) : 0.0);
        unchecked(work[dc + D_CROSS] = free ? unchecked(DERIVS[D_CROSS]) : 0.0);
        unchecked(work[Poff + c] = unchecked(work[Poff + c]) / sp);
        const lj = unchecked(work[Roff + c]) - lsp + familyLogDensity(family, yi, eta, ph, mi, lc);
        unchecked(work[Roff + c] = lj);
        mr = Math.max(mr, lj);
      }
      let sr = 0.0;
      for (let c = 0; c < K; c++) {
        const e = exp(unchecked(work[Roff + c]) - mr);
        unchecked(work[Roff + c] = e);
        sr += e;
      }
      for (let c = 0; c < K; c++) unchecked(work[Roff + c] = unchecked(work[Roff + c]) / sr);
      // a_c and ā
      for (let k = 0; k < K * D + D; k++) unchecked(work[Aoff + k] = 0.0);
      for (let c = 0; c < K; c++) {
        const ac = Aoff + c * D;
        const dc = Doff + 5 * c;
        const ec = unchecked(work[dc + D_ETA]);
        const ob = ac + c * eb;
        for (let a = 0; a < 2 * q; a++) unchecked(work[ob + a] = ec * unchecked(work[Voff + a]));
        unchecked(work[ob + 2 * q] = unchecked(work[dc + D_PHI]));
        for (let c2 = 1; c2 < K; c2++) {
          const coef = (c == c2 ? 1.0 : 0.0) - unchecked(work[Poff + c2]);
          const og = ac + G0 + (c2 - 1) * gb;
          for (let a = 0; a < gb; a++) unchecked(work[og + a] = coef * unchecked(work[Xoff + a]));
        }
        const rc = unchecked(work[Roff + c]);
        axpy(work, Boff, rc, ac, D);
      }
      for (let a = 0; a < D; a++) unchecked(work[srow + a] = kw * unchecked(work[Boff + a]));
      const hw = wi * kw;
      if (hw == 0.0) continue;
      // − Σ_c r_c (a_c − ā)(a_c − ā)ᵀ
      for (let c = 0; c < K; c++) {
        const ac = Aoff + c * D;
        for (let a = 0; a < D; a++) unchecked(work[ac + a] = unchecked(work[ac + a]) - unchecked(work[Boff + a]));
        const rc = hw * unchecked(work[Roff + c]);
        if (rc == 0.0) continue;
        for (let a = 0; a < D; a++) {
          const va = rc * unchecked(work[ac + a]);
          if (va == 0.0) continue;
          const row = Hoff + a * D;
          axpy(work, row, -va, ac, a + 1); // x − va·y = x + (−va)·y exactly
        }
      }
      // − Σ_c r_c ∂² log f_c on each expert block
      for (let c = 0; c < K; c++) {
        const rc = hw * unchecked(work[Roff + c]);
        if (rc == 0.0) continue;
        const dc = Doff + 5 * c;
        const wc = unchecked(work[dc + D_ETA2]);
        const ob = c * eb;
        for (let a = 0; a < 2 * q; a++) {
          const va = rc * wc * unchecked(work[Voff + a]);
          const row = Hoff + (ob + a) * D + ob;
          axpy(work, row, va, Voff, a + 1);
        }
        const rs = Hoff + (ob + 2 * q) * D + ob;
        const cross = rc * unchecked(work[dc + D_CROSS]);
        for (let b = 0; b < 2 * q; b++) unchecked(work[rs + b] += cross * unchecked(work[Voff + b]));
        unchecked(work[rs + 2 * q] += rc * unchecked(work[dc + D_PHI2]));
      }
      // − ∂² log π (the same for every c, Σ_c r_c = 1): (diag π − ππᵀ) ⊗ v vᵀ
      for (let c = 1; c < K; c++) {
        const pc = unchecked(work[Poff + c]);
        for (let c2 = 1; c2 <= c; c2++) {
          const coef = hw * pc * ((c == c2 ? 1.0 : 0.0) - unchecked(work[Poff + c2]));
          for (let a = 0; a < gb; a++) {
            const va = coef * unchecked(work[Xoff + a]);
            const row = Hoff + (G0 + (c - 1) * gb + a) * D + G0 + (c2 - 1) * gb;
            const bMax = c == c2 ? a : gb - 1;
            axpy(work, row, va, Xoff, bMax + 1);
          }
        }
      }
    }
    // a fixed dispersion: its (zero) row and column of H get a unit diagonal
    for (let c = 0; c < K; c++) {
      if (unchecked(work[Fxoff + c]) == 0.0) unchecked(work[Hoff + (c * eb + 2 * q) * D + c * eb + 2 * q] = 1.0);
    }
    // reported values
    for (let c = 0; c < K; c++) {
      for (let k = 0; k < q; k++) unchecked(est[j * E + c * (q + 1) + k] = unchecked(alpha[(j * K + c) * q + k]));
      unchecked(est[j * E + c * (q + 1) + q] = unchecked(phi[j * K + c]));
    }
    const gOff = K * (q + 1);
    for (let k = 0; k < p; k++) {
      let mean = 0.0;
      for (let c = 0; c < K; c++) mean += unchecked(gamma[(j * K + c) * p + k]);
      mean /= f64(K);
      for (let c = 0; c < K; c++) unchecked(est[j * E + gOff + c * p + k] = unchecked(gamma[(j * K + c) * p + k]) - mean);
    }
    let ok = true;
    let ridge = choleskyRidge(work, Foff, work, Hoff, D);
    if (ridge != 0.0) {
      // The observed information at the estimate is not positive definite (the
      // label-consistent estimate is not exactly the local maximiser, and a small
      // window's mixture likelihood can be flat in some direction). Fall back to
      // its outer-product form Σ_i w_i K_i ā_i ā_iᵀ, which has the same expectation
      // under the model (information equality) and is positive semi-definite.
      for (let k = 0; k < D * D; k++) unchecked(work[Hoff + k] = 0.0);
      for (let i = iLo; i < iHi; i++) {
        const kw = kernelWeight(kernel, scaledDistance(kernel, unchecked(t[i]), gj, h));
        const hw = unchecked(w[i]) / kw;
        if (kw == 0.0 || hw == 0.0) continue;
        const srow = Soff + (i - iLo) * D;
        for (let a = 0; a < D; a++) {
          const va = hw * unchecked(work[srow + a]);
          const row = Hoff + a * D;
          axpy(work, row, va, srow, a + 1);
        }
      }
      for (let c = 0; c < K; c++) {
        if (unchecked(work[Fxoff + c]) == 0.0) unchecked(work[Hoff + (c * eb + 2 * q) * D + c * eb + 2 * q] = 1.0);
      }
      ridge = choleskyRidge(work, Foff, work, Hoff, D);
      unchecked(status[j] |= ridge == 0.0 ? INFER_OPG : INFER_SINGULAR);
      if (ridge != 0.0) ok = false;
    }
    if (!ok) {
      for (let e = 0; e < E; e++) unchecked(se[j * E + e] = NaN);
      if (storePsi != 0) {
        for (let i = iLo; i < iHi; i++) for (let e = 0; e < E; e++) unchecked(psi[(unchecked(psiOff[j]) + i - iLo) * E + e] = 0.0);
      }
      continue;
    }
    // U_e = H⁻¹ L_eᵀ
    for (let e = 0; e < E; e++) {
      const u = Uoff + e * D;
      for (let a = 0; a < D; a++) unchecked(work[u + a] = 0.0);
      if (e < gOff) {
        const c = i32(e / (q + 1)), k = e % (q + 1);
        unchecked(work[u + c * eb + (k < q ? k : 2 * q)] = k < q ? 1.0 : familyDispersionScale(family, unchecked(phi[j * K + c])));
      } else {
        const c = i32((e - gOff) / p), k = (e - gOff) % p;
        for (let c2 = 1; c2 < K; c2++) {
          unchecked(work[u + G0 + (c2 - 1) * gb + k] = (c == c2 ? 1.0 : 0.0) - 1.0 / f64(K));
        }
      }
      cholSolve(work, Foff, D, work, u);
    }
    for (let e = 0; e < E; e++) unchecked(se[j * E + e] = 0.0);
    for (let i = iLo; i < iHi; i++) {
      const srow = Soff + (i - iLo) * D;
      const wi = unchecked(w[i]);
      const pr = (unchecked(psiOff[j]) + i - iLo) * E;
      for (let e = 0; e < E; e++) {
        const u = Uoff + e * D;
        let v = 0.0;
        for (let a = 0; a < D; a++) v += unchecked(work[u + a]) * unchecked(work[srow + a]);
        if (storePsi != 0) unchecked(psi[pr + e] = v);
        unchecked(se[j * E + e] += wi * v * v);
      }
    }
    for (let e = 0; e < E; e++) unchecked(se[j * E + e] = Math.sqrt(unchecked(se[j * E + e])));
    // a fixed dispersion has no local standard error
    for (let c = 0; c < K; c++) {
      if (unchecked(work[Fxoff + c]) == 0.0) unchecked(se[j * E + c * (q + 1) + q] = NaN);
    }
  }
}

/**
 * Per-row derivatives of log f_c at each row's own u (curves interpolated between grid
 * points jl[i], jr[i] as in the E-step, offset included): out[(i*K + c)*5 + k] holds
 * families/terms.ts DERIVS[k] (∂η, −∂²η, ∂φ, −∂²φ, −∂η∂φ; φ = σ, log θ, or none).
 * For the standard errors of a hybrid fit's constant coefficients (src/fit/constantSE.ts).
 */
export function rowDerivsInterp(rows: Rows, grid: Grid, out: Float64Array): void {
  const n = rows.n, K = rows.K, q = rows.q, family = rows.family, y = rows.y, Z = rows.Z, aux = rows.aux;
  const jl = grid.jl, jr = grid.jr, lam = grid.lam, alpha = grid.alpha, phi = grid.phi;
  for (let i = 0; i < n; i++) {
    const a = unchecked(jl[i]), b = unchecked(jr[i]);
    const lb = unchecked(lam[i]), la = 1.0 - lb;
    for (let c = 0; c < K; c++) {
      let eta = unchecked(aux[AUX_WIDTH * i]);
      for (let k = 0; k < q; k++) {
        eta += unchecked(Z[i * q + k]) * (la * unchecked(alpha[(a * K + c) * q + k]) + lb * unchecked(alpha[(b * K + c) * q + k]));
      }
      const ph = interpDispersion(unchecked(phi[a * K + c]), unchecked(phi[b * K + c]), lb);
      familyRowDerivs(family, unchecked(y[i]), eta, ph, unchecked(aux[AUX_WIDTH * i + 1]));
      const o = (i * K + c) * 5;
      for (let k = 0; k < 5; k++) unchecked(out[o + k] = unchecked(DERIVS[k]));
    }
  }
}

/**
 * Covariance across grid points of coefficient e from the influence values stored by
 * localSandwich: C[j*m+k] = Σ_i w_i ψ_ije ψ_ike over rows in both windows (full matrix).
 */
export function influenceCov(rows: Rows, grid: Grid, out: Sandwich, e: i32, C: Float64Array): void {
  const m = grid.m, E = inferCoefCount(rows.K, rows.q, rows.p), lo = grid.lo, hi = grid.hi;
  const w = rows.w, psiOff = out.psiOff, psi = out.psi;
  for (let j = 0; j < m; j++) {
    const lj = unchecked(lo[j]), hj = unchecked(hi[j]), oj = unchecked(psiOff[j]);
    for (let k = 0; k <= j; k++) {
      const lk0 = unchecked(lo[k]), hk0 = unchecked(hi[k]);
      const a = lj > lk0 ? lj : lk0;
      const b = hj < hk0 ? hj : hk0;
      const ok = unchecked(psiOff[k]), lk = unchecked(lo[k]);
      let v = 0.0;
      for (let i = a; i < b; i++) {
        v += unchecked(w[i]) * unchecked(psi[(oj + i - lj) * E + e]) * unchecked(psi[(ok + i - lk) * E + e]);
      }
      unchecked(C[j * m + k] = v);
      unchecked(C[k * m + j] = v);
    }
  }
}

/**
 * Gaussian-multiplier draws: for d < draws, out[d] = max_j |(L ξ)_j| with ξ ~ N(0, I_m)
 * drawn from `state` and L the lower Cholesky factor (m×m, row-major) of a
 * correlation matrix, i.e. the maximum of |N(0, L Lᵀ)| over the grid.
 */
export function maxAbsGaussian(L: Float64Array, m: i32, draws: i32, state: Int32Array, xi: Float64Array, out: Float64Array): void {
  for (let d = 0; d < draws; d++) {
    for (let k = 0; k < m; k++) unchecked(xi[k] = rngNormal(state));
    let mx = 0.0;
    for (let j = 0; j < m; j++) {
      let v = 0.0;
      const row = j * m;
      for (let k = 0; k <= j; k++) v += unchecked(L[row + k]) * unchecked(xi[k]);
      mx = Math.max(mx, Math.abs(v));
    }
    unchecked(out[d] = mx);
  }
}

/**
 * Lower Cholesky factor L (m×m, row-major; lower triangle valid) of the symmetric
 * matrix A, with a growing ridge when A is numerically singular (a correlation
 * matrix of strongly overlapping kernel windows can be). Returns the ridge added
 * (0 when none), or −1 when even a large ridge fails.
 */
export function choleskyFactor(A: Float64Array, m: i32, L: Float64Array): f64 {
  return choleskyRidge(L, 0, A, 0, m);
}
