// Turning core state into the plain-JSON result objects users see.
import type { Dataset } from "../data/dataset.js";
import { splitRows } from "../data/columns.js";
import { centredGating } from "./align.js";
import type { GridParams } from "./workspace.js";
import type { Curve } from "../model/result.js";


/**
 * Curves on the grid. Gating coefficients are reported as centred logits γ_c − mean_k γ_k.
 * `dispersion` names the family's phi curve ('sigma', 'theta'), or null when it has none.
 */
export function makeCurves(P: GridParams, ds: Dataset, K: number, dispersion: "sigma" | "theta" | null = "sigma"): Curve[] {
  const { q, p } = ds;
  const m = P.m;
  const curves: Curve[] = [];
  for (let c = 0; c < K; c++) {
    for (let k = 0; k < q; k++) {
      curves.push({ part: "expert", component: c + 1, term: ds.zNames[k], values: Array.from({ length: m }, (_, j) => P.alpha[(j * K + c) * q + k]) });
    }
    if (dispersion) curves.push({ part: dispersion, component: c + 1, term: dispersion, values: Array.from({ length: m }, (_, j) => P.phi[j * K + c]) });
  }
  const cgs = Array.from({ length: m }, (_, j) => centredGating(P.gamma, j, K, p));
  for (let c = 0; c < K; c++) {
    for (let k = 0; k < p; k++) {
      curves.push({ part: "gating", component: c + 1, term: ds.xNames[k], values: cgs.map((cg) => cg[c * p + k]) });
    }
  }
  return curves;
}

/** Posterior matrix (sorted rows, n×K flat) back in the caller's row order, as rows of K numbers. */
export function posteriorsInCallerOrder(R: Float64Array, ds: Dataset, K: number): number[][] {
  return splitRows(R.subarray(0, ds.n * K), K, ds.order);
}


export function toArray(a: Float64Array): number[] {
  return Array.from(a);
}
