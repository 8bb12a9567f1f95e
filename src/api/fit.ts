// Public entry points: fit() (varying-coefficient mixture of experts) and
// fitConstant() (the ordinary, constant-coefficient mixture of experts).
import { createCore, resolveBackend, type BackendName } from "../core/backend.js";
import { prepareData, type DataOptions, type Dataset, type VCMoEData } from "../data/dataset.js";
import { localGrid } from "../model/grid.js";
import { makeSpec, minRowsFor, type ConstantFitOptions, type DispersionMode, type FamilyName, type FitOptions, type KernelName, type MethodName } from "../model/spec.js";
import { applyFamily, FAMILIES, familyOf, type FamilyDriver } from "../model/families/index.js";
import { VCMoEInputError } from "../errors.js";
import { runConstant, type ConstantRun } from "../fit/constant.js";
import { runEM } from "../fit/em.js";
import { runLocalAlign } from "../fit/localAlign.js";
import { screenStarts } from "../fit/screen.js";
import { refineLocally } from "../fit/refine.js";
import { CoreData, GridState, type GridParams } from "../fit/workspace.js";
import { centredGating } from "../fit/align.js";
import { HybridSteps } from "../fit/hybrid.js";
import { constantIds, resolveConstants } from "../model/constants.js";
import { constantInference, coreKernelWeight } from "../inference/constantSE.js";
import { localComponentWeights, makeCurves, posteriorEntropy, posteriorsInCallerOrder, toArray } from "../fit/result.js";
import type { ConstantFit, FitDiagnostics, ModelInfo, ParameterTable, VCMoEFit } from "../model/result.js";
import { STATUS_BOUNDARY, STATUS_DISPERSION_BOUND, STATUS_LOW_WEIGHT, STATUS_RIDGE, STATUS_SINGULAR } from "../core/generated/constants.js";
import { componentEffectiveRows, degeneracyReasons, effectiveRowsWarning } from "../diagnostics/degeneracy.js";
import type { StageConvergence } from "../model/result.js";





