// Structural check of a fit() result handed back to predict() or the inference
// functions. A result is plain data, so callers store, edit and reload it; a damaged
// one must be refused with an error naming the field, not turn into NaN predictions,
// a TypeError or a trap in the core (all three were found by the fuzz harness).
import { VCMoEInputError } from "../errors.js";
import { lookupFamily } from "./families/index.js";
import type { VCMoEFit } from "./result.js";

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === "string");

/**
 * Checks what predict() and the inference functions read from a fit result: the model
 * fields (K, family, term names, u range) and the grid parameters (lengths m·K·q, m·K,
 * m·K·p, finite values, positive dispersion, a strictly increasing grid).
 */
export function checkFitResult(fitResult: unknown, argument = "fitResult"): asserts fitResult is VCMoEFit {
  if (typeof fitResult !== "object" || fitResult === null || Array.isArray(fitResult)) {
    throw new VCMoEInputError(argument, "must be the result of fit()");
  }
  const { model, parameters: P } = fitResult as Partial<VCMoEFit>;
  if (typeof model !== "object" || model === null || typeof P !== "object" || P === null || !Array.isArray(P.gridUnit)) {
    throw new VCMoEInputError(argument, "must be the result of fit() (a varying-coefficient fit with model and parameters)");
  }
  const bad = (field: string, message: string) => new VCMoEInputError(`${argument}.${field}`, message);
  const { K } = model;
  if (typeof K !== "number" || !Number.isInteger(K) || K < 1 || K > 10) throw bad("model.K", `must be an integer from 1 to 10, got ${JSON.stringify(K)}`);
  const family = lookupFamily(model.family);
  if (!family) throw bad("model.family", `is not a known family, got ${JSON.stringify(model.family)}`);
  if (!isStringArray(model.zNames) || model.zNames.length === 0) throw bad("model.zNames", "must be the expert term names");
  if (!isStringArray(model.xNames) || model.xNames.length === 0) throw bad("model.xNames", "must be the gating term names");
  if (!Number.isFinite(model.uMin) || !Number.isFinite(model.uMax) || !(model.uMax - model.uMin > 0) || !Number.isFinite(model.uMax - model.uMin)) {
    throw bad("model.uMax", `the u range [${model.uMin}, ${model.uMax}] must be finite and non-empty`);
  }
  const grid = P.gridUnit;
  if (grid.length < 2 || !grid.every((g, j) => Number.isFinite(g) && (j === 0 || g > grid[j - 1]))) {
    throw bad("parameters.gridUnit", "must be at least 2 strictly increasing finite grid points");
  }
  const m = grid.length, q = model.zNames.length, p = model.xNames.length;
  const need: Array<["alpha" | "alphaS" | "phi" | "gamma" | "gammaS", number]> = [["alpha", m * K * q], ["alphaS", m * K * q], ["phi", m * K], ["gamma", m * K * p], ["gammaS", m * K * p]];
  for (const [k, len] of need) {
    const v = P[k] as unknown;
    if (!Array.isArray(v) || v.length !== len || !v.every(Number.isFinite)) throw bad(`parameters.${k}`, `must hold ${len} finite numbers (grid points × K × terms)`);
  }
  if (family.dispersion !== null && !P.phi.every((v) => v > 0)) throw bad("parameters.phi", `${family.dispersion} must be positive`);
}
