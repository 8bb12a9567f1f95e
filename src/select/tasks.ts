// Model-choice work split into independent tasks: a task is a plain-JSON object,
// run against a plain-JSON context shared by all tasks of one call, and returns
// plain JSON. selectBandwidth/selectK run them one after another in-process
// (runTasks); a worker pool can run the same functions in workers instead: ship
// the context once per worker and dispatch each task by its `kind` through
// MODEL_CHOICE_TASKS.
import { classificationEntropy, informationCriteria } from "./criteria.js";
import { fitModel } from "../fit/pipeline.js";
import type { VCMoEFit } from "../model/result.js";
import type { BackendName } from "../core/backend.js";
import { prepareData } from "../data/dataset.js";
import { VCMoEFitError, VCMoEInputError } from "../errors.js";
import type { Acceleration, DispersionMode, FamilyName, FitOptions, KernelName, MethodName } from "../model/spec.js";
import { applyFamily, familyOf } from "../model/families/index.js";
import { effectiveDfFromDataset, type EffectiveDf } from "./df.js";
import { heldOutLogLik } from "./heldout.js";
import { subsetRows, type PlainData } from "./plainData.js";

/** The JSON-safe fit options a task passes to fit() (bandwidth and K come from the task or context). */
export interface FitSettings {
  K?: number;
  family?: FamilyName;
  dispersion?: DispersionMode;
  bandwidth?: number;
  /** Number of grid points (explicit grids are replaced by their point count in fold fits). */
  grid?: number;
  kernel?: KernelName;
  method?: MethodName;
  seed?: number;
  starts?: number;
  maxIter?: number;
  tol?: number;
  sigmaFloorFraction?: number;
  localStarts?: number;
  backend?: BackendName;
  intercept?: boolean | { expert?: boolean; gating?: boolean };
  accelerate?: boolean | Acceleration;
}

// ---------------------------------------------------------------- cross-validation

export interface CvContext {
  /** The prepared rows in u order. */
  data: PlainData;
  /** Fold of each row of `data`. */
  folds: number[];
  fit: FitSettings;
  /** Range of u over all rows: bandwidths are on this unit scale. */
  uRange: number;
}

export interface CvTask {
  kind: "cv-fold";
  /** Index into the candidate list. */
  candidate: number;
  /** Bandwidth on the unit scale of the full data. */
  bandwidth: number;
  fold: number;
}

export interface CvTaskResult {
  candidate: number;
  fold: number;
  bandwidth: number;
  /** The same bandwidth on the training rows' own unit scale (what the fold fit used). */
  trainBandwidth: number;
  /** Held-out log-likelihood Σ_{i in fold} w_i log f(y_i); null when the fold fit was impossible. */
  heldOutLogLik: number | null;
  heldOutRows: number;
  heldOutWeight: number;
  /** Held-out rows outside the training grid (curves extrapolated linearly). */
  extrapolated: number;
  converged: boolean;
  degenerate: boolean;
  /** Why the fold fit was impossible (e.g. too few rows in a kernel window), else null. */
  error: string | null;
  ms: number;
}

function fitOptionsOf(s: FitSettings, K: number, bandwidth: number | undefined): FitOptions {
  const o: FitOptions = { K, bandwidth };
  for (const key of ["family", "dispersion", "grid", "kernel", "method", "seed", "starts", "maxIter", "tol", "sigmaFloorFraction", "localStarts", "backend", "intercept", "accelerate"] as const) {
    if (s[key] !== undefined) (o as unknown as Record<string, unknown>)[key] = s[key];
  }
  return o;
}

/** Errors that mean "this candidate cannot be fitted on these rows", recorded rather than thrown. */
function isInfeasible(e: unknown): e is Error {
  return e instanceof VCMoEInputError || e instanceof VCMoEFitError;
}

/**
 * Fits the training rows of one fold with one candidate bandwidth and scores the held-out rows.
 * One task of `selectBandwidth`; a worker pool runs it as `MODEL_CHOICE_TASKS["cv-fold"]`.
 *
 * @example
 * ```ts
 * // the context and tasks selectBandwidth builds (rows in u order, a fold per row)
 * const r = await runCvTask(context, { kind: "cv-fold", candidate: 0, bandwidth: 0.2, fold: 3 });
 * r.heldOutLogLik; // Σ over the fold's rows of w·log f(y), or null when the fold fit was impossible
 * ```
 */
