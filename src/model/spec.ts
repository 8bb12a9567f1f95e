// Fit options: defaults, validation and the grid / kernel-window geometry.
import type { BackendName } from "../core/backend.js";
import type { DataOptions, Dataset } from "../data/dataset.js";
import { VCMoEInputError } from "../errors.js";
import { optionKeys } from "../data/optionKeys.js";
import { ruleOfThumbFor } from "./ruleOfThumb.js";
import type { ConstantTerm } from "./constants.js";
import { KERNEL_NAMES, type KernelName } from "./kernel.js";
import { DEFAULT_FAMILY, familiesWith, FAMILY_NAMES, familyOf, type FamilyName } from "./families/index.js";

export type { FamilyName } from "./families/index.js";

export type { KernelName } from "./kernel.js";
export type MethodName = "label-consistent" | "local-align";
/** Negative binomial: the size θ_c(u) varies in u (locally constant at each grid point) or is one constant per component. */
export type DispersionMode = "varying" | "constant";


/** The EM accelerator of the label-consistent EM and the bootstrap refits (src/fit/em.ts). */
export type Acceleration = "anderson" | "squarem";

/** options.accelerate → the scheme (true and undefined: Anderson) or false (plain EM). */
export function validateAcceleration(name: string, v: unknown): Acceleration | false {
  if (v === undefined || v === true) return "anderson";
  if (v === false || v === "anderson" || v === "squarem") return v;
  throw new VCMoEInputError(name, `must be true, false, 'anderson' or 'squarem', got ${JSON.stringify(v) ?? String(v)}`);
}

export interface FitOptions extends DataOptions {
  /** Number of components, 2..10. */
  K: number;
  /**
   * Kernel bandwidth on the unit-rescaled u scale (u mapped to [0, 1]). Default: the
   * rule of thumb C·sd(t)·n^(−1/5) (C = 2.34 Epanechnikov, 1.06 Gaussian; see
   * docs/model-choice.md); selectBandwidth() chooses one by cross-validation.
   */
  bandwidth?: number;
  /** Number of equally spaced grid points over the range of u (default 50), or explicit grid values on the original u scale. */
  grid?: number | ArrayLike<number>;
  kernel?: KernelName;
  method?: MethodName;
  family?: FamilyName;
  /** Negative binomial only: θ_c varying in u ('varying', default) or constant per component ('constant'). */
  dispersion?: DispersionMode;
  /** Seed of the random starts (default 1). */
  seed?: number;
  backend?: BackendName;
  /** EM iteration limit (default 500). */
  maxIter?: number;
  /**
   * EM stops when its objective gained less than tol·(|ℓ| + 1) over its last iteration (default 1e-8):
   * three E-/M-steps with Anderson acceleration (the default), a SQUAREM cycle, or one step without acceleration.
   */
  tol?: number;
  /** Starts of the constant-coefficient initialisation (default 2K, at least 5 and at most 10). */
  starts?: number;
  /**
   * Label-consistent EM iterations (on at most 11 grid points) given to every distinct
   * constant-fit start to choose the one the varying-coefficient fit starts from
   * (default 10; 0: start from the constant fit with the highest likelihood). Three were
   * too few where intercepts cross: an early lead is not the final one (bench/ACCURACY.md).
   */
  initScreening?: number;
  /**
   * Largest number of rows the constant-coefficient initialisation and the start screening
   * use (default 2000, times K/5 for K > 5): larger data are initialised on that many rows
   * evenly spaced along u, then the varying-coefficient EM runs on every row. A start is
   * all they choose, so the estimator is unchanged; `Infinity` initialises on every row.
   */
  initRows?: number;
  /** Lower bound for sigma, as a fraction of sd(y) (default 0.01). */
  sigmaFloorFraction?: number;
  /** Local-align baseline only: random starts per grid point besides the warm start (default 3). */
  localStarts?: number;
  /**
   * After the label-consistent EM, polish the expert regression coefficients at each grid
   * point by local EM on that point's own local likelihood (gating and dispersion held;
   * default false: the smoothed label-consistent EM needs no refinement, see README).
   */
  refine?: boolean;
  /**
   * Acceleration of the label-consistent EM: same fixed point, fewer iterations. true (the
   * default) = 'anderson' (Anderson acceleration); 'squarem' = SQUAREM cycles (the scheme of
   * releases before Anderson acceleration, for reproducing their results); false = plain EM.
   */
  accelerate?: boolean | Acceleration;
  /** Refinement stops when no parameter of a grid point changes by more than this relative amount (default 1e-5). */
  refineTol?: number;
  /** Hybrid model: coefficients held constant in u (see ConstantTerm; label-consistent method only). */
  constant?: ConstantTerm[];
  /**
   * Cancels the fit (the promise rejects with the signal's reason). A fit runs its stages
   * (initialisation, start screening, EM, refinement) synchronously and looks at the
   * signal between them, so an abort takes effect when the running stage ends.
   */
  signal?: AbortSignal;
}

