// A fit as four stages: the problem (validated input), the initialisation (constant fit
// and start screening), the estimate (label-consistent EM and refinement, or the
// per-grid-point baseline), and the report (result and diagnostics). fit() and
// fitConstant() in src/api/ are these pipelines; model choice and the GLRT call them too.
import { resolveBackend, withCore } from "../core/backend.js";
import { checkpoint, validateSignal } from "../core/abort.js";
import { STATUS_BOUNDARY, STATUS_DISPERSION_BOUND, STATUS_LOW_WEIGHT } from "../core/generated/constants.js";
import { prepareData, type Dataset, type VCMoEData } from "../data/dataset.js";
import { VCMoEInputError } from "../errors.js";
import { constantIds, emptyMasks } from "../model/constants.js";
import { applyFamily, familyOf, type FamilyDriver } from "../model/families/index.js";
import type { ConstantFit, VCMoEFit } from "../model/result.js";
import { minRowsFor, positiveInt, positiveNumber, validSeed, type ConstantFitOptions, type FitOptions } from "../model/spec.js";
import { centredGating } from "./align.js";
import { runConstant, type ConstantRun } from "./constant.js";
import { constantInference } from "./constantSE.js";
import { estimate } from "./estimate.js";
import { initialise } from "./initialise.js";
import { prepareProblem } from "./problem.js";
import { assembleFit, modelInfo } from "./report.js";
import { posteriorsInCallerOrder } from "./result.js";
import { constantsToCaller, dispersionFactor, internalData, logLikShift, paramsToCaller } from "./scaling.js";
import { CoreData, type GridParams } from "./workspace.js";

/** A varying-coefficient fit; `minK` is the smallest K allowed (model choice uses K = 1: no mixture). */
export async function fitModel(data: VCMoEData, options: FitOptions, minK: number): Promise<VCMoEFit> {
  return (await fitModelWithData(data, options, minK)).res;
}

/** fitModel, with the checked rows (sorted by u, on the caller's scale) it was fitted to. */
export async function fitModelWithData(data: VCMoEData, options: FitOptions, minK: number): Promise<{ res: VCMoEFit; raw: Dataset }> {
  // the stages run synchronously: an abort is honoured between them
  const signal = validateSignal("options.signal", options?.signal);
  await checkpoint(signal);
  const problem = prepareProblem(data, options, minK);
  return withCore(problem.backend, async (core) => {
    await checkpoint(signal);
    const start = initialise(core, problem);
    await checkpoint(signal);
    const est = estimate(problem, start);
    await checkpoint(signal);
    const { masks, ds } = problem;
    // hybrid models: standard errors of the constant coefficients (posteriors belong to the estimate)
    const constants = masks ? constantInference(est.state, masks, constantIds(masks, ds)) : undefined;
    return { res: assembleFit(problem, start, est, constants), raw: problem.raw };
  });
}

