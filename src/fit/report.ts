// Stage 4 of a fit: the plain-JSON result (src/model/result.ts) — the model info, the
// curves and posteriors, and the diagnostics decoded from the kernels' status flags and
// checked for degeneracy, with their warnings. Everything reported is mapped from the
// internal scale back to the caller's here (./scaling.ts).
import type { BackendName } from "../core/backend.js";
import { STATUS_BOUNDARY, STATUS_DISPERSION_BOUND, STATUS_LOW_WEIGHT, STATUS_RIDGE, STATUS_SINGULAR } from "../core/generated/constants.js";
import type { Dataset } from "../data/dataset.js";
import { dataFingerprint } from "../data/fingerprint.js";
import { bandwidthWarning } from "../model/bandwidthWarning.js";
import { degeneracyReasons, effectiveRowsWarning } from "../diagnostics/degeneracy.js";
import { windowSummaries } from "../diagnostics/windows.js";
import { FAMILIES } from "../model/families/index.js";
import type { ConstantInference, FitDiagnostics, ModelInfo, ParameterTable, VCMoEFit } from "../model/result.js";
import type { DispersionMode, FamilyName, KernelName, MethodName } from "../model/spec.js";
import type { Estimate } from "./estimate.js";
import type { FitStart } from "./initialise.js";
import type { FitProblem } from "./problem.js";
import { makeCurves, posteriorsInCallerOrder, toArray } from "./result.js";
import type { GridParams } from "./workspace.js";
import { constantsToCaller, dispersionFactor, logLikShift, paramsToCaller, smoothedLogLikShift } from "./scaling.js";

/** The model part of a result (what predict() and the inference functions rebuild the model from); `ds` on the caller's scale. */
export function modelInfo(
  ds: Dataset, spec: { K: number; kernel: KernelName; h: number; method: MethodName; family: FamilyName; dispersion?: DispersionMode },
  sigmaFloor: number, backend: BackendName, familyReport: Record<string, number>,
): ModelInfo {
  return {
    family: spec.family,
    ...(FAMILIES[spec.family].supports.constantDispersion ? { dispersion: spec.dispersion ?? "varying" } : {}),
    offset: ds.offset !== null,
    ...familyReport,
    K: spec.K, kernel: spec.kernel, bandwidth: spec.h, method: spec.method,
    zNames: ds.zNames, xNames: ds.xNames, intercept: { expert: ds.interceptExpert, gating: ds.interceptGating },
    n: ds.n, droppedRows: ds.droppedRows, uMin: ds.uMin, uMax: ds.uMin + ds.uRange, sigmaFloor, backend,
    ...(ds.factors?.length ? { factors: ds.factors } : {}), dataFingerprint: dataFingerprint(ds),
  };
}

function parameterTable(P: GridParams, grid: Float64Array): ParameterTable {
  return { gridUnit: toArray(grid), alpha: toArray(P.alpha), alphaS: toArray(P.alphaS), phi: toArray(P.phi), gamma: toArray(P.gamma), gammaS: toArray(P.gammaS) };
}

type Flagged = FitDiagnostics["sigmaFloored"];

