// The EM iteration shared by global (constant) fits and the label-consistent
// varying-coefficient fit: one E-step for all grid points, then every grid point's
// M-step against that same posterior matrix. Both are ascent methods for their
// objective (GridState.estepEM): the log-likelihood of a global fit, and for the
// label-consistent EM the smoothed log-likelihood ℓ_S (assembly/estep.ts estepSmoothed).
import type { GridParams, GridState } from "./workspace.js";
import type { Acceleration } from "../model/spec.js";
import { squaremCycle, type FixedPointMap } from "./squarem.js";
import { Anderson } from "./anderson.js";
import { exp, log } from "../core/detmath.js";
import { THETA_MAX } from "../core/generated/constants.js";

export interface EMSettings {
  maxIter: number;
  /** Stop when |Δℓ| <= tol·(|ℓ| + 1) over an iteration (a SQUAREM cycle, a plain map; three maps for Anderson). */
  tol: number;
  sigmaFloor: number;
  /** Gating Newton steps per M-step (1 suffices inside EM; more for global fits). */
  maxNewton: number;
  /**
   * Acceleration (same fixed point, fewer E-/M-steps): SQUAREM cycles (the constant
   * initialisation, and fits with accelerate: 'squarem') or Anderson acceleration (the
   * label-consistent EM and the bootstrap refits by default; see runAnderson); none if unset.
   */
  accelerate?: Acceleration | false;
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

/** At least `floor` (σ, θ above their lower bound): the accelerators' admissibility check of a proposal's dispersion block. */
export function phiAdmissible(v: ArrayLike<number>, off: number, len: number, floor: number): boolean {
  for (let k = off; k < off + len; k++) if (!(v[k] >= floor)) return false;
  return true;
}

/** One EM map's M-step: the state's own, or the caller's (hybrid models). */
function mapOf(state: GridState, s: EMSettings, mstep?: () => void): () => void {
  return mstep ?? (() => state.mstep(0, state.m, s));
}

/** The objective's path with its decreases beyond roundoff counted. */
class ObjectivePath {
  readonly values: number[] = [];
  decreases = 0;
  largestDecrease = 0;

  push(obj: number): void {
    const prev = this.values.at(-1);
    this.values.push(obj);
    if (prev === undefined || !Number.isFinite(obj)) return; // a non-finite objective ends the EM instead
    const drop = prev - obj;
    if (drop > 1e-10 * (Math.abs(prev) + 1)) { this.decreases++; this.largestDecrease = Math.max(this.largestDecrease, drop); }
  }

  /** |ℓ_now − ℓ_back| <= tol·(|ℓ_back| + 1), ℓ_back the objective `back` entries earlier (or the first). */
  settled(back: number, tol: number): boolean {
    const v = this.values, b = v[Math.max(0, v.length - 1 - back)];
    return Math.abs(v[v.length - 1] - b) <= tol * (Math.abs(b) + 1);
  }

