// The EM iteration shared by global (constant) fits and the label-consistent
// varying-coefficient fit: one E-step for all grid points, then every grid point's
// M-step against that same posterior matrix. Both are ascent methods for their
// objective (GridState.estepEM): the log-likelihood of a global fit, and for the
// label-consistent EM the smoothed log-likelihood ℓ_S (assembly/estep.ts estepSmoothed).
import type { GridParams, GridState } from "./workspace.js";
import { squaremCycle, type FixedPointMap } from "./squarem.js";

export interface EMSettings {
  maxIter: number;
  /** Stop when |Δℓ| <= tol·(|ℓ| + 1). */
  tol: number;
  sigmaFloor: number;
  /** Gating Newton steps per M-step (1 suffices inside EM; more for global fits). */
  maxNewton: number;
  /** SQUAREM acceleration (same fixed point, fewer E-/M-steps). */
  accelerate?: boolean;
  /** Varying-coefficient fits: skip the final interpolated E-step (trace.logLik is then NaN) when only the objective is wanted. */
  objectiveOnly?: boolean;
}

export interface EMTrace {
  /**
   * The EM's objective at the end (state.estepEM): the log-likelihood for global fits,
   * the smoothed log-likelihood ℓ_S for label-consistent varying-coefficient fits.
   */
  objective: number;
  /**
   * The observed-data log-likelihood at the end, curves interpolated at each row's u
   * (equal to `objective` for global fits); the posteriors left in the state are this
   * model's (those fit() reports and predict() reproduces).
   */
  logLik: number;
  iterations: number;
  converged: boolean;
  /** The objective after every E-step: non-decreasing (EM is an ascent method for it; decreases beyond roundoff are counted). */
  path: number[];
  decreases: number;
  largestDecrease: number;
}

function flatten(P: GridParams): Float64Array {
  const parts = [P.alpha, P.alphaS, P.phi, P.gamma, P.gammaS];
  const out = new Float64Array(parts.reduce((n, a) => n + a.length, 0));
  let o = 0;
  for (const a of parts) { out.set(a, o); o += a.length; }
  return out;
}

function unflatten(v: Float64Array, like: GridParams): GridParams {
  let o = 0;
  const take = (a: Float64Array) => { const b = v.slice(o, o + a.length); o += a.length; return b; };
  return { m: like.m, alpha: take(like.alpha), alphaS: take(like.alphaS), phi: take(like.phi), gamma: take(like.gamma), gammaS: take(like.gammaS) };
}

/**
 * The EM iteration; `mstep` replaces the ordinary M-step (hybrid models pass theirs here).
 * With s.accelerate an iteration is a SQUAREM cycle (up to 3 E-/M-step pairs, "maps";
 * plain maps near the iteration limit), else one map; iterations count maps.
 */
export function runEM(state: GridState, s: EMSettings, mstep?: () => void): EMTrace {
  const map = () => { if (mstep) mstep(); else state.mstep(0, state.m, s); };
  let advance = (_left: number): number => { map(); return 1; };
  // The loop below ends every iteration with an E-step at the iteration's end point; a
  // SQUAREM cycle starts with a map from that same point, whose E-step it can reuse.
  let fresh = false, freshObj = 0;
  if (s.accelerate) {
    const like = state.read();
    const phiOff = like.alpha.length * 2, phiLen = like.phi.length;
    const F: FixedPointMap = {
      get: () => flatten(state.read()),
      set: (v) => { fresh = false; state.write(unflatten(v, like)); },
      step: () => { const obj = fresh ? freshObj : state.estepEM(); fresh = false; map(); return obj; },
      valid: (v) => { for (let k = phiOff; k < phiOff + phiLen; k++) if (!(v[k] >= s.sigmaFloor)) return false; return true; },
    };
    advance = (left) => (left >= 3 ? squaremCycle(F, 1e-9).maps : (F.step(), 1));
  }
  const path: number[] = [];
  let decreases = 0, largestDecrease = 0, maps = 0, converged = false;
  let obj = state.estepEM();
  fresh = true; freshObj = obj;
  path.push(obj);
  while (maps < s.maxIter) {
    maps += advance(s.maxIter - maps);
    const prev = obj;
    obj = state.estepEM(); // objective (and posteriors) at the iteration's end point
    fresh = true; freshObj = obj;
    path.push(obj);
    if (!Number.isFinite(obj)) break;
    const drop = prev - obj;
    if (drop > 1e-10 * (Math.abs(prev) + 1)) { decreases++; largestDecrease = Math.max(largestDecrease, drop); }
    if (Math.abs(obj - prev) <= s.tol * (Math.abs(prev) + 1)) { converged = true; break; }
  }
  const logLik = state.local.kernel === null ? obj : s.objectiveOnly ? NaN : state.estep();
  return { objective: obj, logLik, iterations: maps, converged, path, decreases, largestDecrease };
}
