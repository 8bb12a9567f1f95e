// Rebuilds a fitted model inside a numerical core from a fit result and the data
// it was fitted to: the inference functions need the rows (sorted as in the fit),
// the grid geometry and the raw grid parameters. Like the fit, they compute on the
// internal scale (src/fit/scaling.ts: the same scales, a function of the data) and map
// what they report back with `factors`.
import { createCore, resolveBackend, type BackendName, type Core } from "../core/backend.js";
import { prepareData, type Dataset, type VCMoEData } from "../data/dataset.js";
import type { FamilyName, KernelName, MethodName } from "../model/spec.js";
import { localGrid, type LocalGrid } from "../model/grid.js";
import { applyFamily, FAMILIES, lookupFamily } from "../model/families/index.js";
import { CoreData, GridState, type GridParams } from "../fit/workspace.js";
import { VCMoEInputError } from "../errors.js";
import { checkSameData } from "../data/fingerprint.js";
import type { VCMoEFit } from "../model/result.js";
import { checkFitResult } from "../model/checkFit.js";
import { coefficientFactor, dispersionFactor, internalData, tableToInternal, type Scaling } from "../fit/scaling.js";

/** One reported coefficient curve, in the order of fit().curves and of the core's inference kernels. */
export interface CurveKey {
  part: "expert" | "sigma" | "theta" | "gating";
  /** 1-based component. */
  component: number;
  term: string;
}

export interface FittedModel {
  /** The rows on the internal scale (as the fit computed on them). */
  ds: Dataset;
  scaling: Scaling;
  /** Per reported curve (order of `keys`): internal value × factor = the caller's value. */
  factors: number[];
  K: number;
  family: FamilyName;
  /** Negative binomial with one θ per component (options.dispersion 'constant'). */
  constantDispersion: boolean;
  kernel: KernelName;
  method: MethodName;
  /** Bandwidth on the unit u scale. */
  h: number;
  /** Grid on the unit u scale. */
  grid: Float64Array;
  /** Grid on the caller's u scale. */
  gridU: number[];
  local: LocalGrid;
  /** Parameters and σ floor on the internal scale. */
  params: GridParams;
  sigmaFloor: number;
  /** The original fit ran the local refinement after its label-consistent EM. */
  refine: boolean;
  backend: BackendName;
  /** The curves of the inference kernels (E of them, their order; see assembly/infer.ts). */
  keys: CurveKey[];
  /** Indices into keys of the curves a fit reports (all but the dispersion of a family without one). */
  reported: number[];
}

/**
 * The curves the inference kernels compute, in their order (see assembly/infer.ts):
 * the dispersion slot is named by the family's dispersion ("sigma", "theta"), or
 * "sigma" (φ = 1, not reported) for a family without one.
 */
function curveKeys(K: number, zNames: string[], xNames: string[], dispersion: "sigma" | "theta" | null): CurveKey[] {
  const keys: CurveKey[] = [];
  const part = dispersion ?? "sigma";
  for (let c = 0; c < K; c++) {
    for (const term of zNames) keys.push({ part: "expert", component: c + 1, term });
    keys.push({ part, component: c + 1, term: part });
  }
  for (let c = 0; c < K; c++) for (const term of xNames) keys.push({ part: "gating", component: c + 1, term });
  return keys;
}

function sameNames(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * Validates `fitResult` (from fit()) and `data` (what it was fitted to) and returns
 * the model in internal form. Nothing the caller passed is mutated.
 */
export function rebuildModel(fitResult: VCMoEFit, data: VCMoEData, backendOption?: BackendName): FittedModel {
  checkFitResult(fitResult);
  const model = fitResult.model;
  const P = fitResult.parameters;
  const family = lookupFamily(model.family);
  if (!family) throw new VCMoEInputError("fitResult.model.family", `is not a known family: ${JSON.stringify(model.family)}`);
  if (!(model.bandwidth > 0)) throw new VCMoEInputError("fitResult", "is not a varying-coefficient fit (no bandwidth)");
  const raw = prepareData(data, { intercept: model.intercept, missing: model.droppedRows > 0 ? "drop" : "error" });
  const uMax = raw.uMin + raw.uRange;
  const tolU = 1e-9 * Math.max(1, Math.abs(model.uMin), Math.abs(model.uMax));
  if (raw.n !== model.n || !sameNames(raw.zNames, model.zNames) || !sameNames(raw.xNames, model.xNames)
    || Math.abs(raw.uMin - model.uMin) > tolU || Math.abs(uMax - model.uMax) > tolU) {
    throw new VCMoEInputError("data", `does not match the data of this fit (fit: n = ${model.n}, expert terms ${model.zNames.join(", ")}, gating terms ${model.xNames.join(", ")}, u in [${model.uMin}, ${model.uMax}]; got n = ${raw.n}, ${raw.zNames.join(", ")}, ${raw.xNames.join(", ")}, [${raw.uMin}, ${uMax}])`);
  }
  applyFamily(raw, family);
  checkSameData(model.dataFingerprint, raw);
  const { ds, scaling } = internalData(raw, family);
  // (checkFitResult checked the parameter lengths against the model's terms, which match the data's)
  const K = model.K, m = P.gridUnit.length, q = ds.q, p = ds.p;
  const grid = Float64Array.from(P.gridUnit);
  const local = localGrid(ds, grid, model.bandwidth, model.kernel, "fitResult.model.bandwidth");
  const params = tableToInternal(P, m, scaling);
  const keys = curveKeys(K, ds.zNames, ds.xNames, family.dispersion);
  return {
    ds, scaling, factors: keys.map((k) => coefficientFactor(scaling, ds, k.part, k.term)), K, family: model.family,
    constantDispersion: model.dispersion === "constant", kernel: model.kernel, method: model.method,
    h: model.bandwidth, grid, gridU: Array.from(grid, (g) => ds.uMin + g * ds.uRange), local, params,
    sigmaFloor: model.sigmaFloor / dispersionFactor(scaling), backend: resolveBackend(backendOption ?? model.backend),
    refine: model.method === "label-consistent" && fitResult.diagnostics?.refinement !== undefined,
    keys, reported: keys.flatMap((k, e) => (k.part === "expert" || k.part === "gating" || family.dispersion ? [e] : [])),
  };
}

/** The model's data and parameters written into a fresh core. */
export interface ModelInCore {
  core: Core;
  data: CoreData;
  state: GridState;
}

export async function loadIntoCore(fm: Pick<FittedModel, "ds" | "K" | "family" | "constantDispersion" | "local" | "params" | "backend">): Promise<ModelInCore> {
  const core = await createCore(fm.backend);
  const data = new CoreData(core, fm.ds, fm.K, FAMILIES[fm.family], { constantDispersion: fm.constantDispersion });
  const state = new GridState(data, fm.local);
  state.write(fm.params);
  return { core, data, state };
}
