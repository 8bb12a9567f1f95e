// confidenceBands(): simultaneous confidence bands β̂(u) ± c·se(u) over the grid
// for every coefficient curve, with c from the extreme-value limit, a Gaussian
// multiplier simulation, or a bootstrap (sup-t).
//
// Bias: every band here is centred at β̂(u) and its width reflects the variance
// only; the local-linear smoothing bias (≈ ½h²μ₂(K)β''(u)) is not estimated or
// corrected. The bands cover the true curve when the bias is small relative to
// se(u), i.e. when the bandwidth is undersmoothed relative to the mean-squared-error
// optimum (a practical rule: 0.5–0.75 × a cross-validated bandwidth; see
// docs/inference.md for the coverage this gives on the simulation scenario).
import type { BackendName } from "../core/backend.js";
import type { VCMoEData } from "../data/dataset.js";
import type { VCMoEFit } from "../model/result.js";
import { VCMoEInputError } from "../errors.js";
import { checkOptionKeys, optionKeys } from "../data/optionKeys.js";
import { validateAcceleration, type Acceleration, type KernelName } from "../model/spec.js";
import { validateCallback, validateChunkSize, validatePool, validateWorkers, type ParallelProgress, type WorkerPool } from "../parallel/pool.js";
import { abortReason, validateSignal } from "../core/abort.js";
import { rebuildModel, type CurveKey } from "./model.js";
import { flaggedGridPoints, originalSandwich, perCurve, validateLevel } from "./standardErrors.js";
import { extremeValueCritical, type ExtremeValueDetails } from "./extremeValue.js";
import { multiplierCritical } from "./multiplier.js";
import { bootstrapCritical, type BootstrapDetails } from "./bootstrap.js";
import type { BootstrapType } from "./bootstrapJob.js";
import { validateSeed } from "../core/seed.js";
import { normalQuantile } from "./normal.js";

export type BandMethod = "extreme-value" | "multiplier" | "bootstrap";

export interface ConfidenceBandOptions {
  /** How the critical value is obtained (default 'multiplier'). */
  method?: BandMethod;
  /** Bootstrap scheme (default 'parametric'): simulate from the fitted model, or resample rows. */
  bootstrap?: BootstrapType;
  /** Simultaneous coverage level (default 0.95). */
  level?: number;
  /** Bootstrap replicates (default 500). */
  B?: number;
  /** Seed of the bootstrap or multiplier draws (default 1). */
  seed?: number;
  /** Bootstrap workers (default: hardware threads; 0 = in this thread). */
  workers?: number;
  /** Bootstrap progress: replicates done of total, and how many failed. */
  onProgress?: (p: ParallelProgress) => void;
  /** Stops a bootstrap promptly (the promise rejects with the signal's reason). */
  signal?: AbortSignal;
  /** Multiplier draws (default 10000). */
  draws?: number;
  /** Core for the computations (default: the fit's backend). */
  backend?: BackendName;
  /** EM iteration limit of the bootstrap refits (default 500, as fit()). */
  maxIter?: number;
  /** A refit's EM stops when its objective gained less than tol·(|ℓ| + 1) over its last iteration, as in fit() (default 1e-8, fit()'s). */
  tol?: number;
  /** Parameter tolerance of a refit's local refinement, when the fit was refined (default 1e-5, as fit()). */
  refineTol?: number;
  /** Acceleration of the refits' EM: true = 'anderson', 'squarem' or false (default: as fit()). */
  accelerate?: boolean | Acceleration;
  /** A pool from createPool() to reuse (then `workers` is ignored and the pool is left running). */
  pool?: WorkerPool;
  /** Worker script path/URL when the default location does not apply. */
  workerScript?: string | URL;
  /** Bootstrap replicates per message to a worker. */
  chunkSize?: number;
}

const BAND_OPTION_KEYS = optionKeys<ConfidenceBandOptions>()(["method", "bootstrap", "level", "B", "seed", "workers", "onProgress", "signal", "draws",
  "backend", "maxIter", "tol", "refineTol", "accelerate", "pool", "workerScript", "chunkSize"]);

export interface BandCurve extends CurveKey {
  estimate: number[];
  se: number[];
  lower: number[];
  upper: number[];
  /**
   * +∞ when the bootstrap could not bound the curve (a negative-binomial θ at its bound in more than
   * (1 − level)·B replicates); the band is then the whole line (lower −∞, upper +∞) and `unbounded` is true.
   * In JSON, write results with resultToJson (non-finite numbers as "Infinity", not JSON.stringify's null).
   */
  criticalValue: number;
  /** The critical value is +∞: no finite simultaneous band at this level (see criticalValue). */
  unbounded: boolean;
}

