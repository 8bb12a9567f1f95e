// Held-out (predictive) log-likelihood of a fitted model at new rows: the curves are
// interpolated along the fit's grid at each row's u (linearly extrapolated from the
// two end grid points outside it), exactly as in the label-consistent E-step.
import type { VCMoEFit } from "../model/result.js";
import { withCore } from "../core/backend.js";
import type { VCMoEData } from "../data/dataset.js";
import { FAMILIES } from "../model/families/index.js";
import { auxColumns } from "../core/aux.js";
import { gridBrackets, unitScale } from "../model/grid.js";

export interface HeldOut {
  /** Σ_i w_i log Σ_c π_c(x_i, u_i) f_c(y_i | z_i, u_i) over the rows. */
  logLik: number;
  rows: number;
  weight: number;
  /** Rows whose u lies outside the fit's grid (curves extrapolated). */
  extrapolated: number;
}

function design(names: string[], intercept: boolean, cols: Record<string, ArrayLike<number>> | undefined, n: number): Float64Array {
  const d = names.length;
  const M = new Float64Array(n * d);
  names.forEach((nm, k) => {
    const isIntercept = intercept && k === 0;
    const col = isIntercept ? null : cols![nm];
    for (let i = 0; i < n; i++) M[i * d + k] = isIntercept ? 1 : col![i];
  });
  return M;
}

/** Held-out log-likelihood of `fitResult` at the rows of `data` (which must carry every covariate of the fit). */
export async function heldOutLogLik(fitResult: VCMoEFit, data: VCMoEData & { weights: ArrayLike<number> }): Promise<HeldOut> {
  const { model, parameters: P } = fitResult;
  const { K } = model;
  const q = model.zNames.length, p = model.xNames.length;
  const n = data.y.length;
  const Z = design(model.zNames, model.intercept.expert, data.z as Record<string, ArrayLike<number>>, n);
  const X = design(model.xNames, model.intercept.gating, data.x as Record<string, ArrayLike<number>>, n);
  const range = model.uMax - model.uMin;
  const { jl, jr, lam, extrapolated } = gridBrackets(P.gridUnit, unitScale(data.u, model.uMin, range));
  let weight = 0;
  for (let i = 0; i < n; i++) weight += data.weights[i];
  return withCore(model.backend, (core) => {
    // GLM families: per-row offset and trials (default 1), and the density's constant term (assembly/family.ts)
    const fam = FAMILIES[model.family];
    const auxv = auxColumns(n, data.offset ?? null, fam.accepts.trials ? data.trials ?? new Float64Array(n).fill(1) : null);
    const rows = core.struct("Rows", {
      n, K, q, p, family: fam.code, y: core.f64From(data.y), w: core.f64From(data.weights),
      Z: core.f64From(Z), X: core.f64From(X), aux: core.f64From(auxv), R: core.f64(n * K), rowLL: core.f64(n),
    });
    core.kernels.familyRowConstants(rows);
    const curves = core.struct("Grid", {
      jl: core.i32From(jl), jr: core.i32From(jr), lam: core.f64From(lam),
      alpha: core.f64From(P.alpha), phi: core.f64From(P.phi), gamma: core.f64From(P.gamma),
    });
    const logLik = core.kernels.estepInterp(rows, curves);
    return { logLik, rows: n, weight, extrapolated };
  });
}
