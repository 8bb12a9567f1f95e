// Public entry points: fit() (varying-coefficient mixture of experts) and
// fitConstant() (the ordinary, constant-coefficient mixture of experts).
import { createCore, resolveBackend, type BackendName } from "../core/backend.js";
import { prepareData, type DataOptions, type Dataset, type VCMoEData } from "../data/dataset.js";
import { FAMILY_CODE, KERNEL_CODE, makeGeometry, makeSpec, minRowsFor, type DispersionMode, type FamilyName, type FitOptions, type KernelName, type MethodName } from "../model/spec.js";
import { applyFamily, FAMILIES, parseFamily } from "../model/families.js";
import { VCMoEInputError } from "../errors.js";
import { runConstant, sigmaFloorFor, type ConstantRun } from "../fit/constant.js";
import { runEM } from "../fit/em.js";
import { runLocalAlign } from "../fit/localAlign.js";
import { screenStarts, type ScreenReport } from "../fit/screen.js";
import { refineLocally } from "../fit/refine.js";
import { CoreData, GridState, type GridParams } from "../fit/workspace.js";
import { centredGating } from "../fit/align.js";
import { HybridSteps } from "../fit/hybrid.js";
import { constantIds, resolveConstants } from "../model/constants.js";
import { constantInference, coreKernelWeight, type ConstantInference } from "../inference/constantSE.js";
import { localComponentWeights, makeCurves, posteriorEntropy, posteriorsInCallerOrder, toArray, type Curve } from "../fit/result.js";
import { componentEffectiveRows, degeneracyReasons, effectiveRowsWarning, type StageConvergence } from "../diagnostics/degeneracy.js";
import type { FactorCoding } from "../data/categorical.js";
import { dataFingerprint } from "../data/fingerprint.js";
import { checkOptionKeys } from "../data/optionKeys.js";
import { checkpoint, validateSignal } from "../core/abort.js";
import { emptyMasks } from "../model/constants.js";
import { completeConstantFit, completeFit, type FitStatistics } from "./methods.js";
import { FIT_OPTION_KEYS } from "../model/spec.js";
import { bandwidthWarning } from "../model/bandwidthWarning.js";
import { optionKeys } from "../data/optionKeys.js";

/** Everything predict() and the inference functions need to rebuild the model. Plain JSON. */
export interface ModelInfo {
  family: FamilyName;
  /** EM settings the fit used (bootstrap refits reuse them unless told otherwise); absent for fitConstant. */
  settings?: { maxIter: number; tol: number; refine: boolean; refineTol: number; accelerate: boolean };
  /** Negative binomial only: θ varying in u or constant per component. */
  dispersion?: DispersionMode;
  /** The fit used data.offset (predict() then adds newData.offset, 0 when omitted). */
  offset: boolean;
  /** Binomial only: rows with 0 trials (no information; weight 0). */
  zeroTrialRows?: number;
  K: number;
  kernel: KernelName;
  /** Bandwidth on the unit-rescaled u scale. */
  bandwidth: number;
  method: MethodName;
  zNames: string[];
  xNames: string[];
  intercept: { expert: boolean; gating: boolean };
  n: number;
  droppedRows: number;
  uMin: number;
  uMax: number;
  sigmaFloor: number;
  backend: BackendName;
  /** Categorical covariates and their dummy coding (absent when there are none); predict() codes new data alike. */
  factors?: FactorCoding[];
  /** Fingerprint of the data the fit was made from: functions given the fit and "its" data check it. */
  dataFingerprint?: string;
}

/** Raw parameters on the grid (internal layout, see GridParams) for predict/inference. */
export interface ParameterTable {
  /** Grid on the unit u scale. */
  gridUnit: number[];
  alpha: number[];
  alphaS: number[];
  phi: number[];
  gamma: number[];
  gammaS: number[];
}

