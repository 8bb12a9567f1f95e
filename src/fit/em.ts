// The EM iteration shared by global (constant) fits and the label-consistent
// varying-coefficient fit: one E-step for all grid points, then every grid point's
// M-step against that same posterior matrix.
import type { GridState } from "./workspace.js";

export interface EMSettings {
  maxIter: number;
  /** Stop when |Δℓ| <= tol·(|ℓ| + 1). */
  tol: number;
  sigmaFloor: number;
  /** Gating Newton steps per M-step (1 suffices inside EM; more for global fits). */
  maxNewton: number;
}

export interface EMTrace {
  logLik: number;
  iterations: number;
  converged: boolean;
  /** Log-likelihood after every E-step (the label-consistent EM need not be monotone). */
  path: number[];
  /** Number of steps where ℓ decreased by more than roundoff. */
  decreases: number;
  largestDecrease: number;
}

/** `mstep` replaces the ordinary M-step (hybrid models pass theirs here). */
export function runEM(state: GridState, s: EMSettings, mstep?: () => void): EMTrace {
  const path: number[] = [];
  let converged = false;
  let decreases = 0, largestDecrease = 0;
  let ll = state.estep();
  path.push(ll);
  let it = 0;
  while (it < s.maxIter) {
    if (mstep) mstep(); else state.mstep(0, state.m, s.sigmaFloor, s.maxNewton);
    it++;
    const prev = ll;
    ll = state.estep();
    path.push(ll);
    if (!Number.isFinite(ll)) break;
    const drop = prev - ll;
    if (drop > 1e-10 * (Math.abs(prev) + 1)) { decreases++; largestDecrease = Math.max(largestDecrease, drop); }
    if (Math.abs(ll - prev) <= s.tol * (Math.abs(prev) + 1)) { converged = true; break; }
  }
  return { logLik: ll, iterations: it, converged, path, decreases, largestDecrease };
}