export interface ConfidenceBands {
  method: BandMethod;
  level: number;
  /** Grid points (caller's u scale). */
  grid: number[];
  kernel: KernelName;
  bandwidth: number;
  curves: BandCurve[];
  details: {
    /** Pointwise normal critical value, for comparison. */
    pointwiseCritical: number;
    extremeValue?: ExtremeValueDetails;
    multiplier?: { draws: number; seed: number; ridge: number[] };
    bootstrap?: BootstrapDetails;
  };
  warnings: string[];
}

function curveLabel(k: CurveKey): string {
  return k.part === "expert" || k.part === "gating" ? `${k.part} ${k.component} '${k.term}'` : `${k.part} of component ${k.component}`;
}

function intOption(argument: string, v: unknown, def: number, lo: number, hi: number): number {
  if (v === undefined) return def;
  if (typeof v !== "number" || !Number.isInteger(v) || v < lo || v > hi) throw new VCMoEInputError(argument, `must be an integer from ${lo} to ${hi}, got ${String(v)}`);
  return v;
}

/**
 * Simultaneous confidence bands for every coefficient curve of a fit.
 *
 * - 'extreme-value': c from the Bickel–Rosenblatt/Fan–Zhang limit with the
 *   kernel's constants (conservative at practical bandwidths).
 * - 'multiplier': c = (1−α) quantile of max_j |N(0, R)_j| with R the estimated
 *   correlation of β̂ across the grid (sandwich with both grid points' scores).
 * - 'bootstrap': c = (1−α) quantile over B refitted replicates of
 *   max_j |β̂*(u_j) − β̂(u_j)| / se*(u_j), labels matched to the original fit;
 *   replicates run in parallel workers, seeded per replicate from `seed`.
 * Bands are centred at β̂ and do not correct the smoothing bias: undersmooth.
 *
 * @example
 * const res = await fit(data, { K: 2, bandwidth: 0.1 });
 * const bands = await confidenceBands(res, data, { method: "bootstrap", B: 500, seed: 7, workers: 2,
 *   onProgress: ({ done, total }) => console.log(`${done}/${total}`) });
 * bands.curves[0].lower; bands.curves[0].upper; bands.curves[0].criticalValue;
 */