export interface FitDiagnostics {
  /** Log-likelihood after each EM iteration (label-consistent) — recorded, not assumed monotone. */
  logLikPath: number[];
  logLikDecreases: number;
  largestDecrease: number;
  initialisation: {
    /** Log-likelihood of the constant-coefficient fit the varying-coefficient EM started from. */
    logLik: number; converged: boolean; iterations: number; startLogLiks: number[];
    /** Short varying-coefficient EM runs that chose the start (null when every start reached the same mode or screening is off). */
    screening: ScreenReport | null;
  };
  /** Grid points × components where sigma was held at the floor (degenerate component). */
  sigmaFloored: Array<{ u: number; component: number }>;
  /** Negative binomial: grid points × components where θ sits at a bound (1e-4 or 1e8; 1e8 = no overdispersion). */
  thetaAtBound?: Array<{ u: number; component: number }>;
  /**
   * GLM families: grid points × components whose local maximum-likelihood estimate is at infinity
   * (all-zero counts, all successes or all failures in the window, or separation by a covariate):
   * a tiny ridge (assembly/irls.ts RIDGE_EPS) holds the estimate finite, so the curve there is finite
   * but its level is arbitrary (fitted means negligible, or coefficients above 15 per sd of their column).
   */
  boundary?: Array<{ u: number; component: number }>;
  /** Grid points × components with (almost) no posterior weight in the window. */
  lowWeight: Array<{ u: number; component: number }>;
  /** Grid points where a local system was singular and regularised. */
  regularised: number[];
  /** Kernel-weighted share of each component at each grid point (rows: grid points). */
  componentWeights: number[][];
  minComponentWeight: number;
  /** Kernel-weighted mean posterior entropy along u (0 = crisp labels, log K = none). */
  posteriorEntropy: number[];
  /**
   * Local refinement after the label-consistent EM (options.refine): the label-consistent
   * fixed point's log-likelihood, local EM iterations per grid point, and the grid
   * points (u) reverted because refinement would have switched labels.
   */
  refinement?: { labelConsistentLogLik: number; iterations: number[]; converged: boolean; reverted: number[] };
  /** local-align only: grid indices where labels were permuted, and the matching margins. */
  alignment?: { switches: number[]; margins: number[]; minMargin: number; permutations: number[][] };
  /** Convergence of each stage in order (initialisation, then the EM of the chosen method). */
  stages: StageConvergence[];
  /** Kish effective number of observations of each component at each grid point (rows: grid points). */
  effectiveRows: number[][];
  /** True when any degeneracy check fails; `degeneracy` lists which (see docs/model-choice.md). */
  degenerate: boolean;
  degeneracy: string[];
  warnings: string[];
}

export interface VCMoEFit {
  model: ModelInfo;
  logLik: number;
  converged: boolean;
  iterations: number;
  /** Grid points on the original u scale. */
  grid: number[];
  curves: Curve[];
  /** n×K posterior membership probabilities, rows in the caller's order (dropped rows excluded). */
  posteriors: number[][];
  diagnostics: FitDiagnostics;
  parameters: ParameterTable;
  /** Hybrid fits only: the constant coefficients with standard errors. */
  constants?: ConstantInference;
  /** logLik, effective df, AIC, BIC, ICL (see FitStatistics; also AIC(res) etc.). Present on every fit() result. */
  statistics?: FitStatistics;
  /** Mixture mean Σ_c π_c μ_c at each observation (response scale), rows as in `posteriors`. Present on every fit() result. */
  fitted?: number[];
  /** Response residuals y − fitted, rows as in `posteriors`. Present on every fit() result. */
  residuals?: number[];
}

