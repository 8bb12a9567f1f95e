// Bandwidth selection by K-fold cross-validated held-out log-likelihood.
import { pow } from "../core/detmath.js";
import { validateCallback } from "../parallel/pool.js";
import { validateSignal } from "../core/abort.js";
import { resolveBackend } from "../core/backend.js";
import { prepareData, type VCMoEData } from "../data/dataset.js";
import { VCMoEFitError, VCMoEInputError } from "../errors.js";
import { FIT_OPTION_KEYS, makeSpec, type FitOptions } from "../model/spec.js";
import { checkOptionKeys, optionKeys } from "../data/optionKeys.js";
import { bandwidthWarning } from "../model/bandwidthWarning.js";
import { applyFamily, familyOf } from "../model/families/index.js";
import { assignFolds } from "./folds.js";
import { plainDataFrom } from "./plainData.js";
import { ruleOfThumbFor } from "../model/ruleOfThumb.js";
import { runCvTask, runTasks, type CvContext, type CvTask, type CvTaskResult, type FitSettings, type TaskProgress } from "./tasks.js";

/** Default candidate bandwidths as multiples of the rule of thumb (geometric, ratio ≈ 10^0.1). */
export const DEFAULT_BANDWIDTH_MULTIPLIERS = [0.5, 0.63, 0.79, 1, 1.26, 1.59, 2];

export interface SelectBandwidthOptions extends Omit<FitOptions, "bandwidth"> {
  /** Candidate bandwidths on the unit u scale; default DEFAULT_BANDWIDTH_MULTIPLIERS × the rule of thumb. */
  candidates?: number[];
  /** Number of folds (default 5). */
  folds?: number;
  /** Seed of the fold assignment (default: options.seed, else 1). */
  foldSeed?: number;
  /** Called after each candidate × fold fit. */
  onProgress?: (p: TaskProgress<CvTaskResult>) => void;
  /** Aborts between fits (the promise rejects with the signal's reason). */
  signal?: AbortSignal;
}

const SELECT_BANDWIDTH_OPTION_KEYS = optionKeys<SelectBandwidthOptions>()([...FIT_OPTION_KEYS.filter((k) => k !== "bandwidth") as Array<Exclude<keyof FitOptions, "bandwidth">>,
  "candidates", "folds", "foldSeed", "onProgress", "signal"]);

export interface BandwidthScore {
  bandwidth: number;
  /** Held-out log-likelihood of each fold (null: the fold fit was impossible, e.g. too few rows in a window). */
  foldLogLik: Array<number | null>;
  /** Mean over folds of the held-out log-likelihood; null unless every fold was fitted. */
  meanLogLik: number | null;
  /** Standard error of that mean across folds, sd/√folds. */
  se: number | null;
  /** Σ over folds: the cross-validated log-likelihood of all rows. */
  totalLogLik: number | null;
  /** Folds whose fit was flagged degenerate (see FitDiagnostics.degeneracy). */
  degenerateFolds: number;
  /** Folds whose fit did not converge. */
  unconvergedFolds: number;
  errors: string[];
}

export interface BandwidthSelection {
  candidates: number[];
  scores: BandwidthScore[];
  /** The candidate with the largest mean held-out log-likelihood (unit u scale). */
  chosen: number;
  chosenIndex: number;
  /** The default bandwidth of fit(): C·sd(t)·n^(−1/5) (see ruleOfThumbBandwidth). */
  ruleOfThumb: number;
  /**
   * chosen · n^(−1/20): the CV optimum moved from the n^(−1/5) to the n^(−1/4) rate, a
   * suggestion for confidence bands and the GLRT, which need the bias to be negligible
   * against the standard error (see docs/model-choice.md).
   */
  undersmoothed: number;
  folds: number;
  foldSeed: number;
  /** Rows used (after dropping incomplete rows). */
  n: number;
  warnings: string[];
  /** Every candidate × fold fit, in task order. */
  tasks: CvTaskResult[];
}