function modelInfo(ds: Dataset, spec: { K: number; kernel: KernelName; h: number; method: MethodName; family: FamilyName; dispersion?: DispersionMode }, sigmaFloor: number, backend: BackendName, familyReport: Record<string, number>): ModelInfo {
  return {
    family: spec.family,
    ...(FAMILIES[spec.family].supports.constantDispersion ? { dispersion: spec.dispersion ?? "varying" } : {}),
    offset: ds.offset !== null,
    ...familyReport,
    K: spec.K, kernel: spec.kernel, bandwidth: spec.h, method: spec.method,
    zNames: ds.zNames, xNames: ds.xNames, intercept: { expert: ds.interceptExpert, gating: ds.interceptGating },
    n: ds.n, droppedRows: ds.droppedRows, uMin: ds.uMin, uMax: ds.uMin + ds.uRange, sigmaFloor, backend,
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
  return fitModel(data, options, 2);
}

/** fit() with the smallest allowed K as a parameter: model choice uses K = 1 (no mixture). @internal */
export async function fitModel(data: VCMoEData, options: FitOptions, minK: number): Promise<VCMoEFit> {
  const ds = prepareData(data, options ?? ({} as FitOptions));
  const familyReport = applyFamily(ds, familyOf(options?.family));
  const spec = makeSpec(options, ds, minK);
  const fam = FAMILIES[spec.family];
  const local = localGrid(ds, spec.grid, spec.h, spec.kernel);
  const geo = local.geometry;
  const masks = resolveConstants(options.constant, ds, spec.K);
  if (masks && spec.method !== "label-consistent") throw new VCMoEInputError("options.constant", "hybrid models need method 'label-consistent'");
  // the hybrid expert steps (assembly/hybrid.ts) are Gaussian least squares
  if (masks && !fam.supports.hybrid) throw new VCMoEInputError("options.constant", `hybrid models support the Gaussian family only so far (family is '${spec.family}')`);
  if (masks && options.refine === true) throw new VCMoEInputError("options.refine", "local refinement would let the constant coefficients vary; hybrid fits use the label-consistent EM only (omit refine or pass false)");
  const backend = resolveBackend(options.backend);
  const core = await createCore(backend);
  const cd = new CoreData(core, ds, spec.K, fam, { constantDispersion: spec.dispersion === "constant" });
  const sigmaFloor = fam.dispersionFloor(ds, spec.sigmaFloorFraction);
  const init = runConstant(cd, { starts: spec.starts, maxIter: 2000, tol: Math.min(spec.tol, 1e-8), sigmaFloor, seed: spec.seed });
  const screened = screenStarts(cd, init, local, {
    iterations: spec.initScreening, maxCandidates: 8, maxGrid: 11, sigmaFloor, maxIter: 2000, tol: Math.min(spec.tol, 1e-8),
  });
  const state = new GridState(cd, local);
  const warnings: string[] = [];
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
  const atBound = fam.diagnostics.bound === "thetaAtBound" ? thetaAtBound : sigmaFloored;
  for (let j = 0; j < geo.m; j++) {
    let reg = (statusG[j] & (STATUS_RIDGE | STATUS_SINGULAR)) !== 0;
    for (let c = 0; c < spec.K; c++) {
      const st = statusE[j * spec.K + c];
      if (st & STATUS_DISPERSION_BOUND) atBound.push({ u: gridU[j], component: c + 1 });
      if (st & STATUS_BOUNDARY) boundary.push({ u: gridU[j], component: c + 1 });
      if (st & STATUS_LOW_WEIGHT) lowWeight.push({ u: gridU[j], component: c + 1 });
      if (st & (STATUS_RIDGE | STATUS_SINGULAR)) reg = true;
    }
    if (reg) regularised.push(gridU[j]);
  }
  if (sigmaFloored.length) warnings.push(`sigma held at its floor (${sigmaFloor.toPrecision(3)}) at ${sigmaFloored.length} grid point/component pair(s): a degenerate component`);
  if (thetaAtBound.length) warnings.push(`theta at its bound at ${thetaAtBound.length} grid point/component pair(s) (1e8: no overdispersion there; 1e-4: extreme overdispersion)`);
  if (boundary.length) warnings.push(`${boundary.length} grid point/component pair(s) have all-zero counts, all successes or all failures in the window, or a covariate separates the responses: the local maximum-likelihood estimate is at infinity, a tiny ridge holds it finite and the curves there are arbitrary (diagnostics.boundary)`);
  if (lowWeight.length) warnings.push(`${lowWeight.length} grid point/component pair(s) have almost no posterior weight; their curves were carried over`);
  const cw = localComponentWeights(R, ds, spec.K, local);
  const minW = Math.min(...cw.flat());
  if (minW < 0.02) warnings.push(`a component's local weight falls to ${minW.toPrecision(2)} somewhere along u`);
  const effectiveRows = componentEffectiveRows(R, ds, spec.K, local);
  const degIn = { K: spec.K, q: ds.q, sigmaFloored: sigmaFloored.length, lowWeight: lowWeight.length, minComponentWeight: minW, effectiveRows, gridU };
  const effWarning = effectiveRowsWarning(degIn);
  if (effWarning) warnings.push(effWarning);
  const degeneracy = degeneracyReasons(degIn);
  return {
    model: {
      ...modelInfo(ds, spec, sigmaFloor, backend, familyReport),
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
      sigmaFloored, ...(fam.diagnostics.bound === "thetaAtBound" ? { thetaAtBound } : {}), ...(fam.diagnostics.boundary ? { boundary } : {}),
      lowWeight, regularised, componentWeights: cw, minComponentWeight: minW,
      posteriorEntropy: posteriorEntropy(R, ds, spec.K, local),
      refinement, alignment, stages, effectiveRows, degenerate: degeneracy.length > 0, degeneracy, warnings,
    },
    parameters: parameterTable(P, spec.grid),
    ...(constants ? { constants } : {}),
  };
}




export function constantSummary(run: ConstantRun, ds: Dataset, K: number, family: FamilyDriver): Pick<ConstantFit, "experts" | "gating" | "gatingCentred"> {
  const disp = family.dispersion;
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

function constantWarnings(run: ConstantRun, sigmaFloor: number, K: number, family: FamilyDriver): string[] {
  const out: string[] = [];
  const st = run.state.statusE.view();
  for (let c = 0; c < K; c++) {
    if (st[c] & STATUS_DISPERSION_BOUND) out.push(family.constantBoundWarning(c + 1, sigmaFloor));
    if (st[c] & STATUS_BOUNDARY) out.push(`component ${c + 1}: all-zero counts, all successes or all failures, or separation: the maximum-likelihood estimate is at infinity (held finite by a tiny ridge)`);
    if (st[c] & STATUS_LOW_WEIGHT) out.push(`component ${c + 1}: almost no posterior weight`);
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
  if (typeof data !== "object" || data === null) throw new VCMoEInputError("data", "must be an object { y, z?, x?, weights? }");
  const n = (data.y as ArrayLike<number> | undefined)?.length ?? 0;
  // u plays no role in a constant fit; an increasing dummy keeps the data checks uniform
  const ds = prepareData({ ...data, u: data.u ?? Float64Array.from({ length: n }, (_, i) => i) }, options);
  const family = familyOf(options.family);
  const familyReport = applyFamily(ds, family);
  if (options.K === undefined || !Number.isInteger(options.K) || options.K < 2 || options.K > 10) {
    throw new VCMoEInputError("options.K", `must be an integer from 2 to 10, got ${String(options.K)}`);
  }
  const K = options.K;
  const need = minRowsFor(K, ds.q, ds.p) - K * ds.q - (K - 1) * ds.p;
  if (ds.n < need) throw new VCMoEInputError("options.K", `K = ${K} needs at least ${need} observations; the data have ${ds.n}`);
  const backend = resolveBackend(options.backend);
  const core = await createCore(backend);
  const cd = new CoreData(core, ds, K, family);
  const sigmaFloor = family.dispersionFloor(ds, options.sigmaFloorFraction ?? 0.01);
  const run = runConstant(cd, {
    starts: options.starts ?? 20, maxIter: options.maxIter ?? 10000, tol: options.tol ?? 1e-10, sigmaFloor, seed: options.seed ?? 1,
  });
  const summary = constantSummary(run, ds, K, family);
  const info = modelInfo(ds, { K, kernel: "epanechnikov", h: 0, method: "label-consistent", family: family.name }, sigmaFloor, backend, familyReport);
  const { kernel: _k, bandwidth: _b, method: _me, ...model } = info;
  return {
    model, logLik: run.trace.logLik, converged: run.trace.converged, iterations: run.trace.iterations,
    ...summary, posteriors: posteriorsInCallerOrder(run.state.posteriors(), ds, K), startLogLiks: run.startLogLiks,
    warnings: constantWarnings(run, sigmaFloor, K, family),
  };
}
