// Generalized likelihood ratio test of H0: a coefficient does not vary in u
// (Fan, Zhang & Zhang 2001): λ = ℓ(full) − ℓ(null), both global log-likelihoods
// with the curves at each u_i; Wilks-type calibration r_K·λ ~ χ²(μ_n), and a
// parametric bootstrap from the fitted null model.
import { gammaincQ } from "../core/special.js";
import { fitModel } from "../fit/pipeline.js";
import type { VCMoEFit } from "../model/result.js";
import { resolveBackend } from "../core/backend.js";
import { prepareData, type Dataset, type VCMoEData } from "../data/dataset.js";
import { VCMoEInputError } from "../errors.js";
import { constantIds, countConstants, emptyMasks, overlapCount, resolveConstants, unionMasks, type CoefficientId, type ConstantTerm } from "../model/constants.js";
import { FIT_OPTION_KEYS, makeSpec, type FitOptions, type Spec } from "../model/spec.js";
import { checkOptionKeys, optionKeys } from "../data/optionKeys.js";
import { bandwidthWarning } from "../model/bandwidthWarning.js";
import { applyFamily, familyOf } from "../model/families/index.js";
import { dispersionFactor, internalData, logLikShift, tableToInternal, type Scaling } from "../fit/scaling.js";
import { glrtDegreesOfFreedom, glrtKernelConstants, type GlrtKernelConstants } from "./glrtConstants.js";
import { GLRT_JOB, type GlrtReplicateContext, type GlrtReplicateResult } from "./glrtReplicate.js";
import { replicateRows, type PlainGridParams } from "./replicate.js";
import { createPool, validateCallback, validatePool, validateWorkers, type WorkerPool } from "../parallel/pool.js";
import { validateSignal } from "../core/abort.js";

export interface GLRTProgress {
  /** Replicates finished (including failed ones). */
  done: number;
  total: number;
  failed: number;
}

export interface GLRTOptions {
  /** The coefficient(s) whose constancy is tested (same grammar as FitOptions.constant). */
  coefficient: ConstantTerm | ConstantTerm[];
  /** Bootstrap replicates (default 200; 0 = asymptotic calibration only). */
  B?: number;
  /** Seed of the bootstrap (replicate b uses a stream derived from (seed, b) only). Default 1. */
  seed?: number;
  /** Bootstrap workers (default: the hardware threads; 0 = in this thread). Results do not depend on it. */
  workers?: number;
  /** A pool from createPool() to reuse (then `workers` is ignored and the pool is left running). */
  pool?: WorkerPool;
  /** The worker script, when a bundler has moved dist/worker.js (see createPool). */
  workerScript?: string | URL;
  /** Called as bootstrap replicates finish. */
  onProgress?: (p: GLRTProgress) => void;
  /** Aborts the fits and the bootstrap (workers are stopped; the promise rejects with the signal's reason). */
  signal?: AbortSignal;
}

const GLRT_OPTION_KEYS = optionKeys<GLRTOptions>()(["coefficient", "B", "seed", "workers", "pool", "workerScript", "onProgress", "signal"]);

export interface GLRTBootstrap {
  B: number;
  seed: number;
  /** Replicates with a finite statistic (used for the p-value). */
  completed: number;
  /** Replicates whose refit failed (excluded from the p-value). */
  failed: number;
  /** Completed replicates where a refit hit the iteration limit (kept). */
  notConverged: number;
  /** Completed replicates with λ* ≥ λ. */
  exceedances: number;
  replicates: GlrtReplicateResult[];
  /** The plain-JSON context of the replicates: glrtReplicate(context, b) reruns replicate b anywhere. */
  context: GlrtReplicateContext;
  /** Workers used (0 = the calling thread); the results do not depend on it. */
  workers: number;
}

export interface GLRTResult {
  /** The tested coefficients (expanded; gating: contrast of `component` vs component 1). */
  tested: CoefficientId[];
  /** λ = ℓ(full) − ℓ(null). */
  statistic: number;
  rK: number;
  /** μ_n, the effective degrees of freedom of r_K·λ. */
  df: number;
  /** r_K·λ. */
  scaledStatistic: number;
  kernelConstants: GlrtKernelConstants;
  /** Number of tested functions c_p, and the u range |U| and bandwidth (unit scale) used in μ_n. */
  testedFunctions: number;
  rangeU: number;
  bandwidth: number;
  /** P(χ²(μ_n) ≥ r_K·λ) (1 when λ ≤ 0). */
  pValueAsymptotic: number;
  /**
   * Monte Carlo p-value (1 + #{λ* ≥ λ}) / (1 + B') over the B' completed replicates (Davison & Hinkley
   * 1997, §4.2.1): a test that rejects at p ≤ α has level at most α for any B when λ and the λ* are
   * exchangeable, and p is never 0. Null when B = 0.
   */
  pValueBootstrap: number | null;
  bootstrap: GLRTBootstrap | null;
  nullFit: VCMoEFit;
  fullFit: VCMoEFit;
  warnings: string[];
}

/**
 * Upper tail of χ²(df) at x (accurate for tiny p-values); 1 for x ≤ 0.
 *
 * @example
 * chiSquareUpper(3.841459, 1); // 0.05
 */