/** Every key of FitOptions (unknown keys are errors; see checkOptionKeys). */
export const FIT_OPTION_KEYS = optionKeys<FitOptions>()(["K", "bandwidth", "grid", "kernel", "method", "family", "dispersion", "seed", "backend", "maxIter",
  "tol", "starts", "initScreening", "initRows", "sigmaFloorFraction", "localStarts", "refine", "accelerate", "refineTol", "constant", "signal", "intercept", "missing"]);

export interface Spec {
  K: number;
  h: number;
  kernel: KernelName;
  method: MethodName;
  family: FamilyName;
  dispersion: DispersionMode;
  seed: number;
  maxIter: number;
  tol: number;
  starts: number;
  initScreening: number;
  initRows: number;
  sigmaFloorFraction: number;
  localStarts: number;
  refine: boolean;
  refineTol: number;
  accelerate: Acceleration | false;
  /** Grid on the unit scale. */
  grid: Float64Array;
}

export function positiveInt(argument: string, v: unknown, def: number, lo = 1, hi = Number.MAX_SAFE_INTEGER): number {
  if (v === undefined) return def;
  if (typeof v !== "number" || !Number.isInteger(v) || v < lo || v > hi) {
    throw new VCMoEInputError(argument, `must be an integer in [${lo}, ${hi}], got ${String(v)}`);
  }
  return v;
}

export function positiveNumber(argument: string, v: unknown, def: number | undefined): number {
  if (v === undefined && def !== undefined) return def;
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) {
    throw new VCMoEInputError(argument, `must be a positive finite number, got ${String(v)}`);
  }
  return v;
}

function oneOf<T extends string>(argument: string, v: unknown, allowed: readonly T[], def: T): T {
  if (v === undefined) return def;
  if (!allowed.includes(v as T)) throw new VCMoEInputError(argument, `must be one of ${allowed.map((a) => `'${a}'`).join(", ")}, got ${JSON.stringify(v)}`);
  return v as T;
}

/** options.seed: an integer (default 1). */
export function validSeed(v: unknown): number {
  const seed = v === undefined ? 1 : v;
  if (typeof seed !== "number" || !Number.isInteger(seed) || Math.abs(seed) > Number.MAX_SAFE_INTEGER) {
    throw new VCMoEInputError("options.seed", "must be an integer");
  }
  return seed;
}

/** Smallest data size that supports K components of this model (rows with positive weight). */
export function minRowsFor(K: number, q: number, p: number): number {
  return K * (2 * q + 1) + (K - 1) * 2 * p;
}

/**
 * Default number of constant-fit starts: 2K, at least 5 and at most 10. Measured with
 * bench/screen-study.mjs (bench/RESULTS.md, "Fewer starts for small K"): for K = 2 and 3,
 * 5 or 6 starts reach the maxima 10 reach on the studied data sets at ~25 % less time;
 * the hard K = 5 Poisson scenario (separation 2) loses modes with 5, so K ≥ 5 keeps 10.
 */
export function defaultStarts(K: number): number {
  return Math.min(10, Math.max(5, 2 * K));
}

