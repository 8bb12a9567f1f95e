// standardErrors(): sandwich standard errors of every coefficient curve at every
// grid point and pointwise confidence intervals.
import type { BackendName } from "../core/backend.js";
import type { VCMoEData } from "../data/dataset.js";
import type { VCMoEFit } from "../model/result.js";
import { VCMoEInputError } from "../errors.js";
import { checkOptionKeys, optionKeys } from "../data/optionKeys.js";
import { loadIntoCore, rebuildModel, type CurveKey, type FittedModel, type ModelInCore } from "./model.js";
import { Sandwich, type SandwichResult } from "./sandwich.js";
import { INFER_OPG, INFER_SINGULAR } from "../core/generated/constants.js";
import { normalQuantile } from "./normal.js";

export interface StandardErrorOptions {
  /** Confidence level of the pointwise intervals (default 0.95). */
  level?: number;
  /** Core to compute on (default: the fit's backend). */
  backend?: BackendName;
  /** Also return each curve's m×m covariance matrix across the grid points (default false). */
  covariance?: boolean;
}

const STANDARD_ERROR_OPTION_KEYS = optionKeys<StandardErrorOptions>()(["level", "backend", "covariance"]);

export interface CurveStandardErrors extends CurveKey {
  estimate: number[];
  se: number[];
  /** Pointwise interval estimate ∓ z·se. */
  lower: number[];
  upper: number[];
  /** Cov(β̂(u_j), β̂(u_k)) as rows (only with options.covariance). */
  covariance?: number[][];
}

export interface StandardErrors {
  level: number;
  /** z = Φ⁻¹(1 − (1 − level)/2). */
  z: number;
  /** Grid points (caller's u scale). */
  grid: number[];
  curves: CurveStandardErrors[];
  /**
   * Grid points (u) where the observed local information was not positive definite,
   * so its outer-product form Σ w K ā āᵀ stood in for the Hessian.
   */
  outerProduct: number[];
  /** Grid points (u) where no standard error could be computed (se NaN). */
  singular: number[];
  warnings: string[];
}

export function validateLevel(argument: string, v: unknown): number {
  if (v === undefined) return 0.95;
  if (typeof v !== "number" || !(v > 0 && v < 1) || v > 1 - 1e-9) throw new VCMoEInputError(argument, `must be a number in (0, 1), e.g. 0.95; got ${String(v)}`);
  return v;
}

/** Runs the sandwich kernel for the original fit. */
export async function originalSandwich(fm: FittedModel, storePsi: boolean): Promise<{ mc: ModelInCore; sw: Sandwich; res: SandwichResult }> {
  const mc = await loadIntoCore(fm);
  const sw = new Sandwich(mc.state, storePsi);
  return { mc, sw, res: sw.compute() };
}

export function flaggedGridPoints(fm: FittedModel, res: SandwichResult): { outerProduct: number[]; singular: number[]; warnings: string[] } {
  const status = res.status;
  const outerProduct: number[] = [], singular: number[] = [], warnings: string[] = [];
  status.forEach((s, j) => {
    if (s & INFER_SINGULAR) singular.push(fm.gridU[j]);
    else if (s & INFER_OPG) outerProduct.push(fm.gridU[j]);
  });
  if (outerProduct.length) warnings.push(`the local observed information was not positive definite at ${outerProduct.length} grid point(s) (u = ${outerProduct.map((u) => u.toPrecision(3)).join(", ")}); its outer-product form was used there`);
  if (singular.length) warnings.push(`no standard errors at ${singular.length} grid point(s): singular local information`);
  // a dispersion that is not a free local parameter (constant in u, or θ at a bound)
  const E = fm.keys.length;
  let fixed = 0;
  for (const e of fm.reported) {
    if (fm.keys[e].part !== "sigma" && fm.keys[e].part !== "theta") continue;
    status.forEach((s, j) => { if (!(s & INFER_SINGULAR) && Number.isNaN(res.se[j * E + e])) fixed++; });
  }
  if (fixed) warnings.push(`the dispersion was held fixed at ${fixed} grid point/component pair(s) (constant in u, or θ at a bound): no local standard error there`);
  return { outerProduct, singular, warnings };
}

/** Splits the kernel's [j*E + e] layout into one array per curve, times `factor` (internal → caller's scale, FittedModel.factors). */
export function perCurve(a: Float64Array, m: number, E: number, e: number, factor = 1): number[] {
  return Array.from({ length: m }, (_, j) => a[j * E + e] * factor);
}

/**
 * Sandwich standard errors H⁻¹SH⁻¹ of the local observed-data log-likelihood of
 * the mixture at each grid point, for every curve of the fit (expert coefficients,
 * σ, centred gating logits), with pointwise intervals β̂ ± z·se. They describe the
 * variability of β̂(u) around its mean; the smoothing bias is not included (see
 * docs/inference.md: undersmooth for intervals that cover the true curve).
 *
 * @example
 * const res = await fit(data, { K: 2, bandwidth: 0.1 });
 * const se = await standardErrors(res, data, { level: 0.95 });
 * se.curves[0].se; // standard errors of the first curve along the grid
 */
export async function standardErrors(fitResult: VCMoEFit, data: VCMoEData, options: StandardErrorOptions = {}): Promise<StandardErrors> {
  if (typeof options !== "object" || options === null) throw new VCMoEInputError("options", "must be an object");
  checkOptionKeys("options", options, STANDARD_ERROR_OPTION_KEYS, "an option of standardErrors()");
  const level = validateLevel("options.level", options.level);
  const fm = rebuildModel(fitResult, data, options.backend);
  const wantCov = options.covariance === true;
  const { sw, res } = await originalSandwich(fm, wantCov);
  const z = normalQuantile(1 - (1 - level) / 2);
  const { m, E } = sw;
  const flags = flaggedGridPoints(fm, res);
  const curves = fm.reported.map((e): CurveStandardErrors => {
    const key = fm.keys[e];
    const f = fm.factors[e];
    const estimate = perCurve(res.est, m, E, e, f), se = perCurve(res.se, m, E, e, f);
    const out: CurveStandardErrors = {
      ...key, estimate, se,
      lower: estimate.map((v, j) => v - z * se[j]),
      upper: estimate.map((v, j) => v + z * se[j]),
    };
    if (wantCov) {
      const C = sw.covariance(e);
      out.covariance = Array.from({ length: m }, (_, j) => Array.from(C.subarray(j * m, (j + 1) * m), (v) => v * f * f));
    }
    return out;
  });
  return { level, z, grid: fm.gridU, curves, ...flags };
}