export function chiSquareUpper(x: number, df: number): number {
  if (!(x > 0)) return 1;
  return gammaincQ(df / 2, x / 2);
}

function asList(c: unknown): ConstantTerm[] {
  if (Array.isArray(c)) return c as ConstantTerm[];
  if (typeof c === "object" && c !== null) return [c as ConstantTerm];
  throw new VCMoEInputError("options.coefficient", "is required: { part, component?, term? } (or an array of them)");
}

/** An input error about `options.*` (fit()'s name for its options) renamed to `fullOptions.*`; other errors unchanged. */
function asFullOptionsError(e: unknown): unknown {
  if (e instanceof VCMoEInputError && e.argument.startsWith("options.")) {
    return new VCMoEInputError(`fullOptions.${e.argument.slice("options.".length)}`, e.message.slice(e.argument.length + 2));
  }
  return e;
}

/** A fit's grid parameters on the internal scale, as plain arrays (the replicates' starting point). */
function internalParams(f: VCMoEFit, sc: Scaling): PlainGridParams {
  const P = tableToInternal(f.parameters, f.parameters.gridUnit.length, sc);
  return { alpha: Array.from(P.alpha), alphaS: Array.from(P.alphaS), phi: Array.from(P.phi), gamma: Array.from(P.gamma), gammaS: Array.from(P.gammaS) };
}

/** Share of posterior rows whose most probable component agrees between two fits. */
function labelAgreement(a: number[][], b: number[][]): number {
  let same = 0;
  const argmax = (r: number[]) => r.reduce((best, v, k) => (v > r[best] ? k : best), 0);
  for (let i = 0; i < a.length; i++) if (argmax(a[i]) === argmax(b[i])) same++;
  return same / a.length;
}

/**
 * Generalized likelihood ratio test of "this coefficient does not vary in u".
 * Fits the full model (`fullOptions`) and the null model (the same options with
 * the tested coefficient added to `constant`), with the same bandwidth and grid,
 * and calibrates λ = ℓ(full) − ℓ(null) by the Wilks-type χ² of Fan, Zhang & Zhang
 * (2001) and by a parametric bootstrap from the fitted null model.
 *
 * @example
 * const res = await glrt(data, { K: 2, bandwidth: 0.25 },
 *   { coefficient: { part: "expert", component: 1, term: "z1" }, B: 200, seed: 7, workers: 2 });
 * res.statistic; res.pValueAsymptotic; res.pValueBootstrap;
 */