export async function runCvTask(ctx: CvContext, task: CvTask): Promise<CvTaskResult> {
  const t0 = performance.now();
  const train: number[] = [], test: number[] = [];
  ctx.folds.forEach((f, i) => (f === task.fold ? test : train).push(i));
  let lo = Infinity, hi = -Infinity;
  for (const i of train) { lo = Math.min(lo, ctx.data.u[i]); hi = Math.max(hi, ctx.data.u[i]); }
  // the same bandwidth on the original u scale, re-expressed on the training rows' unit scale
  const trainBandwidth = (task.bandwidth * ctx.uRange) / (hi - lo);
  const testData = subsetRows(ctx.data, test);
  const base = {
    candidate: task.candidate, fold: task.fold, bandwidth: task.bandwidth, trainBandwidth,
    heldOutRows: test.length, heldOutWeight: testData.weights.reduce((a, b) => a + b, 0),
  };
  let res: VCMoEFit;
  try {
    res = await fitModel(subsetRows(ctx.data, train), fitOptionsOf(ctx.fit, ctx.fit.K ?? 2, trainBandwidth), 2);
  } catch (e) {
    if (!isInfeasible(e)) throw e;
    return { ...base, heldOutLogLik: null, extrapolated: 0, converged: false, degenerate: false, error: e.message, ms: performance.now() - t0 };
  }
  const ho = await heldOutLogLik(res, testData);
  return {
    ...base, heldOutLogLik: Number.isFinite(ho.logLik) ? ho.logLik : null, extrapolated: ho.extrapolated,
    converged: res.converged, degenerate: res.diagnostics.degenerate,
    error: Number.isFinite(ho.logLik) ? null : "non-finite held-out log-likelihood", ms: performance.now() - t0,
  };
}

// ---------------------------------------------------------------- number of components

export interface KContext {
  data: PlainData;
  /** Fit settings shared by every K (bandwidth included). */
  fit: FitSettings;
}

export interface KTask {
  kind: "select-k";
  K: number;
}

export interface KTaskResult {
  K: number;
  /** Observed-data log-likelihood ℓ; null when the fit was impossible. */
  logLik: number | null;
  /** Effective number of parameters (trace of the smoother). */
  df: EffectiveDf | null;
  /** Entropy of the posterior memberships, EN = −Σ_i w_i Σ_c r_ic log r_ic. */
  entropy: number | null;
  /** −2ℓ + df·log n. */
  bic: number | null;
  /** BIC + 2·EN. */
  icl: number | null;
  /** Rows with positive weight (the n of log n). */
  n: number;
  converged: boolean;
  degenerate: boolean;
  warnings: string[];
  error: string | null;
  ms: number;
}

/**
 * Fits one K (K = 1: the varying-coefficient regression without a mixture) and scores it.
 * One task of `selectK`; a worker pool runs it as `MODEL_CHOICE_TASKS["select-k"]`.
 *
 * @example
 * ```ts
 * const r = await runKTask({ data: plain, fit: { bandwidth: 0.25, seed: 1 } }, { kind: "select-k", K: 3 });
 * r.bic; r.icl; r.df?.total;
 * ```
 */
export async function runKTask(ctx: KContext, task: KTask): Promise<KTaskResult> {
  const t0 = performance.now();
  const data = subsetRows(ctx.data, ctx.data.y.map((_, i) => i));
  const opts = fitOptionsOf(ctx.fit, task.K, ctx.fit.bandwidth);
  if (task.K === 1) opts.starts = 1; // every start of a one-component fit is the same
  let nPos = 0;
  for (const w of ctx.data.weights) if (w > 0) nPos++;
  let res: VCMoEFit;
  try {
    res = await fitModel(data, opts, 1);
  } catch (e) {
    if (!isInfeasible(e)) throw e;
    return { K: task.K, logLik: null, df: null, entropy: null, bic: null, icl: null, n: nPos, converged: false, degenerate: false, warnings: [], error: e.message, ms: performance.now() - t0 };
  }
  const ds = prepareData(data, { intercept: ctx.fit.intercept });
  applyFamily(ds, familyOf(ctx.fit.family));
  const df = await effectiveDfFromDataset(res, ds);
  const entropy = classificationEntropy(res.posteriors, data.weights);
  const { BIC: bic, ICL: icl } = informationCriteria(res.logLik, df.total, nPos, entropy);
  return {
    K: task.K, logLik: res.logLik, df, entropy, bic, icl, n: nPos,
    converged: res.converged, degenerate: res.diagnostics.degenerate, warnings: res.diagnostics.warnings, error: null, ms: performance.now() - t0,
  };
}

// ---------------------------------------------------------------- running tasks

/** Registry for a worker: `MODEL_CHOICE_TASKS[task.kind](context, task)` runs a model-choice task. */
export const MODEL_CHOICE_TASKS = {
  /** One fold of one candidate bandwidth (selectBandwidth). */
  "cv-fold": runCvTask,
  /** One candidate number of components (selectK). */
  "select-k": runKTask,
} as const;

export interface TaskProgress<R> {
  done: number;
  total: number;
  /** The task that just finished. */
  result: R;
}

export interface RunHooks<R> {
  onProgress?: (p: TaskProgress<R>) => void;
  signal?: AbortSignal;
}

/**
 * Runs independent tasks one after another in this thread, reporting each result
 * and stopping (throwing the signal's reason) when `signal` aborts. This is the
 * single place where a worker pool replaces sequential execution.
 */
export async function runTasks<C, T, R>(ctx: C, tasks: T[], fn: (ctx: C, task: T) => Promise<R>, hooks: RunHooks<R> = {}): Promise<R[]> {
  const out: R[] = [];
  for (const task of tasks) {
    hooks.signal?.throwIfAborted();
    const r = await fn(ctx, task);
    out.push(r);
    hooks.onProgress?.({ done: out.length, total: tasks.length, result: r });
  }
  hooks.signal?.throwIfAborted();
  return out;
}
