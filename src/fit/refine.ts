// Local refinement of a label-consistent fit. The label-consistent EM's fixed point
// computes every grid point's M-step with posteriors from the already-smoothed
// curves, which feeds smoothing bias back into the expert curves where they bend
// (measured on the "ws" scenario: expert-intercept MSE 1.3–1.7× the local MLE's).
// Refinement runs, at every grid point, local EM on that point's own local
// likelihood started from the label-consistent solution, for the expert regression
// coefficients only: the gating and the dispersion stay at their label-consistent
// values. Their local likelihood is nearly flat where the experts overlap (a
// crossing), and re-estimating them there let the gating switch labels between
// neighbouring grid points (bench/ACCURACY.md, "Refinement"). A grid point whose
// refined experts would change any component's identity is reverted and reported.
import { bestPermutation } from "./align.js";
import { squaremCycle, type FixedPointMap } from "./squarem.js";
import { phiAdmissible } from "./em.js";
import type { GridParams, GridState, MStepParts } from "./workspace.js";
import { kernelWeight } from "../model/kernel.js";

export interface RefineTrace {
  /** Local EM iterations per grid point. */
  iterations: number[];
  converged: boolean[];
  /** Grid indices reverted to the label-consistent solution (refinement would have changed a component's identity). */
  reverted: number[];
}

/** Refinement re-estimates the expert coefficients only. */
const REFINED: MStepParts = { experts: true, dispersion: false, gating: false };

/**
 * Refines every grid point in place. Convergence: the largest change of the grid
 * point's parameters relative to (1 + |value|) falls below `paramTol`.
 */
export function refineLocally(state: GridState, start: GridParams, maxIter: number, paramTol: number, sigmaFloor: number): RefineTrace {
  const { K, ds } = state.data;
  const iterations: number[] = [], converged: boolean[] = [], reverted: number[] = [];
  const [phiOff, phiLen] = state.slicePhiRange();
  for (let j = 0; j < state.m; j++) {
    // local EM at grid point j, accelerated by SQUAREM on that point's parameters
    const F: FixedPointMap = {
      get: () => state.slice(j),
      set: (v) => state.writeSlice(j, v),
      step: () => { const ll = state.estepLocal(j, true); state.mstep(j, j + 1, { sigmaFloor, maxNewton: 2, parts: REFINED }); return ll; },
      valid: (v) => phiAdmissible(v, phiOff, phiLen, sigmaFloor),
    };
    let prev = state.slice(j), maps = 0, conv = false;
    while (maps < maxIter) {
      const cyc = squaremCycle(F, 1e-9);
      maps += cyc.maps;
      const cur = state.slice(j);
      let change = 0;
      for (let k = 0; k < cur.length; k++) change = Math.max(change, Math.abs(cur[k] - prev[k]) / (1 + Math.abs(prev[k])));
      prev = cur;
      if (change <= paramTol) { conv = true; break; }
    }
    iterations.push(maps);
    converged.push(conv);
  }
  const refined = state.read();
  for (let j = 0; j < state.m; j++) {
    const mt = bestPermutation(start, j, refined, j, K, ds.q, ds.p);
    if (mt.perm.some((b, c) => b !== c) || !keepsIdentity(state, j, start, refined)) {
      reverted.push(j);
      copyGridPoint(start, refined, j, K, ds.q, ds.p);
    }
  }
  state.write(refined);
  return { iterations, converged, reverted };
}

/**
 * Whether the refined parameters at grid point j keep every component's identity,
 * judged by the posteriors of the rows in j's window under both parameter sets
 * (experts, dispersion and gating together): the kernel-weighted agreement
 * A[a][c] = Σ K·w·r_ia·r'_ic must be largest on the diagonal in every row and column,
 * i.e. each refined component still claims mostly the rows its label-consistent
 * self claimed. @internal (exported for tests)
 */
export function keepsIdentity(state: GridState, j: number, start: GridParams, refined: GridParams): boolean {
  const { K, ds } = state.data;
  const lo = state.lo.view()[j], hi = state.hi.view()[j];
  const kernel = state.local.kernel!;
  const g = state.g.view()[j];
  const posteriors = (P: GridParams): Float64Array => {
    state.writeSlice(j, gridPointSlice(P, j, K, ds.q, ds.p));
    state.estepLocal(j, false);
    return state.data.R.view().slice(lo * K, hi * K);
  };
  const r0 = posteriors(start), r1 = posteriors(refined);
  const A = new Float64Array(K * K);
  for (let i = lo; i < hi; i++) {
    const kw = kernelWeight(kernel, (ds.t[i] - g) / state.h) * ds.w[i];
    const b = (i - lo) * K;
    for (let a = 0; a < K; a++) for (let c = 0; c < K; c++) A[a * K + c] += kw * r0[b + a] * r1[b + c];
  }
  for (let a = 0; a < K; a++) {
    for (let c = 0; c < K; c++) {
      if (c !== a && (A[a * K + c] >= A[a * K + a] || A[c * K + a] >= A[a * K + a])) return false;
    }
  }
  return true;
}

/** Grid point j's parameters in GridState.slice order (alpha, alphaS, phi, gamma, gammaS). */
function gridPointSlice(P: GridParams, j: number, K: number, q: number, p: number): Float64Array {
  const parts = [[P.alpha, q], [P.alphaS, q], [P.phi, 1], [P.gamma, p], [P.gammaS, p]] as const;
  const out = new Float64Array(K * (2 * q + 1 + 2 * p));
  let o = 0;
  for (const [a, w] of parts) { out.set(a.subarray(j * K * w, (j + 1) * K * w), o); o += K * w; }
  return out;
}

function copyGridPoint(src: GridParams, dst: GridParams, j: number, K: number, q: number, p: number): void {
  const mv = (a: Float64Array, b: Float64Array, w: number) => b.set(a.subarray(j * K * w, (j + 1) * K * w), j * K * w);
  mv(src.alpha, dst.alpha, q); mv(src.alphaS, dst.alphaS, q); mv(src.phi, dst.phi, 1);
  mv(src.gamma, dst.gamma, p); mv(src.gammaS, dst.gammaS, p);
}