/** The JSON-safe fit settings shared by model-choice tasks. @internal */
export function fitSettingsOf(o: Omit<FitOptions, "K" | "bandwidth"> & { K?: number; bandwidth?: number }): FitSettings {
  const grid = o.grid === undefined ? undefined : typeof o.grid === "number" ? o.grid : Array.from(o.grid).length;
  return {
    K: o.K, family: o.family, dispersion: o.dispersion, bandwidth: o.bandwidth, grid, kernel: o.kernel, method: o.method, seed: o.seed, starts: o.starts, maxIter: o.maxIter,
    tol: o.tol, sigmaFloorFraction: o.sigmaFloorFraction, localStarts: o.localStarts, backend: o.backend, intercept: o.intercept,
    accelerate: o.accelerate,
  };
}

function checkOptionsObject(options: unknown): void {
  if (typeof options !== "object" || options === null) throw new VCMoEInputError("options", "must be an object");
}

/**
 * Rule-of-thumb bandwidth on the unit u scale, the default of fit():
 * C·sd(t)·n^(−1/5) with t = u rescaled to [0, 1], C = 2.34 for the Epanechnikov
 * kernel and 1.06 for the Gaussian (normal-reference constants).
 *
 * @example
 * const sim = await simulate({ n: 1000, seed: 1 });
 * ruleOfThumbBandwidth(sim.data); // ≈ 0.17
 */
export function ruleOfThumbBandwidth(data: VCMoEData, options: Pick<FitOptions, "kernel" | "intercept" | "missing"> = {}): number {
  checkOptionsObject(options);
  checkOptionKeys("options", options, ["kernel", "intercept", "missing"], "an option of ruleOfThumbBandwidth()");
  const ds = prepareData(data, options);
  const kernel = options.kernel ?? "epanechnikov";
  if (kernel !== "epanechnikov" && kernel !== "gaussian") throw new VCMoEInputError("options.kernel", `must be 'epanechnikov' or 'gaussian', got ${JSON.stringify(kernel)}`);
  return ruleOfThumbFor(ds, kernel);
}

/**
 * Chooses the bandwidth by K-fold cross-validation of the held-out log-likelihood.
 * For each candidate h and each fold, the model is fitted to the other folds with
 * the same bandwidth on the original u scale; the held-out rows are scored by
 * Σ_i w_i log Σ_c π_c(x_i,u_i) f_c(y_i|z_i,u_i) with the fitted curves interpolated
 * at u_i (linearly extrapolated beyond the training grid). The candidate with the
 * largest mean score wins. Folds are u-stratified and drawn from `foldSeed`.
 *
 * @example
 * const sim = await simulate({ n: 600, seed: 1 });
 * const sel = await selectBandwidth(sim.data, { K: 2, folds: 5 });
 * const res = await fit(sim.data, { K: 2, bandwidth: sel.chosen });
 * sel.scores.map((s) => [s.bandwidth, s.meanLogLik, s.se]);
 */