  trace(state: GridState, s: EMSettings, maps: number, converged: boolean): EMTrace {
    const obj = this.values[this.values.length - 1];
    const logLik = state.local.kernel === null ? obj : s.objectiveOnly ? NaN : state.estep();
    return { objective: obj, logLik, iterations: maps, converged, path: this.values, decreases: this.decreases, largestDecrease: this.largestDecrease };
  }
}

/**
 * The EM iteration; `mstep` replaces the ordinary M-step (hybrid models pass theirs here).
 * With s.accelerate === 'squarem' an iteration is a SQUAREM cycle (up to 3 E-/M-step pairs,
 * "maps"; plain maps near the iteration limit), with 'anderson' see runAnderson, else one
 * map; iterations count maps.
 */
export function runEM(state: GridState, s: EMSettings, mstep?: () => void): EMTrace {
  if (s.accelerate === "anderson") return runAnderson(state, s, mstep);
  const map = mapOf(state, s, mstep);
  let advance = (_left: number): number => { map(); return 1; };
  // The loop below ends every iteration with an E-step at the iteration's end point; a
  // SQUAREM cycle starts with a map from that same point, whose E-step it can reuse.
  let fresh = false, freshObj = 0;
  if (s.accelerate === "squarem") {
    const like = state.read();
    const phiOff = like.alpha.length * 2, phiLen = like.phi.length;
    const F: FixedPointMap = {
      get: () => flatten(state.read()),
      set: (v) => { fresh = false; state.write(unflatten(v, like)); },
      step: () => { const obj = fresh ? freshObj : state.estepEM(); fresh = false; map(); return obj; },
      valid: (v) => phiAdmissible(v, phiOff, phiLen, s.sigmaFloor),
    };
    advance = (left) => (left >= 3 ? squaremCycle(F, 1e-9).maps : (F.step(), 1));
  }
  const path = new ObjectivePath();
  let maps = 0, converged = false;
  let obj = state.estepEM();
  fresh = true; freshObj = obj;
  path.push(obj);
  while (maps < s.maxIter) {
    maps += advance(s.maxIter - maps);
    obj = state.estepEM(); // objective (and posteriors) at the iteration's end point
    fresh = true; freshObj = obj;
    path.push(obj);
    if (!Number.isFinite(obj)) break;
    if (path.settled(1, s.tol)) { converged = true; break; }
  }
  return path.trace(state, s, maps, converged);
}

/**
 * Depth (differences kept), minimum history and step cap of the Anderson scheme; measured in
 * bench/RESULTS.md (anderson section). Depth 12 against 5: the same maps on every studied fit
 * and at most one map fewer per bootstrap refit, with stopping points nearer the fixed point
 * (negative-binomial refits: max |ΔT*| 0.12 → 0.01 against refits to tol 1e-12).
 */
const AA_DEPTH = 12, AA_MIN_HISTORY = 2, AA_STEP_CAP = 10;
/** The Anderson loop's stopping rule compares objectives this many maps apart (a SQUAREM cycle's span). */
const AA_WINDOW = 3;
/**
 * Upper bound of an extrapolated dispersion: the negative binomial's θ bound (assembly
 * families/negbin.ts THETA_MAX, which its M-step clamps to); σ, on the standardised scale
 * (src/fit/scaling.ts), is of order one.
 */
const PHI_MAX = THETA_MAX;

/** σ or θ on the log scale while extrapolating, so that extrapolation keeps them positive (detmath: the same bits in every engine). */
function toVec(P: GridParams): Float64Array {
  const v = flatten(P);
  const o = P.alpha.length * 2;
  for (let k = o; k < o + P.phi.length; k++) v[k] = log(v[k]);
  return v;
}

/**
 * The parameters of a proposal v made from the image g = toVec(G): a σ or θ the proposal
 * leaves where G has it keeps G's exact value (exp(log φ) can differ from φ in the last
 * bit, e.g. below a floor φ is held at), the others are held within [floor, PHI_MAX].
 */
function fromVec(v: Float64Array, g: Float64Array, G: GridParams, floor: number): GridParams {
  const P = unflatten(v, G);
  const o = G.alpha.length * 2;
  for (let k = 0; k < P.phi.length; k++) {
    P.phi[k] = v[o + k] === g[o + k] ? G.phi[k] : Math.min(PHI_MAX, Math.max(floor, exp(v[o + k])));
  }
  return P;
}

/**
 * The EM with Anderson acceleration (anderson.ts): every iteration is one map from the
 * current point x to G(x), and the next point is the Anderson proposal from the last maps.
 * A proposal is kept only if its objective is not below the current one; otherwise the
 * iteration takes the plain EM point G(x) (whose objective is not lower, except for the
 * hybrid steps, see HybridSteps) and the history restarts. So the objective path is
 * non-decreasing wherever plain EM's is. Convergence: the objective gained less than
 * tol·(|ℓ| + 1) over the last AA_WINDOW maps (over one iteration the gain can be tiny far
 * from the fixed point, since consecutive proposals may differ little in objective).
 */
function runAnderson(state: GridState, s: EMSettings, mstep?: () => void): EMTrace {
  const map = mapOf(state, s, mstep);
  const aa = new Anderson(AA_DEPTH, AA_MIN_HISTORY, AA_STEP_CAP);
  const path = new ObjectivePath();
  let maps = 0, converged = false;
  let obj = state.estepEM();
  path.push(obj);
  let x = toVec(state.read());
  while (maps < s.maxIter) {
    map(); maps++;
    const G = state.read(), g = toVec(G);
    const prev = obj;
    let next = aa.propose(x, g);
    if (next !== g) {
      state.write(fromVec(next, g, G, s.sigmaFloor));
      obj = state.estepEM();
      if (!(obj >= prev - 1e-10 * (Math.abs(prev) + 1))) { state.write(G); next = g; aa.reset(); }
    }
    if (next === g) obj = state.estepEM();
    x = next;
    path.push(obj);
    if (!Number.isFinite(obj)) break;
    if (path.settled(AA_WINDOW, s.tol)) { converged = true; break; }
  }
  return path.trace(state, s, maps, converged);
}
