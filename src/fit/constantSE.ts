// Standard errors of the constant coefficients of a hybrid fit (root-n rate).
//
// The constant part θ is estimated by the global mixture likelihood given the
// varying curves β(u), which are themselves profiled out by local-linear
// likelihood. Its asymptotic covariance is the inverse of the efficient (profile)
// information (Severini & Wong 1992; the same projection appears for the constant
// part of the semiparametric mixture of Huang & Yao 2012):
//   s̃_i = s_θ,i − A(u_i) s_β,i,   A(u) = J_θβ(u) J_ββ(u)⁻¹,
//   I   = Σ_i w_i [J_θθ,i − A(u_i) J_βθ,i],
// where s_i and J_i are the analytic score and negative Hessian of the observed-data
// log-likelihood of row i with respect to the coefficient values at u_i (Louis'
// identity at the row level), and J_··(u) are their kernel-weighted local sums at the
// grid points (same kernel and bandwidth as the fit), interpolated along u. A
// label-consistent fixed point need not be a local maximiser, so J_ββ(u) can be
// indefinite: at such grid points the local score covariance Σ K_h w s sᵀ (which
// estimates the same matrix under the model and is positive semi-definite) is used.
// Reported: `se` from the sandwich I⁻¹ (Σ_i w_i s̃_i s̃_iᵀ) I⁻¹ (robust to a
// misspecified error law), and `seInformation` from I⁻¹. If I is not positive
// definite, its outer-product form Σ_i w_i s̃_i s̃_iᵀ replaces it (with a warning).
// Parametrisation: expert coefficients, the dispersion (σ itself; negative-binomial
// log θ, reported as θ by the delta method; none for Poisson and binomial), gating
// contrasts γ_c − γ_1 (component 1 is the baseline). The per-row derivatives of log f
// are the family's (the core's rowDerivsInterp, assembly/infer.ts).
import type { GridState } from "./workspace.js";
import { kernelWeight } from "../model/kernel.js";
import type { CoefficientId, HybridMasks } from "../model/constants.js";
import type { ConstantInference } from "../model/result.js";
import { cholesky, cholInverse, cholSolveVec, matMul } from "./dense.js";



/**
 * Row score (D) and negative Hessian (D×D) of log f(y_i) in the full local parameter
 * vector, from the family's per-row derivatives (Fd: the core's rowDerivsInterp, in η
 * and the dispersion parameter φ = σ or log θ).
 */
function rowDerivatives(
  st: GridState, Pi: Float64Array, Fd: Float64Array, i: number, D: number, g: Float64Array, s: Float64Array, J: Float64Array,
): void {
  const { ds, K } = st.data;
  const { q, p } = ds;
  const R = st.data.R.view();
  const gOff = K * q + K;
  s.fill(0);
  J.fill(0);
  // gating second derivatives (identical for every component; Σ_c r_ic = 1)
  for (let c1 = 1; c1 < K; c1++) {
    const p1 = Pi[i * K + c1];
    for (let c2 = 1; c2 < K; c2++) {
      const coef = p1 * ((c1 === c2 ? 1 : 0) - Pi[i * K + c2]);
      for (let k = 0; k < p; k++) {
        for (let l = 0; l < p; l++) J[(gOff + (c1 - 1) * p + k) * D + gOff + (c2 - 1) * p + l] += coef * ds.X[i * p + k] * ds.X[i * p + l];
      }
    }
  }
  for (let c = 0; c < K; c++) {
    const r = R[i * K + c];
    const o = (i * K + c) * 5;
    const fEta = Fd[o], wEta = Fd[o + 1], fPhi = Fd[o + 2], wPhi = Fd[o + 3], cross = Fd[o + 4];
    g.fill(0);
    for (let k = 0; k < q; k++) g[c * q + k] = ds.Z[i * q + k] * fEta;
    g[K * q + c] = fPhi;
    for (let c2 = 1; c2 < K; c2++) {
      const dlt = (c === c2 ? 1 : 0) - Pi[i * K + c2];
      for (let k = 0; k < p; k++) g[gOff + (c2 - 1) * p + k] = ds.X[i * p + k] * dlt;
    }
    if (r === 0) continue;
    for (let u = 0; u < D; u++) s[u] += r * g[u];
    // − r_c ∂²a_c (expert and dispersion blocks of component c)
    const sIdx = K * q + c;
    for (let k = 0; k < q; k++) {
      const zk = ds.Z[i * q + k];
      for (let l = 0; l < q; l++) J[(c * q + k) * D + c * q + l] += r * zk * ds.Z[i * q + l] * wEta;
      const v = r * zk * cross;
      J[(c * q + k) * D + sIdx] += v;
      J[sIdx * D + c * q + k] += v;
    }
    J[sIdx * D + sIdx] += r * wPhi;
    // − r_c g_c g_cᵀ
    for (let u = 0; u < D; u++) {
      const gu = g[u];
      if (gu === 0) continue;
      for (let v = 0; v < D; v++) J[u * D + v] -= r * gu * g[v];
    }
  }
  // + s sᵀ
  for (let u = 0; u < D; u++) for (let v = 0; v < D; v++) J[u * D + v] += s[u] * s[v];
}