export async function confidenceBands(fitResult: VCMoEFit, data: VCMoEData, options: ConfidenceBandOptions = {}): Promise<ConfidenceBands> {
  if (typeof options !== "object" || options === null) throw new VCMoEInputError("options", "must be an object");
  checkOptionKeys("options", options, BAND_OPTION_KEYS, "an option of confidenceBands()");
  const method = options.method === undefined ? "multiplier" : options.method; // null is an error, not the default
  if (!["extreme-value", "multiplier", "bootstrap"].includes(method)) {
    throw new VCMoEInputError("options.method", `must be 'extreme-value', 'multiplier' or 'bootstrap', got ${JSON.stringify(method)}`);
  }
  const type = options.bootstrap === undefined ? "parametric" : options.bootstrap;
  if (type !== "parametric" && type !== "nonparametric") throw new VCMoEInputError("options.bootstrap", `must be 'parametric' or 'nonparametric', got ${JSON.stringify(type)}`);
  const level = validateLevel("options.level", options.level);
  const B = intOption("options.B", options.B, 500, 1, 1_000_000);
  const seed = validateSeed("options.seed", options.seed, 1);
  const draws = intOption("options.draws", options.draws, 10000, 100, 10_000_000);
  // refits reuse the original fit's EM settings unless the caller overrides them
  const fitSettings = fitResult?.model?.settings;
  const maxIter = intOption("options.maxIter", options.maxIter, fitSettings?.maxIter ?? 500, 1, 1_000_000);
  const tol = options.tol === undefined ? fitSettings?.tol ?? 1e-8 : options.tol;
  if (typeof tol !== "number" || !(tol > 0) || !Number.isFinite(tol)) throw new VCMoEInputError("options.tol", `must be a positive number, got ${String(tol)}`);
  const refineTol = options.refineTol === undefined ? fitSettings?.refineTol ?? 1e-5 : options.refineTol;
  if (typeof refineTol !== "number" || !(refineTol > 0) || !Number.isFinite(refineTol)) throw new VCMoEInputError("options.refineTol", `must be a positive number, got ${String(refineTol)}`);
  // a fit saved before the accelerator had a name stored `true` (its refits were SQUAREM's, now Anderson's)
  const accelerate = options.accelerate === undefined ? validateAcceleration("fit.model.settings.accelerate", fitSettings?.accelerate) : validateAcceleration("options.accelerate", options.accelerate);
  const pool = validatePool("options.pool", options.pool);
  const workers = pool ? pool.workers : validateWorkers("options.workers", options.workers);
  validateCallback("options.onProgress", options.onProgress);
  const signal = validateSignal("options.signal", options.signal);
  const chunkSize = validateChunkSize("options.chunkSize", options.chunkSize);
  if (signal?.aborted) throw abortReason(signal);

  const fm = rebuildModel(fitResult, data, options.backend);
  const { mc, sw, res } = await originalSandwich(fm, method === "multiplier");
  const { m, E } = sw;
  const flags = flaggedGridPoints(fm, res);
  const warnings = [...flags.warnings];
  const details: ConfidenceBands["details"] = { pointwiseCritical: normalQuantile(1 - (1 - level) / 2) };
  let cv: number[];
  if (method === "extreme-value") {
    const span = fm.grid[m - 1] - fm.grid[0];
    const hRel = fm.h / span;
    if (!(hRel < 1)) throw new VCMoEInputError("options.method", `'extreme-value' needs a bandwidth (${fm.h}) smaller than the span of the grid (${span.toPrecision(3)} on the unit u scale); use 'multiplier' or 'bootstrap'`);
    const ev = extremeValueCritical(fm.kernel, hRel, level);
    if (hRel > 0.25) warnings.push(`the extreme-value limit is poor at a relative bandwidth of ${hRel.toPrecision(2)}; prefer 'multiplier' or 'bootstrap'`);
    if (ev.endValue > 1e-6) warnings.push(`kernel '${fm.kernel}' does not vanish at the ends of its support: the extreme-value constant assumes it does`);
    details.extremeValue = ev;
    cv = new Array<number>(E).fill(ev.criticalValue);
  } else if (method === "multiplier") {
    const mr = multiplierCritical(mc.core, sw, level, draws, seed);
    details.multiplier = { draws, seed, ridge: fm.reported.map((e) => mr.ridge[e]) };
    cv = mr.criticalValues;
  } else {
    const bs = await bootstrapCritical(fm, res.est, res.se, {
      type, B, seed, level, maxIter, tol, refineTol, accelerate, workers, workerScript: options.workerScript, pool,
      chunkSize, onProgress: options.onProgress, signal,
    });
    details.bootstrap = { ...bs.details, statistics: fm.reported.map((e) => bs.details.statistics[e]) };
    cv = bs.criticalValues;
    if (bs.details.failed > 0) warnings.push(`${bs.details.failed} of ${B} bootstrap replicates failed and were left out (see details.bootstrap.failures)`);
    if (bs.details.dispersionAtBound > 0) warnings.push(`in ${bs.details.dispersionAtBound} replicate curve(s) the dispersion went to its bound (θ = 1e8: no overdispersion); their sup-t statistic counts as +∞, so a dispersion band may be unbounded`);
    if (bs.details.notConverged > 0) warnings.push(`${bs.details.notConverged} bootstrap refits stopped at the iteration limit (${maxIter})`);
  }
  const curves = fm.reported.map((e): BandCurve => {
    const key = fm.keys[e];
    const estimate = perCurve(res.est, m, E, e, fm.factors[e]), se = perCurve(res.se, m, E, e, fm.factors[e]);
    const c = cv[e];
    // an infinite critical value bounds nothing, also where se = 0 (∞·0 would give NaN)
    const unbounded = c === Infinity;
    if (unbounded) warnings.push(`the ${Math.round(level * 100)}% band of ${curveLabel(key)} is unbounded (critical value +∞): its dispersion reached the bound in more than ${Math.round((1 - level) * 100)}% of the replicates; lower/upper are −∞/+∞`);
    return {
      ...key, estimate, se,
      lower: estimate.map((v, j) => (unbounded ? -Infinity : v - c * se[j])),
      upper: estimate.map((v, j) => (unbounded ? Infinity : v + c * se[j])),
      criticalValue: c, unbounded,
    };
  });
  return { method, level, grid: fm.gridU, kernel: fm.kernel, bandwidth: fm.h, curves, details, warnings };
}
