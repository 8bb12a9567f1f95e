// Integrated squared error of fitted curves against known true curves: the
// yardstick of bandwidth studies (e.g. the ISE-optimal bandwidth on simulated data).
import type { VCMoEFit } from "../model/result.js";
import { VCMoEInputError } from "../errors.js";
import type { TrueCurves } from "./scenarios.js";
import { permutations } from "../fit/align.js";

export type CurvePart = "expert" | "sigma" | "gating";

export interface IseResult {
  /** Sum over the requested parts, components and coefficients of ∫ (fitted − true)² dt over the grid, t = u rescaled to [0, 1]. */
  total: number;
  byPart: Record<CurvePart, number>;
  /** permutation[c] = true component (0-based) matched to fitted component c (the one minimising `total`). */
  permutation: number[];
}

/**
 * Integrated squared error of a fit's curves against the truth (trapezoid rule over
 * the fit's grid on the unit u scale), labels matched by the best permutation.
 * The truth's coefficients must be in the order of the fit's `model.zNames` /
 * `model.xNames` (intercept first), as simulate()'s truth is; gating curves compare
 * centred logits. Default parts: expert coefficients and sigma.
 *
 * @example
 * const sim = await simulate({ n: 500, seed: 1 });
 * const res = await fit(sim.data, { K: 2, bandwidth: 0.2 });
 * integratedSquaredError(res, sim.truth).total;
 */
export function integratedSquaredError(fitResult: VCMoEFit, truth: (u: number) => TrueCurves, parts: CurvePart[] = ["expert", "sigma"]): IseResult {
  if (!fitResult?.model || !fitResult.parameters) throw new VCMoEInputError("fitResult", "must be the result of fit()");
  if (typeof truth !== "function") throw new VCMoEInputError("truth", "must be a function u => TrueCurves");
  const { K, zNames, xNames } = fitResult.model;
  const grid = fitResult.grid, t = fitResult.parameters.gridUnit, m = grid.length;
  const tv = grid.map((u) => truth(u));
  if (tv[0].alpha.length !== K) throw new VCMoEInputError("truth", `has ${tv[0].alpha.length} components, the fit has ${K}`);
  // err[part][c][c'] = ISE of fitted component c against true component c'
  const err: Record<CurvePart, number[][]> = {
    expert: Array.from({ length: K }, () => new Array(K).fill(0)),
    sigma: Array.from({ length: K }, () => new Array(K).fill(0)),
    gating: Array.from({ length: K }, () => new Array(K).fill(0)),
  };
  for (const cv of fitResult.curves) {
    if (cv.part === "theta") continue; // the negative-binomial size has no ISE part (Gaussian-oriented summary)
    const c = cv.component - 1;
    const k = cv.part === "expert" ? zNames.indexOf(cv.term) : cv.part === "gating" ? xNames.indexOf(cv.term) : 0;
    for (let ct = 0; ct < K; ct++) {
      const truthVal = (j: number) => (cv.part === "expert" ? tv[j].alpha[ct][k] : cv.part === "sigma" ? tv[j].sigma[ct] : tv[j].gamma[ct][k]);
      let s = 0;
      for (let j = 0; j + 1 < m; j++) {
        const d0 = cv.values[j] - truthVal(j), d1 = cv.values[j + 1] - truthVal(j + 1);
        s += 0.5 * (d0 * d0 + d1 * d1) * (t[j + 1] - t[j]);
      }
      err[cv.part][c][ct] += s;
    }
  }
  let best: IseResult | null = null;
  for (const perm of permutations(K)) {
    const byPart = { expert: 0, sigma: 0, gating: 0 };
    for (const part of ["expert", "sigma", "gating"] as CurvePart[]) for (let c = 0; c < K; c++) byPart[part] += err[part][c][perm[c]];
    const total = parts.reduce((a, p) => a + byPart[p], 0);
    if (best === null || total < best.total) best = { total, byPart, permutation: perm };
  }
  return best!;
}