/** The kernels' status flags at the estimate, as lists of grid points (u) and components, with their warnings. */
function statusDiagnostics(problem: FitProblem, est: Estimate, sigmaFloor: number, gridU: number[]) {
  const { spec, family } = problem;
  const statusE = est.state.statusE.view(), statusG = est.state.statusG.view();
  const sigmaFloored: Flagged = [], thetaAtBound: Flagged = [], boundary: Flagged = [], lowWeight: Flagged = [];
  const regularised: number[] = [];
  const atBound = family.diagnostics.bound === "thetaAtBound" ? thetaAtBound : sigmaFloored;
  for (let j = 0; j < problem.local.geometry.m; j++) {
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
  const warnings: string[] = [];
  if (sigmaFloored.length) warnings.push(`sigma held at its floor (${sigmaFloor.toPrecision(3)}) at ${sigmaFloored.length} grid point/component pair(s): a degenerate component`);
  if (thetaAtBound.length) warnings.push(`theta at its bound at ${thetaAtBound.length} grid point/component pair(s) (1e8: no overdispersion there; 1e-4: extreme overdispersion)`);
  if (boundary.length) warnings.push(`${boundary.length} grid point/component pair(s) have all-zero counts, all successes or all failures in the window, or a covariate separates the responses: the local maximum-likelihood estimate is at infinity, a tiny ridge holds it finite and the curves there are arbitrary (diagnostics.boundary)`);
  if (lowWeight.length) warnings.push(`${lowWeight.length} grid point/component pair(s) have almost no posterior weight; their curves were carried over`);
  return { sigmaFloored, thetaAtBound, boundary, lowWeight, regularised, warnings };
}

/** The result of a varying-coefficient fit. */
export function assembleFit(problem: FitProblem, start: FitStart, est: Estimate, constants?: ConstantInference): VCMoEFit {
  const { ds, spec, family, local, masks, scaling } = problem;
  const { K } = spec;
  const hWarning = bandwidthWarning(spec.h);
  // constants on the caller's scale (their warnings include any overflow of that scale)
  const callerConstants = constants && constantsToCaller(constants, problem.scaling, problem.ds);
  const warnings = [...(hWarning ? [hWarning] : []), ...est.warnings, ...(callerConstants?.warnings ?? [])];
  // the caller's scale: parameters, σ floor, log-likelihoods (ordinary and smoothed ℓ_S)
  const P = paramsToCaller(est.state.read(), scaling);
  const sigmaFloor = start.sigmaFloor * dispersionFactor(scaling);
  const llShift = logLikShift(scaling);
  const shift = (v: number) => v + llShift;
  const pathShift = smoothedLogLikShift(scaling, ds, local);
  // the initialisation's log-likelihoods are of its rows (an evenly spaced subset of large data)
  const initData = start.initData;
  const initShift = (v: number) => v + logLikShift(scaling, initData === ds ? scaling.weight : initData.w.reduce((a, b) => a + b, 0));
  const screenShift = start.screenGrid ? smoothedLogLikShift(scaling, initData, start.screenGrid) : 0;
  const R = est.state.posteriors();
  const gridU = Array.from(spec.grid, (g) => ds.uMin + g * ds.uRange);
  const flags = statusDiagnostics(problem, est, sigmaFloor, gridU);
  warnings.push(...flags.warnings);
  const { componentWeights: cw, effectiveRows, entropy } = windowSummaries(R, ds, K, local);
  const minW = Math.min(...cw.flat());
  if (minW < 0.02) warnings.push(`a component's local weight falls to ${minW.toPrecision(2)} somewhere along u`);
  const degIn = { K, q: ds.q, sigmaFloored: flags.sigmaFloored.length, lowWeight: flags.lowWeight.length, minComponentWeight: minW, effectiveRows, gridU };
  const effWarning = effectiveRowsWarning(degIn);
  if (effWarning) warnings.push(effWarning);
  const degeneracy = degeneracyReasons(degIn);
  const { init } = start;
  return {
    model: {
      ...modelInfo(problem.raw, spec, sigmaFloor, problem.backend, problem.familyReport),
      settings: { maxIter: spec.maxIter, tol: spec.tol, refine: spec.refine && !masks, refineTol: spec.refineTol, accelerate: spec.accelerate },
    },
    logLik: shift(est.logLik), converged: est.converged, iterations: est.iterations,
    grid: gridU,
    curves: makeCurves(P, ds, K, family.dispersion),
    posteriors: posteriorsInCallerOrder(R, ds, K),
    diagnostics: {
      objectivePath: est.path.map((v) => v + pathShift), objectiveDecreases: est.decreases, largestDecrease: est.largestDecrease,
      initialisation: {
        rows: initData.n, logLik: initShift(start.logLik), converged: init.trace.converged, iterations: init.trace.iterations, startLogLiks: init.startLogLiks.map(initShift),
        screening: start.screening && { ...start.screening, objectives: start.screening.objectives.map((v) => v + screenShift) },
      },
      sigmaFloored: flags.sigmaFloored,
      ...(family.diagnostics.bound === "thetaAtBound" ? { thetaAtBound: flags.thetaAtBound } : {}),
      ...(family.diagnostics.boundary ? { boundary: flags.boundary } : {}),
      lowWeight: flags.lowWeight, regularised: flags.regularised, componentWeights: cw, minComponentWeight: minW,
      posteriorEntropy: entropy,
      refinement: est.refinement && { ...est.refinement, labelConsistentLogLik: shift(est.refinement.labelConsistentLogLik) }, alignment: est.alignment, stages: est.stages, effectiveRows,
      degenerate: degeneracy.length > 0, degeneracy, warnings,
    },
    parameters: parameterTable(P, spec.grid),
    ...(callerConstants ? { constants: callerConstants } : {}),
  };
}