function modelInfo(ds: Dataset, spec: { K: number; kernel: KernelName; h: number; method: MethodName; family: FamilyName; dispersion?: DispersionMode }, sigmaFloor: number, backend: BackendName, zeroTrialRows = 0): ModelInfo {
  return {
    family: spec.family,
    ...(spec.family === "negbin" ? { dispersion: spec.dispersion ?? "varying" } : {}),
    offset: ds.offset !== null,
    ...(spec.family === "binomial" ? { zeroTrialRows } : {}),
    K: spec.K, kernel: spec.kernel, bandwidth: spec.h, method: spec.method,
    zNames: ds.zNames, xNames: ds.xNames, intercept: { expert: ds.interceptExpert, gating: ds.interceptGating },
    n: ds.n, droppedRows: ds.droppedRows, uMin: ds.uMin, uMax: ds.uMin + ds.uRange, sigmaFloor, backend,
    ...(ds.factors?.length ? { factors: ds.factors } : {}), dataFingerprint: dataFingerprint(ds),
  };
}

function parameterTable(P: GridParams, grid: Float64Array): ParameterTable {
  return { gridUnit: toArray(grid), alpha: toArray(P.alpha), alphaS: toArray(P.alphaS), phi: toArray(P.phi), gamma: toArray(P.gamma), gammaS: toArray(P.gammaS) };
}

/**
 * Fits a varying-coefficient mixture of experts by kernel-weighted local-linear
 * likelihood.
 *
 * @example
 * const res = await fit({ y, u, z: { z1 }, x: { x1 } }, { K: 2, bandwidth: 0.25, seed: 1 });
 * res.curves.find((c) => c.part === "expert" && c.component === 1 && c.term === "z1")!.values;
 */
export async function fit(data: VCMoEData, options: FitOptions): Promise<VCMoEFit> {
  checkOptionKeys("options", options, FIT_OPTION_KEYS, "an option of fit()");
  const res = await fitModel(data, options, 2);
  await checkpoint(options.signal);
  return completeFit(res, data);
}