/**
 * Standard errors of the constant coefficients of a converged hybrid fit. The
 * state's posterior matrix must belong to its current parameters (true after EM,
 * which ends with an E-step).
 */
export function constantInference(st: GridState, masks: HybridMasks, ids: CoefficientId[]): ConstantInference {
  const kernel = st.local.kernel!;
  const { core, ds, K } = st.data;
  const { q, p, n } = ds;
  const D = K * q + K + (K - 1) * p;
  const isConst = new Uint8Array(D);
  for (let c = 0; c < K; c++) for (let k = 0; k < q; k++) isConst[c * q + k] = masks.constE[c * q + k];
  for (let c = 0; c < K; c++) isConst[K * q + c] = masks.constS[c];
  for (let c = 1; c < K; c++) for (let k = 0; k < p; k++) isConst[K * q + K + (c - 1) * p + k] = masks.constG[c * p + k];
  // a family without a dispersion has no such parameter: neither constant nor varying
  const family = st.data.family;
  const T: number[] = [], V: number[] = [];
  for (let u = 0; u < D; u++) {
    if (!family.dispersion && u >= K * q && u < K * q + K) continue;
    (isConst[u] ? T : V).push(u);
  }
  const nT = T.length, nV = V.length;
  // gating probabilities at each row's u (core kernel: same exp as the E-step)
  const PiBuf = core.f64(n * K);
  core.kernels.gatingProbs(st.data.rows, st.grid, PiBuf);
  const Pi = PiBuf.view().slice();
  const FdBuf = core.f64(n * K * 5);
  core.kernels.rowDerivsInterp(st.data.rows, st.grid, FdBuf);
  const Fd = FdBuf.view().slice();
  const g = new Float64Array(D), s = new Float64Array(D), J = new Float64Array(D * D);
  const warnings: string[] = [];

  // A_j = J_TV(g_j) J_VV(g_j)^{-1} at every grid point (nT×nV each)
  const m = st.m;
  const A: Float64Array[] = [];
  let regularised = 0, fallback = 0;
  if (nV > 0) {
    const grid = st.g.view(), lo = st.lo.view(), hi = st.hi.view();
    const t = ds.t;
    for (let j = 0; j < m; j++) {
      // local observed information; where it is not positive definite (a label-consistent
      // fixed point need not be a local maximiser) the local score covariance replaces it
      const JVV = new Float64Array(nV * nV), JVT = new Float64Array(nV * nT);
      const CVV = new Float64Array(nV * nV), CVT = new Float64Array(nV * nT);
      for (let i = lo[j]; i < hi[j]; i++) {
        const kw = kernelWeight(kernel, (t[i] - grid[j]) / st.h) * ds.w[i];
        if (kw === 0) continue;
        rowDerivatives(st, Pi, Fd, i, D, g, s, J);
        for (let a = 0; a < nV; a++) {
          const ra = V[a] * D, va = kw * s[V[a]];
          for (let b = 0; b < nV; b++) { JVV[a * nV + b] += kw * J[ra + V[b]]; CVV[a * nV + b] += va * s[V[b]]; }
          for (let b = 0; b < nT; b++) { JVT[a * nT + b] += kw * J[ra + T[b]]; CVT[a * nT + b] += va * s[T[b]]; }
        }
      }
      let f = cholesky(JVV, nV);
      let rhs = JVT;
      if (f === null || f.ridge > 0) {
        fallback++;
        f = cholesky(CVV, nV);
        rhs = CVT;
      }
      const Aj = new Float64Array(nT * nV);
      if (f === null) {
        regularised++;
      } else {
        if (f.ridge > 0) regularised++;
        const col = new Float64Array(nV);
        for (let b = 0; b < nT; b++) {
          for (let a = 0; a < nV; a++) col[a] = rhs[a * nT + b];
          cholSolveVec(f, col);
          for (let a = 0; a < nV; a++) Aj[b * nV + a] = col[a];
        }
      }
      A.push(Aj);
    }
    if (regularised > 0) warnings.push(`the local information of the varying coefficients was singular at ${regularised} grid point(s); their projection was regularised`);
  }

  const I = new Float64Array(nT * nT), S = new Float64Array(nT * nT);
  const Ai = new Float64Array(nT * nV), st_ = new Float64Array(nT);
  const jl = st.jl.view(), jr = st.jr.view(), lam = st.lam.view();
  for (let i = 0; i < n; i++) {
    const wi = ds.w[i];
    if (wi === 0) continue;
    rowDerivatives(st, Pi, Fd, i, D, g, s, J);
    if (nV > 0) {
      const Aa = A[jl[i]], Ab = A[jr[i]], lb = lam[i], la = 1 - lb;
      for (let k = 0; k < nT * nV; k++) Ai[k] = la * Aa[k] + lb * Ab[k];
    }
    for (let a = 0; a < nT; a++) {
      let v = s[T[a]];
      for (let b = 0; b < nV; b++) v -= Ai[a * nV + b] * s[V[b]];
      st_[a] = v;
      for (let c = 0; c < nT; c++) {
        let x = J[T[a] * D + T[c]];
        for (let b = 0; b < nV; b++) x -= Ai[a * nV + b] * J[V[b] * D + T[c]];
        I[a * nT + c] += wi * x;
      }
    }
    for (let a = 0; a < nT; a++) for (let c = 0; c < nT; c++) S[a * nT + c] += wi * st_[a] * st_[c];
  }
  for (let a = 0; a < nT; a++) {
    for (let c = 0; c < a; c++) {
      const v = 0.5 * (I[a * nT + c] + I[c * nT + a]);
      I[a * nT + c] = v; I[c * nT + a] = v;
    }
  }
  // the Hessian form of the efficient information must be positive definite; if it is not
  // (a fit far from a maximiser), fall back to the outer-product form Σ w s̃ s̃ᵀ
  let fI = cholesky(I, nT);
  if (fI === null || fI.ridge > 0) {
    const fS = cholesky(S, nT);
    if (fS !== null && fS.ridge === 0) {
      warnings.push("the Hessian form of the efficient information is not positive definite: standard errors use its outer-product form (se = seInformation)");
      I.set(S);
      fI = fS;
    }
  }
  let covModel: Float64Array, cov: Float64Array;
  if (fI === null) {
    warnings.push("the efficient information of the constant coefficients is singular: standard errors are not available");
    covModel = new Float64Array(nT * nT).fill(NaN);
    cov = covModel;
  } else {
    if (fI.ridge > 0) warnings.push("the efficient information of the constant coefficients is nearly singular (a ridge was added): standard errors are unreliable");
    covModel = cholInverse(fI);
    cov = matMul(matMul(covModel, S, nT, nT, nT), covModel, nT, nT, nT);
  }
  const alpha = st.alpha.view(), phi = st.phi.view(), gamma = st.gamma.view();
  const estimates = ids.map((id, a) => {
    const u = T[a];
    let est: number, scale = 1;
    if (u < K * q) est = alpha[u];
    else if (u < K * q + K) { est = phi[u - K * q]; if (family.logDispersion) scale = est; } // θ from log θ: delta method
    else { const r = u - K * q - K; est = gamma[(Math.floor(r / p) + 1) * p + (r % p)]; }
    return { ...id, estimate: est, se: scale * Math.sqrt(cov[a * nT + a]), seInformation: scale * Math.sqrt(covModel[a * nT + a]) };
  });
  return {
    estimates,
    covariance: Array.from({ length: nT }, (_, a) => Array.from(cov.subarray(a * nT, (a + 1) * nT))),
    regularisedGridPoints: regularised,
    scoreCovarianceGridPoints: fallback,
    warnings,
  };
}