export async function selectBandwidth(data: VCMoEData, options: SelectBandwidthOptions): Promise<BandwidthSelection> {
  checkOptionsObject(options);
  if ((options as { bandwidth?: unknown }).bandwidth !== undefined) throw new VCMoEInputError("options.bandwidth", "is chosen by selectBandwidth; pass candidates instead");
  checkOptionKeys("options", options, SELECT_BANDWIDTH_OPTION_KEYS, "an option of selectBandwidth()");
  const ds = prepareData(data, options);
  // the family's checks and completion (binomial: default trials) before the rows are shipped to the tasks
  applyFamily(ds, familyOf(options.family));
  const kernel = options.kernel ?? "epanechnikov";
  if (kernel !== "epanechnikov" && kernel !== "gaussian") throw new VCMoEInputError("options.kernel", `must be 'epanechnikov' or 'gaussian', got ${JSON.stringify(kernel)}`);
  if (options.K === undefined) throw new VCMoEInputError("options.K", "is required (2 to 10)");
  const folds = options.folds === undefined ? 5 : options.folds;
  if (!Number.isInteger(folds) || folds < 2 || folds > ds.n) throw new VCMoEInputError("options.folds", `must be an integer from 2 to the number of rows (${ds.n}), got ${String(folds)}`);
  const foldSeed = options.foldSeed === undefined ? options.seed ?? 1 : options.foldSeed;
  if (!Number.isInteger(foldSeed)) throw new VCMoEInputError("options.foldSeed", "must be an integer");
  const ruleOfThumb = ruleOfThumbFor(ds, kernel);
  const candidates = options.candidates === undefined ? DEFAULT_BANDWIDTH_MULTIPLIERS.map((m) => m * ruleOfThumb) : Array.from(options.candidates);
  if (candidates.length === 0) throw new VCMoEInputError("options.candidates", "is empty");
  candidates.forEach((h, k) => {
    if (typeof h !== "number" || !Number.isFinite(h) || h <= 0) throw new VCMoEInputError("options.candidates", `value ${k} must be a positive finite number, got ${String(h)}`);
  });
  validateCallback("options.onProgress", options.onProgress);
  validateSignal("options.signal", options.signal);
  // every fit option is validated here, so that only "this bandwidth cannot be fitted on these rows" is left to the tasks
  makeSpec({ ...options, bandwidth: candidates[0] }, ds);
  const backend = resolveBackend(options.backend);
  const ctx: CvContext = {
    data: plainDataFrom(data, ds),
    folds: await assignFolds(ds.n, folds, foldSeed, backend),
    fit: { ...fitSettingsOf(options), backend },
    uRange: ds.uRange,
  };
  const tasks: CvTask[] = [];
  candidates.forEach((bandwidth, candidate) => { for (let fold = 0; fold < folds; fold++) tasks.push({ kind: "cv-fold", candidate, bandwidth, fold }); });
  // worker pool: replace this call by the pool's map over `tasks` with `ctx` shipped once per worker
  const results = await runTasks(ctx, tasks, runCvTask, { onProgress: options.onProgress, signal: options.signal });

  const scores: BandwidthScore[] = candidates.map((bandwidth, k) => {
    const rs = results.filter((r) => r.candidate === k).sort((a, b) => a.fold - b.fold);
    const foldLogLik = rs.map((r) => r.heldOutLogLik);
    const ok = foldLogLik.every((v): v is number => v !== null);
    let meanLogLik: number | null = null, se: number | null = null, totalLogLik: number | null = null;
    if (ok) {
      const v = foldLogLik as number[];
      totalLogLik = v.reduce((a, b) => a + b, 0);
      meanLogLik = totalLogLik / v.length;
      const ss = v.reduce((a, b) => a + (b - meanLogLik!) ** 2, 0);
      se = Math.sqrt(ss / (v.length - 1) / v.length);
    }
    return {
      bandwidth, foldLogLik, meanLogLik, se, totalLogLik,
      degenerateFolds: rs.filter((r) => r.degenerate).length, unconvergedFolds: rs.filter((r) => r.heldOutLogLik !== null && !r.converged).length,
      errors: rs.filter((r) => r.error !== null).map((r) => `fold ${r.fold + 1}: ${r.error}`),
    };
  });
  let chosenIndex = -1;
  scores.forEach((s, k) => { if (s.meanLogLik !== null && (chosenIndex < 0 || s.meanLogLik > scores[chosenIndex].meanLogLik!)) chosenIndex = k; });
  if (chosenIndex < 0) throw new VCMoEFitError(`no candidate bandwidth could be fitted on every fold: ${scores[0].errors[0] ?? "unknown reason"}`);
  const chosen = candidates[chosenIndex];
  const warnings: string[] = [];
  const hWarning = bandwidthWarning(Math.max(...candidates));
  if (hWarning) warnings.push(`candidate ${hWarning}`);
  const sorted = candidates.slice().sort((a, b) => a - b);
  if (candidates.length > 1 && (chosen === sorted[0] || chosen === sorted[sorted.length - 1])) {
    warnings.push(`the chosen bandwidth ${chosen.toPrecision(3)} is the ${chosen === sorted[0] ? "smallest" : "largest"} candidate: the optimum may lie outside the candidates`);
  }
  const failed = scores.filter((s) => s.meanLogLik === null).length;
  if (failed) warnings.push(`${failed} candidate(s) could not be fitted on every fold and were not considered`);
  if (scores[chosenIndex].degenerateFolds) warnings.push(`${scores[chosenIndex].degenerateFolds} fold fit(s) at the chosen bandwidth were flagged degenerate`);
  let nPos = 0;
  for (let i = 0; i < ds.n; i++) if (ds.w[i] > 0) nPos++;
  return {
    candidates, scores, chosen, chosenIndex, ruleOfThumb, undersmoothed: chosen * pow(nPos, -0.05),
    folds, foldSeed, n: ds.n, warnings, tasks: results,
  };
}