/** fit() with the smallest allowed K as a parameter: model choice uses K = 1 (no mixture). @internal */
export async function fitModel(data: VCMoEData, options: FitOptions, minK: number): Promise<VCMoEFit> {
  const signal = validateSignal("options.signal", options?.signal);
  await checkpoint(signal);
  const ds = prepareData(data, options ?? ({} as FitOptions));
  const { zeroTrialRows } = applyFamily(ds, parseFamily(options?.family));
  const spec = makeSpec(options, ds, minK);
  const geo = makeGeometry(ds, spec.grid, spec.h, spec.kernel);
  const masks = resolveConstants(options.constant, ds, spec.K);
  if (masks && spec.method !== "label-consistent") throw new VCMoEInputError("options.constant", "hybrid models need method 'label-consistent'");
  // the hybrid expert steps (assembly/hybrid.ts) are Gaussian least squares
  if (masks && spec.family !== "gaussian") throw new VCMoEInputError("options.constant", `hybrid models support the Gaussian family only so far (family is '${spec.family}')`);
  if (masks && options.refine === true) throw new VCMoEInputError("options.refine", "local refinement would let the constant coefficients vary; hybrid fits use the label-consistent EM only (omit refine or pass false)");
  const backend = resolveBackend(options.backend);
  const core = await createCore(backend);
  const cd = new CoreData(core, ds, spec.K, FAMILY_CODE[spec.family], { constantTheta: spec.dispersion === "constant" });
  const sigmaFloor = sigmaFloorFor(ds, spec.sigmaFloorFraction, FAMILY_CODE[spec.family]);
  const init = runConstant(cd, { starts: spec.starts, maxIter: 2000, tol: Math.min(spec.tol, 1e-8), sigmaFloor, seed: spec.seed });
  await checkpoint(signal);
  const screened = screenStarts(cd, ds, init, spec.grid, {
    iterations: spec.initScreening, maxCandidates: 8, maxGrid: 11, kernel: spec.kernel, kernelCode: KERNEL_CODE[spec.kernel], h: spec.h,
    sigmaFloor, maxIter: 2000, tol: Math.min(spec.tol, 1e-8),
  });
  await checkpoint(signal);
  const state = new GridState(cd, spec.grid, geo, KERNEL_CODE[spec.kernel], spec.h);
  const warnings: string[] = [];
  const hWarning = bandwidthWarning(spec.h);
  if (hWarning) warnings.push(hWarning);
  let logLik: number, converged: boolean, iterations: number;
  let path: number[] = [], decreases = 0, largestDecrease = 0;
  let alignment: FitDiagnostics["alignment"];
  let refinement: FitDiagnostics["refinement"];
  const stages: StageConvergence[] = [{ stage: "initialisation", converged: init.trace.converged, iterations: init.trace.iterations }];
  if (!init.trace.converged) warnings.push("the constant-coefficient initialisation did not converge within 2000 iterations");
  if (spec.method === "label-consistent") {
    state.writeConstant(screened.params);
    const hyb = masks ? new HybridSteps(state, masks) : null;
    const tr = runEM(state, { maxIter: spec.maxIter, tol: spec.tol, sigmaFloor, maxNewton: 1, accelerate: spec.accelerate },
      hyb ? () => hyb.mstep({ sigmaFloor, maxNewton: 1 }) : undefined);
    if (hyb) warnings.push(...hyb.warnings());
    ({ logLik, converged, iterations, path, decreases, largestDecrease } = tr);
    stages.push({ stage: "label-consistent EM", converged, iterations });
    await checkpoint(signal);
    if (spec.refine && !masks) { // refinement would let the constants vary: not applied to hybrid fits
      const lcLogLik = logLik;
      const rt = refineLocally(state, state.read(), spec.maxIter, spec.refineTol, sigmaFloor);
      logLik = state.estep();
      refinement = { labelConsistentLogLik: lcLogLik, iterations: rt.iterations, converged: rt.converged.every(Boolean), reverted: rt.reverted.map((j) => ds.uMin + spec.grid[j] * ds.uRange) };
      if (rt.reverted.length) warnings.push(`local refinement would have switched labels at ${rt.reverted.length} grid point(s); kept the label-consistent values there`);
      if (!refinement.converged) warnings.push(`local refinement did not converge at every grid point within ${spec.maxIter} iterations`);
      stages.push({ stage: "local refinement", converged: refinement.converged, iterations: Math.max(...rt.iterations), notConverged: rt.converged.filter((c) => !c).length });
    }
    if (decreases > 0) warnings.push(`the log-likelihood decreased at ${decreases} EM step(s) (largest ${largestDecrease.toExponential(2)}); the label-consistent EM is not guaranteed monotone`);
  } else {
    const run = runLocalAlign(state, screened.params, { localStarts: spec.localStarts, maxIter: spec.maxIter, tol: spec.tol, sigmaFloor });
    logLik = state.estep();
    converged = run.converged.every(Boolean);
    iterations = Math.max(...run.iterations);
    stages.push({ stage: "local EM", converged, iterations, notConverged: run.converged.filter((c) => !c).length });
    const finite = run.alignment.margins.filter(Number.isFinite);
    alignment = { switches: run.alignment.switches, margins: run.alignment.margins, minMargin: finite.length ? Math.min(...finite) : Infinity, permutations: run.alignment.perms };
  }
  if (!converged) warnings.push(`EM did not converge within ${spec.maxIter} iterations (tol ${spec.tol})`);
  const constants = masks ? constantInference(state, masks, constantIds(masks, ds), coreKernelWeight(spec.kernel, core)) : undefined;
  if (constants) warnings.push(...constants.warnings);
  const P = state.read();
  const R = state.posteriors();
  const gridU = Array.from(spec.grid, (g) => ds.uMin + g * ds.uRange);
  const statusE = state.statusE.view(), statusG = state.statusG.view();
  const sigmaFloored: FitDiagnostics["sigmaFloored"] = [], lowWeight: FitDiagnostics["lowWeight"] = [];
  const thetaAtBound: FitDiagnostics["sigmaFloored"] = [], boundary: FitDiagnostics["sigmaFloored"] = [];
  const regularised: number[] = [];
  const fam = FAMILIES[spec.family];
  for (let j = 0; j < geo.m; j++) {
    let reg = (statusG[j] & (2 | 16)) !== 0;
    for (let c = 0; c < spec.K; c++) {
      const st = statusE[j * spec.K + c];
      if (st & 4) (fam.dispersion === "theta" ? thetaAtBound : sigmaFloored).push({ u: gridU[j], component: c + 1 });
      if (st & 32) boundary.push({ u: gridU[j], component: c + 1 });
      if (st & 1) lowWeight.push({ u: gridU[j], component: c + 1 });
      if (st & (2 | 16)) reg = true;
    }
    if (reg) regularised.push(gridU[j]);
  }
  if (sigmaFloored.length) warnings.push(`sigma held at its floor (${sigmaFloor.toPrecision(3)}) at ${sigmaFloored.length} grid point/component pair(s): a degenerate component`);
  if (thetaAtBound.length) warnings.push(`theta at its bound at ${thetaAtBound.length} grid point/component pair(s) (1e8: no overdispersion there; 1e-4: extreme overdispersion)`);
  if (boundary.length) warnings.push(`${boundary.length} grid point/component pair(s) have all-zero counts, all successes or all failures in the window, or a covariate separates the responses: the local maximum-likelihood estimate is at infinity, a tiny ridge holds it finite and the curves there are arbitrary (diagnostics.boundary)`);
  if (lowWeight.length) warnings.push(`${lowWeight.length} grid point/component pair(s) have almost no posterior weight; their curves were carried over`);
  const cw = localComponentWeights(R, ds, spec.K, spec.grid, geo.lo, geo.hi, spec.h, spec.kernel);
  const minW = Math.min(...cw.flat());
  if (minW < 0.02) warnings.push(`a component's local weight falls to ${minW.toPrecision(2)} somewhere along u`);
  const effectiveRows = componentEffectiveRows(R, ds, spec.K, spec.grid, geo.lo, geo.hi, spec.h, spec.kernel);
  const degIn = { K: spec.K, q: ds.q, sigmaFloored: sigmaFloored.length, lowWeight: lowWeight.length, minComponentWeight: minW, effectiveRows, gridU };
  const effWarning = effectiveRowsWarning(degIn);
  if (effWarning) warnings.push(effWarning);
  const degeneracy = degeneracyReasons(degIn);
  return {
    model: {
      ...modelInfo(ds, spec, sigmaFloor, backend, zeroTrialRows),
      settings: { maxIter: spec.maxIter, tol: spec.tol, refine: spec.refine && !masks, refineTol: spec.refineTol, accelerate: spec.accelerate },
    },
    logLik, converged, iterations,
    grid: gridU,
    curves: makeCurves(P, ds, spec.K, fam.dispersion),
    posteriors: posteriorsInCallerOrder(R, ds, spec.K),
    diagnostics: {
      logLikPath: path, logLikDecreases: decreases, largestDecrease,
      initialisation: {
        logLik: screened.logLik, converged: init.trace.converged, iterations: init.trace.iterations, startLogLiks: init.startLogLiks,
        screening: screened.report,
      },
      sigmaFloored, ...(spec.family === "negbin" ? { thetaAtBound } : {}), ...(spec.family !== "gaussian" ? { boundary } : {}),
      lowWeight, regularised, componentWeights: cw, minComponentWeight: minW,
      posteriorEntropy: posteriorEntropy(R, ds, spec.K, spec.grid, geo.lo, geo.hi, spec.h, spec.kernel),
      refinement, alignment, stages, effectiveRows, degenerate: degeneracy.length > 0, degeneracy, warnings,
    },
    parameters: parameterTable(P, spec.grid),
    ...(constants ? { constants } : {}),
  };
}

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