/** The constant fit's coefficients on the caller's scale (`P`: its parameters mapped back). */
function constantSummary(run: ConstantRun, P: GridParams, ds: Dataset, K: number, family: FamilyDriver): Pick<ConstantFit, "experts" | "gating" | "gatingCentred"> {
  const disp = family.dispersion;
  const R = run.state.posteriors();
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

/** Warnings of a constant fit; `sigmaFloor` and `logLik` on the caller's scale. */
function constantWarnings(run: ConstantRun, sigmaFloor: number, logLik: number, K: number, family: FamilyDriver): string[] {
  const out: string[] = [];
  const st = run.state.statusE.view();
  for (let c = 0; c < K; c++) {
    if (st[c] & STATUS_DISPERSION_BOUND) out.push(family.constantBoundWarning(c + 1, sigmaFloor));
    if (st[c] & STATUS_BOUNDARY) out.push(`component ${c + 1}: all-zero counts, all successes or all failures, or separation: the maximum-likelihood estimate is at infinity (held finite by a tiny ridge)`);
    if (st[c] & STATUS_LOW_WEIGHT) out.push(`component ${c + 1}: almost no posterior weight`);
  }
  if (!run.trace.converged) out.push(`EM did not converge (log-likelihood ${logLik})`);
  return out;
}

/** The constant-coefficient mixture of experts (fitConstant()): u plays no role. */
export async function fitConstantModel(data: Omit<VCMoEData, "u"> & { u?: VCMoEData["u"] }, options: ConstantFitOptions): Promise<ConstantFit> {
  if (typeof options !== "object" || options === null) throw new VCMoEInputError("options", "must be an object with at least K");
  if (typeof data !== "object" || data === null) throw new VCMoEInputError("data", "must be an object { y, z?, x?, weights? }");
  const n = (data.y as ArrayLike<number> | undefined)?.length ?? 0;
  // u plays no role in a constant fit; an increasing dummy keeps the data checks uniform
  const raw = prepareData({ ...data, u: data.u ?? Float64Array.from({ length: n }, (_, i) => i) }, options);
  const family = familyOf(options.family);
  const familyReport = applyFamily(raw, family);
  // computed on the internal scale, reported on the caller's (./scaling.ts)
  const { ds, scaling } = internalData(raw, family);
  if (options.K === undefined || !Number.isInteger(options.K) || options.K < 2 || options.K > 10) {
    throw new VCMoEInputError("options.K", `must be an integer from 2 to 10, got ${String(options.K)}`);
  }
  const K = options.K;
  const need = minRowsFor(K, ds.q, ds.p) - K * ds.q - (K - 1) * ds.p;
  if (ds.n < need) throw new VCMoEInputError("options.K", `K = ${K} needs at least ${need} observations; the data have ${ds.n}`);
  const backend = resolveBackend(options.backend);
  return withCore(backend, (core) => {
    const cd = new CoreData(core, ds, K, family);
    // checked like fit()'s: they went to the EM unchecked (tol 0 never converged, a string maxIter, NaN floors)
    const settings = {
      starts: positiveInt("options.starts", options.starts, 20, 1, 1000), maxIter: positiveInt("options.maxIter", options.maxIter, 10000),
      tol: positiveNumber("options.tol", options.tol, 1e-10), seed: validSeed(options.seed),
    };
    const sigmaFloor = family.dispersionFloor(ds, positiveNumber("options.sigmaFloorFraction", options.sigmaFloorFraction, 0.01));
    const run = runConstant(cd, { ...settings, sigmaFloor });
    const summary = constantSummary(run, paramsToCaller(run.params, scaling), ds, K, family);
    const floor = sigmaFloor * dispersionFactor(scaling), shift = logLikShift(scaling);
    const info = modelInfo(raw, { K, kernel: "epanechnikov", h: 0, method: "label-consistent", family: family.name }, floor, backend, familyReport);
    const { kernel: _k, bandwidth: _b, method: _me, ...model } = info;
    // standard errors: every coefficient is constant, so this is the hybrid fit's constant-coefficient
    // inference with nothing varying (the observed information by Louis' identity, from the family's
    // per-row derivatives; a family without a dispersion has none to report)
    const all = emptyMasks(K, ds.q, ds.p);
    all.constE.fill(1);
    if (family.dispersion) all.constS.fill(1);
    for (let k = ds.p; k < K * ds.p; k++) all.constG[k] = 1;
    const standardErrors: ConstantFit["standardErrors"] = constantsToCaller(constantInference(run.state, all, constantIds(all, ds)), scaling, ds);
    const logLik = run.trace.logLik + shift;
    return {
      model, logLik, converged: run.trace.converged, iterations: run.trace.iterations,
      ...summary, posteriors: posteriorsInCallerOrder(run.state.posteriors(), ds, K), startLogLiks: run.startLogLiks.map((v) => v + shift),
      warnings: [...constantWarnings(run, floor, logLik, K, family), ...(standardErrors?.warnings ?? [])],
      ...(standardErrors ? { standardErrors } : {}),
    };
  });
}