export async function glrt(data: VCMoEData, fullOptions: FitOptions, options: GLRTOptions): Promise<GLRTResult> {
  if (typeof options !== "object" || options === null) throw new VCMoEInputError("options", "must be an object with at least `coefficient`");
  checkOptionKeys("options", options, GLRT_OPTION_KEYS, "an option of glrt()");
  checkOptionKeys("fullOptions", fullOptions, FIT_OPTION_KEYS, "an option of fit()");
  const tests = asList(options.coefficient);
  const B = options.B === undefined ? 200 : options.B;
  // capped: B = 2^40 ran for ever
  if (typeof B !== "number" || !Number.isInteger(B) || B < 0 || B > 1_000_000) throw new VCMoEInputError("options.B", `must be an integer from 0 to 1000000, got ${String(options.B)}`);
  const seed = options.seed === undefined ? 1 : options.seed;
  if (typeof seed !== "number" || !Number.isInteger(seed) || Math.abs(seed) > Number.MAX_SAFE_INTEGER) throw new VCMoEInputError("options.seed", "must be an integer");
  const userPool = validatePool("options.pool", options.pool);
  const workers = userPool ? userPool.workers : validateWorkers("options.workers", options.workers);
  validateCallback("options.onProgress", options.onProgress);
  const signal = validateSignal("options.signal", options.signal);
  if (typeof fullOptions !== "object" || fullOptions === null) throw new VCMoEInputError("fullOptions", "must be the fit options of the full model");
  if ((fullOptions.method ?? "label-consistent") !== "label-consistent") throw new VCMoEInputError("fullOptions.method", "the GLRT needs method 'label-consistent'");
  if (fullOptions.refine === true) throw new VCMoEInputError("fullOptions.refine", "the GLRT compares label-consistent fits (the null can not be refined locally); omit refine or pass false");
  // both models are label-consistent EM fixed points (local refinement would not keep the null's constants)
  const fullOpts: FitOptions = { ...fullOptions, refine: false, ...(options.signal ? { signal: options.signal } : {}) };

  // validate the specification before any fitting
  // (fit()'s errors name its options `options.*`; here they are the argument `fullOptions`)
  let ds: Dataset, spec: Spec;
  try {
    ds = prepareData(data, fullOpts);
    applyFamily(ds, familyOf(fullOpts.family, "fullOptions.family"));
    spec = makeSpec(fullOpts, ds);
    resolveBackend(fullOpts.backend);
  } catch (e) {
    throw asFullOptionsError(e);
  }
  const fullMasks = resolveConstants(fullOptions.constant, ds, spec.K, "fullOptions.constant") ?? emptyMasks(spec.K, ds.q, ds.p);
  const testMasks = resolveConstants(tests, ds, spec.K, "options.coefficient");
  if (testMasks === null) throw new VCMoEInputError("options.coefficient", "names no coefficient");
  if (overlapCount(fullMasks, testMasks) > 0) throw new VCMoEInputError("options.coefficient", "is already constant in the full model (fullOptions.constant)");
  const nullMasks = unionMasks(fullMasks, testMasks);
  const internal = internalData(ds, familyOf(fullOpts.family, "fullOptions.family"));
  signal?.throwIfAborted();

  const fitOrRename = (o: FitOptions) => fitModel(data, o, 2).catch((e: unknown) => { throw asFullOptionsError(e); });
  const fullFit = await fitOrRename(fullOpts);
  signal?.throwIfAborted();
  const nullFit = await fitOrRename({ ...fullOpts, constant: [...(fullOptions.constant ?? []), ...tests] });
  signal?.throwIfAborted();

  const statistic = fullFit.logLik - nullFit.logLik;
  const kc = glrtKernelConstants(spec.kernel);
  const cp = countConstants(testMasks);
  const rangeU = spec.grid[spec.grid.length - 1] - spec.grid[0];
  const df = glrtDegreesOfFreedom(kc, cp, rangeU, spec.h);
  const scaled = kc.rK * statistic;
  const warnings: string[] = [];
  const hWarning = bandwidthWarning(spec.h);
  if (hWarning) warnings.push(hWarning);
  if (statistic < 0) warnings.push(`λ = ${statistic.toPrecision(3)} < 0: the null fit's log-likelihood exceeds the full fit's (local fits are not global maximisers); the asymptotic p-value is 1`);
  const agree = labelAgreement(fullFit.posteriors, nullFit.posteriors);
  if (agree < 0.8) warnings.push(`the null and full fits classify only ${(100 * agree).toFixed(0)}% of rows alike: their component labels may differ`);
  if (!fullFit.converged || !nullFit.converged) warnings.push("a fit did not converge; λ may be inaccurate");
  // the fits' own warnings (σ floors, degenerate components, overflowing variances) bear on the test too
  for (const [name, f] of [["full", fullFit], ["null", nullFit]] as const) for (const w of f.diagnostics.warnings) warnings.push(`${name} fit: ${w}`);

  let bootstrap: GLRTBootstrap | null = null;
  if (B > 0) {
    const context: GlrtReplicateContext = {
      // the replicates compute on the fits' internal scale (src/fit/scaling.ts) and report log-likelihoods on the caller's
      data: replicateRows(internal.ds),
      K: spec.K, family: spec.family, constantDispersion: spec.dispersion === "constant", kernel: spec.kernel, h: spec.h, grid: Array.from(spec.grid),
      em: { maxIter: spec.maxIter, tol: spec.tol, sigmaFloor: fullFit.model.sigmaFloor / dispersionFactor(internal.scaling), maxNewton: 1, accelerate: spec.accelerate },
      nullMasks, fullMasks,
      nullParams: internalParams(nullFit, internal.scaling), fullParams: internalParams(fullFit, internal.scaling),
      logLikShift: logLikShift(internal.scaling),
      seed, backend: resolveBackend(fullOpts.backend),
    };
    // replicate b is task b of a pool job (src/parallel): any number of workers gives the same results
    const pool = userPool ?? await createPool({ workers, workerScript: options.workerScript });
    let outcomes;
    try {
      ({ outcomes } = await pool.run<GlrtReplicateResult>({ kind: GLRT_JOB, payload: context, count: B }, { onProgress: options.onProgress, signal }));
    } finally {
      if (!userPool) await pool.terminate();
    }
    const replicates: GlrtReplicateResult[] = outcomes.map((o) => (o.ok ? o.value : {
      b: o.index, ok: false, lambda: NaN, logLikNull: NaN, logLikFull: NaN,
      convergedNull: false, convergedFull: false, iterationsNull: 0, iterationsFull: 0, error: o.error,
    }));
    const failed = replicates.filter((r) => !r.ok).length;
    const okReps = replicates.filter((r) => r.ok);
    const exceed = okReps.filter((r) => r.lambda >= statistic).length;
    bootstrap = {
      B, seed, completed: okReps.length, failed,
      notConverged: okReps.filter((r) => !r.convergedFull || !r.convergedNull).length,
      exceedances: exceed, replicates, context, workers,
    };
    if (failed > 0) warnings.push(`${failed} of ${B} bootstrap replicate(s) failed and were excluded`);
  }
  return {
    tested: constantIds(testMasks, ds),
    statistic, rK: kc.rK, df, scaledStatistic: scaled, kernelConstants: kc,
    testedFunctions: cp, rangeU, bandwidth: spec.h,
    pValueAsymptotic: chiSquareUpper(scaled, df),
    pValueBootstrap: bootstrap && bootstrap.completed > 0 ? (1 + bootstrap.exceedances) / (1 + bootstrap.completed) : null,
    bootstrap, nullFit, fullFit, warnings,
  };
}