export const CONSTANT_FIT_OPTION_KEYS = optionKeys<ConstantFitOptions>()(["K", "family", "seed", "starts", "maxIter", "tol", "sigmaFloorFraction", "backend", "intercept", "missing"]);

export interface ConstantComponent {
  component: number;
  /** Expert coefficients by term name (on the link scale for GLM families). */
  coefficients: Record<string, number>;
  /** Gaussian family: the standard deviation. */
  sigma?: number;
  /** Negative binomial: the size θ (Var = μ + μ²/θ). */
  theta?: number;
  /** Average posterior probability (the mixing weight when the gating has no covariates). */
  weight: number;
}

export interface ConstantFit {
  model: Omit<ModelInfo, "kernel" | "bandwidth" | "method">;
  logLik: number;
  converged: boolean;
  iterations: number;
  experts: ConstantComponent[];
  /** Gating logits of each component relative to component 1 (baseline, all 0). */
  gating: Array<{ component: number; coefficients: Record<string, number> }>;
  /** Centred gating logits γ_c − mean_k γ_k. */
  gatingCentred: Array<{ component: number; coefficients: Record<string, number> }>;
  posteriors: number[][];
  startLogLiks: number[];
  /** Degenerate components (σ held at the floor, or almost no weight) and non-convergence, as text. */
  warnings: string[];
  /**
   * Gaussian family: standard errors of every coefficient (expert coefficients, σ, gating
   * contrasts against component 1) from the observed information by Louis' identity,
   * sandwich and model-based (see ConstantInference).
   */
  standardErrors?: ConstantInference;
  /** logLik, df (the number of free parameters), AIC, BIC, ICL. */
  statistics?: FitStatistics;
  /** Mixture mean at each observation (response scale), rows as in `posteriors`. */
  fitted?: number[];
  /** Response residuals y − fitted. */
  residuals?: number[];
}