/** `minK` is 2 for fit(); model choice passes 1 (the plain varying-coefficient regression). */
export function makeSpec(options: FitOptions, ds: Dataset, minK = 2): Spec {
  if (typeof options !== "object" || options === null) throw new VCMoEInputError("options", "must be an object with at least K");
  if (options.K === undefined) throw new VCMoEInputError("options.K", `is required (${minK} to 10)`);
  const K = positiveInt("options.K", options.K, 2, minK, 10);
  let positive = 0;
  for (let i = 0; i < ds.n; i++) if (ds.w[i] > 0) positive++;
  const need = minRowsFor(K, ds.q, ds.p);
  if (positive < need) {
    throw new VCMoEInputError("options.K", `K = ${K} needs at least ${need} observations with positive weight for ${ds.q} expert and ${ds.p} gating columns; the data have ${positive}`);
  }
  const kernel = oneOf("options.kernel", options.kernel, KERNEL_NAMES, "epanechnikov");
  const h = options.bandwidth === undefined ? ruleOfThumbFor(ds, kernel) : positiveNumber("options.bandwidth", options.bandwidth, undefined);
  const method = oneOf("options.method", options.method, ["label-consistent", "local-align"] as const, "label-consistent");
  const family = oneOf("options.family", options.family, FAMILY_NAMES, DEFAULT_FAMILY);
  const dispersion = oneOf("options.dispersion", options.dispersion, ["varying", "constant"] as const, "varying");
  if (options.dispersion !== undefined && !familyOf(family).supports.constantDispersion) {
    throw new VCMoEInputError("options.dispersion", `applies to the ${familiesWith((f) => f.supports.constantDispersion)} family only (family is '${family}')`);
  }
  if (dispersion === "constant" && method !== "label-consistent") {
    throw new VCMoEInputError("options.dispersion", "'constant' needs method 'label-consistent' (the per-grid-point baseline has no global step)");
  }
  const seed = validSeed(options.seed);
  const maxIter = positiveInt("options.maxIter", options.maxIter, 500);
  const tol = positiveNumber("options.tol", options.tol, 1e-8);
  const starts = positiveInt("options.starts", options.starts, defaultStarts(K), 1, 1000);
  const initScreening = positiveInt("options.initScreening", options.initScreening, 10, 0, 100);
  const initRows = options.initRows === Infinity ? Infinity : positiveInt("options.initRows", options.initRows, 2000, 100);
  const sigmaFloorFraction = positiveNumber("options.sigmaFloorFraction", options.sigmaFloorFraction, 0.01);
  const localStarts = positiveInt("options.localStarts", options.localStarts, 3, 0, 100);
  const grid = makeGrid(options.grid, ds);
  if (options.refine !== undefined && typeof options.refine !== "boolean") throw new VCMoEInputError("options.refine", "must be true or false");
  const refine = options.refine ?? false;
  const refineTol = positiveNumber("options.refineTol", options.refineTol, 1e-5);
  const accelerate = validateAcceleration("options.accelerate", options.accelerate);
  return { K, h, kernel, method, family, dispersion, seed, maxIter, tol, starts, initScreening, initRows, sigmaFloorFraction, localStarts, refine, refineTol, accelerate, grid };
}

/** Grid on the unit scale: m equally spaced points over [0, 1], or the caller's values rescaled. */
function makeGrid(grid: FitOptions["grid"], ds: Pick<Dataset, "uMin" | "uRange">): Float64Array {
  if (grid === undefined || typeof grid === "number") {
    const m = positiveInt("options.grid", grid, 50, 2, 10000);
    return Float64Array.from({ length: m }, (_, j) => j / (m - 1));
  }
  if (!(Array.isArray(grid) || ArrayBuffer.isView(grid))) throw new VCMoEInputError("options.grid", "must be a number of points or an array of u values");
  const vals = Array.from(grid as ArrayLike<number>);
  if (vals.length < 2) throw new VCMoEInputError("options.grid", "needs at least 2 points");
  const out = new Float64Array(vals.length);
  const eps = 1e-9;
  for (let j = 0; j < vals.length; j++) {
    const v = vals[j];
    if (typeof v !== "number" || !Number.isFinite(v)) throw new VCMoEInputError("options.grid", `value ${j} is not a finite number`);
    const tj = (v - ds.uMin) / ds.uRange;
    if (tj < -eps || tj > 1 + eps) throw new VCMoEInputError("options.grid", `value ${v} lies outside the range of u [${ds.uMin}, ${ds.uMin + ds.uRange}]`);
    if (j > 0 && !(tj > out[j - 1])) throw new VCMoEInputError("options.grid", "values must be strictly increasing");
    out[j] = Math.min(1, Math.max(0, tj));
  }
  return out;
}

/** Options of fitConstant() (the ordinary, constant-coefficient mixture of experts). */
export interface ConstantFitOptions extends DataOptions {
  K: number;
  family?: FamilyName;
  seed?: number;
  starts?: number;
  maxIter?: number;
  /** Relative log-likelihood change that stops EM (default 1e-10). */
  tol?: number;
  sigmaFloorFraction?: number;
  backend?: BackendName;
}

/** Every key of ConstantFitOptions (unknown keys are errors). */
export const CONSTANT_FIT_OPTION_KEYS = optionKeys<ConstantFitOptions>()(["K", "family", "seed", "starts", "maxIter", "tol", "sigmaFloorFraction", "backend", "intercept", "missing"]);