export function constantSummary(run: ConstantRun, ds: Dataset, K: number, family: FamilyName = "gaussian"): Pick<ConstantFit, "experts" | "gating" | "gatingCentred"> {
  const disp = FAMILIES[family].dispersion;
  const P = run.params, R = run.state.posteriors();
  const { q, p } = ds;
  let wsum = 0;
  for (let i = 0; i < ds.n; i++) wsum += ds.w[i];
  const cg = centredGating(P.gamma, 0, K, p);
  return {
    experts: Array.from({ length: K }, (_, c) => {
      let wc = 0;
      for (let i = 0; i < ds.n; i++) wc += ds.w[i] * R[i * K + c];
      return {
        component: c + 1,
        coefficients: Object.fromEntries(ds.zNames.map((nm, k) => [nm, P.alpha[c * q + k]])),
        ...(disp ? { [disp]: P.phi[c] } : {}),
        weight: wc / wsum,
      };
    }),
    gating: Array.from({ length: K }, (_, c) => ({ component: c + 1, coefficients: Object.fromEntries(ds.xNames.map((nm, k) => [nm, P.gamma[c * p + k]])) })),
    gatingCentred: Array.from({ length: K }, (_, c) => ({ component: c + 1, coefficients: Object.fromEntries(ds.xNames.map((nm, k) => [nm, cg[c * p + k]])) })),
  };
}

function constantWarnings(run: ConstantRun, sigmaFloor: number, K: number, family: FamilyName = "gaussian"): string[] {
  const out: string[] = [];
  const st = run.state.statusE.view();
  for (let c = 0; c < K; c++) {
    if (st[c] & 4) {
      out.push(family === "negbin" ? `component ${c + 1}: theta at its bound (1e8: no overdispersion; 1e-4: extreme overdispersion)`
        : `component ${c + 1}: sigma held at its floor (${sigmaFloor.toPrecision(3)}): a degenerate component`);
    }
    if (st[c] & 32) out.push(`component ${c + 1}: all-zero counts, all successes or all failures, or separation: the maximum-likelihood estimate is at infinity (held finite by a tiny ridge)`);
    if (st[c] & 1) out.push(`component ${c + 1}: almost no posterior weight`);
  }
  if (!run.trace.converged) out.push(`EM did not converge (log-likelihood ${run.trace.logLik})`);
  return out;
}

/**
 * Fits the ordinary (constant-coefficient) mixture of experts: experts linear in z on
 * the family's link scale (Gaussian, binomial, Poisson, negative binomial),
 * multinomial-logit gating in x; u is not needed (pass it or omit it).
 *
 * @example
 * const res = await fitConstant({ y: tuned, z: { stretchratio }, x: { stretchratio } }, { K: 2 });
 */
export async function fitConstant(data: Omit<VCMoEData, "u"> & { u?: VCMoEData["u"] }, options: ConstantFitOptions): Promise<ConstantFit> {
  if (typeof options !== "object" || options === null) throw new VCMoEInputError("options", "must be an object with at least K");
  checkOptionKeys("options", options, CONSTANT_FIT_OPTION_KEYS, "an option of fitConstant()");
  if (typeof data !== "object" || data === null) throw new VCMoEInputError("data", "must be an object { y, z?, x?, weights? }");
  const n = (data.y as ArrayLike<number> | undefined)?.length ?? 0;
  // u plays no role in a constant fit; an increasing dummy keeps the data checks uniform
  const ds = prepareData({ ...data, u: data.u ?? Float64Array.from({ length: n }, (_, i) => i) }, options);
  const family = parseFamily(options.family);
  const { zeroTrialRows } = applyFamily(ds, family);
  if (options.K === undefined || !Number.isInteger(options.K) || options.K < 2 || options.K > 10) {
    throw new VCMoEInputError("options.K", `must be an integer from 2 to 10, got ${String(options.K)}`);
  }
  const K = options.K;
  const need = minRowsFor(K, ds.q, ds.p) - K * ds.q - (K - 1) * ds.p;
  if (ds.n < need) throw new VCMoEInputError("options.K", `K = ${K} needs at least ${need} observations; the data have ${ds.n}`);
  const backend = resolveBackend(options.backend);
  const core = await createCore(backend);
  const cd = new CoreData(core, ds, K, FAMILY_CODE[family]);
  const sigmaFloor = sigmaFloorFor(ds, options.sigmaFloorFraction ?? 0.01, FAMILY_CODE[family]);
  const run = runConstant(cd, {
    starts: options.starts ?? 20, maxIter: options.maxIter ?? 10000, tol: options.tol ?? 1e-10, sigmaFloor, seed: options.seed ?? 1,
  });
  const summary = constantSummary(run, ds, K, family);
  const info = modelInfo(ds, { K, kernel: "epanechnikov", h: 0, method: "label-consistent", family }, sigmaFloor, backend, zeroTrialRows);
  const { kernel: _k, bandwidth: _b, method: _me, ...model } = info;
  // every coefficient is a constant: the hybrid fit's constant-coefficient inference with nothing varying
  const all = emptyMasks(K, ds.q, ds.p);
  all.constE.fill(1); all.constS.fill(1);
  for (let k = ds.p; k < K * ds.p; k++) all.constG[k] = 1;
  const standardErrors = family === "gaussian" ? constantInference(run.state, all, constantIds(all, ds), () => 0) : undefined;
  return completeConstantFit({
    model, logLik: run.trace.logLik, converged: run.trace.converged, iterations: run.trace.iterations,
    ...summary, posteriors: posteriorsInCallerOrder(run.state.posteriors(), ds, K), startLogLiks: run.startLogLiks,
    warnings: [...constantWarnings(run, sigmaFloor, K, family), ...(standardErrors?.warnings ?? [])],
    ...(standardErrors ? { standardErrors } : {}),
  } as ConstantFit, ds);
}
