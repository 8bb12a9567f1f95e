// Effective number of parameters of a fitted varying-coefficient mixture: the
// traces of its local smoothers (assembly/smoother.ts), used by BIC and ICL.
import type { VCMoEFit } from "../model/result.js";
import { withCore } from "../core/backend.js";
import { prepareData, type Dataset, type VCMoEData } from "../data/dataset.js";
import { VCMoEInputError } from "../errors.js";
import { checkSameData } from "../data/fingerprint.js";
import { applyFamily, FAMILIES, familyOf } from "../model/families/index.js";
import { localGrid } from "../model/grid.js";
import { kernelCode } from "../model/kernel.js";
import { internalData, tableToInternal } from "../fit/scaling.js";
import { auxColumns } from "../core/aux.js";
import { emptyMasks, masksOfIds, type HybridMasks } from "../model/constants.js";

/**
 * Effective degrees of freedom of a fit, split by curve family. With the
 * posteriors r_ic of the fit held fixed, each part is the trace of the map from
 * observations to fitted values at the observations' own u (grid estimates
 * interpolated as in the E-step):
 * - expert c: Σ_i ∂ŷ_ic/∂y_i = Σ_i Σ_{j∈{jl(i),jr(i)}} λ_ij · [z_i,0]ᵀ (D_jᵀW_jcD_j)⁻¹ [z_i, z_i s_ij] · K(s_ij) w_i r_ic,
 *   the local-linear hat diagonal with weights K·w·r (λ_ij the interpolation weights);
 *   GLM experts: the weights also carry the row's IRLS working weight (the hat matrix of IRLS at convergence);
 * - sigma c (the dispersion: σ, or a varying negative-binomial θ; none for Poisson and binomial, 1 for a
 *   constant θ): the same for the locally constant weighted variance, Σ_i Σ_j λ_ij K(s_ij) w_i r_ic / Σ_k K(s_kj) w_k r_kc;
 * - gating: Σ_i Σ_j λ_ij K(s_ij) w_i tr(V_ij X̃_i H_j⁻¹ D_ijᵀ), the self-influence of the soft labels on the fitted
 *   probabilities of the kernel-weighted multinomial logit (H_j its local information, V_ij the multinomial covariance).
 * Each part equals its parameter count for a flat kernel (2q per expert, 1 per sigma, 2p(K−1) for the gating:
 * a global fit linear in u) and grows roughly like 1/h as the bandwidth shrinks.
 * Hybrid fits: a constant coefficient counts 1 and enters the traces of its part's local fits as an offset
 * (tr(varying smoother) + number of constants, the usual count for a partially linear fit); an all-constant
 * hybrid fit's df is the constant mixture's parameter count.
 */
export interface EffectiveDf {
  total: number;
  /** Per component (index c−1). */
  expert: number[];
  sigma: number[];
  gating: number;
  /** Grid points where a local system needed a ridge or had no weight (their share may be understated). */
  irregularGridPoints: number;
}

/** The constant coefficients of a hybrid fit as masks (all zero for a varying-coefficient fit). */
function fitMasks(res: VCMoEFit): HybridMasks {
  const { K, zNames, xNames } = res.model;
  return res.constants ? masksOfIds(res.constants.estimates, { zNames, xNames }, K) : emptyMasks(K, zNames.length, xNames.length);
}

/** Same computation from an already prepared data set (rows sorted as in the fit). @internal */
export async function effectiveDfFromDataset(fitResult: VCMoEFit, raw: Dataset): Promise<EffectiveDf> {
  const { model } = fitResult;
  const { K } = model;
  // the traces are invariant to the units; computed on the fit's internal scale (src/fit/scaling.ts) like the fit
  const { ds, scaling } = internalData(raw, FAMILIES[model.family]);
  const P = tableToInternal(fitResult.parameters, fitResult.parameters.gridUnit.length, scaling);
  const { n, q, p } = ds;
  const grid = Float64Array.from(fitResult.parameters.gridUnit);
  const m = grid.length;
  const geo = localGrid(ds, grid, model.bandwidth, model.kernel).geometry;
  const R = new Float64Array(n * K);
  for (let r = 0; r < n; r++) {
    const row = fitResult.posteriors[ds.order[r]];
    for (let c = 0; c < K; c++) R[r * K + c] = row[c];
  }
  const masks = fitMasks(fitResult);
  return withCore(model.backend, (core) => {
    const trE = core.f64(m * K), trS = core.f64(m * K), trG = core.f64(m), status = core.i32(m);
    const work = core.f64(core.kernels.smootherWorkSize(K, q, p));
    const family = FAMILIES[model.family];
    const rows = core.struct("Rows", {
      n, K, q, p, family: family.code, t: core.f64From(ds.t), y: core.f64From(ds.y), w: core.f64From(ds.w), Z: core.f64From(ds.Z), X: core.f64From(ds.X),
      aux: core.f64From(auxColumns(n, ds.offset, ds.trials)), R: core.f64From(R),
    });
    const curves = core.struct("Grid", {
      h: model.bandwidth, m, kernel: kernelCode(model.kernel), g: core.f64From(grid), lo: core.i32From(geo.lo), hi: core.i32From(geo.hi),
      jl: core.i32From(geo.jl), jr: core.i32From(geo.jr), lam: core.f64From(geo.lam),
      alpha: core.f64From(P.alpha), alphaS: core.f64From(P.alphaS), phi: core.f64From(P.phi),
      gamma: core.f64From(P.gamma), gammaS: core.f64From(P.gammaS), statusG: status,
    });
    const masksRef = core.struct("Masks", { constE: core.i32From(masks.constE), constS: core.i32From(masks.constS), constG: core.i32From(masks.constG) });
    core.kernels.smootherTrace(rows, curves, masksRef, 0, m, work, trE, trS, trG);
    const E = trE.view(), S = trS.view(), G = trG.view(), st = status.view();
    const expert = new Array<number>(K).fill(0), sigma = new Array<number>(K).fill(0);
    let gating = 0, irregular = 0;
    for (let j = 0; j < m; j++) {
      for (let c = 0; c < K; c++) { expert[c] += E[j * K + c]; sigma[c] += S[j * K + c]; }
      gating += G[j];
      if (st[j] !== 0) irregular++;
    }
    // one θ per component (options.dispersion 'constant'): a single parameter each
    if (model.dispersion === "constant") sigma.fill(1);
    // hybrid fits: each constant coefficient is one parameter (the traces above left it out)
    for (let c = 0; c < K; c++) {
      for (let k = 0; k < q; k++) expert[c] += masks.constE[c * q + k];
      if (masks.constS[c] && family.dispersion) sigma[c] = 1;
    }
    for (let c = 1; c < K; c++) for (let k = 0; k < p; k++) gating += masks.constG[c * p + k];
    const total = expert.reduce((a, b) => a + b, 0) + sigma.reduce((a, b) => a + b, 0) + gating;
    return { total, expert, sigma, gating, irregularGridPoints: irregular };
  });
}

/**
 * Effective degrees of freedom (trace of the smoother, see {@link EffectiveDf}) of
 * a fit; `data` must be the data the fit was made from.
 *
 * @example
 * const sim = await simulate({ n: 500, seed: 1 });
 * const res = await fit(sim.data, { K: 2, bandwidth: 0.2 });
 * const df = await effectiveDegreesOfFreedom(res, sim.data);
 * df.expert; // per component; each ≥ 4 = 2q, the count of a global fit linear in u
 * df.total;  // the df of BIC/ICL (see docs/model-choice.md)
 */
export async function effectiveDegreesOfFreedom(fitResult: VCMoEFit, data: VCMoEData): Promise<EffectiveDf> {
  if (!fitResult?.model || !fitResult.parameters || !fitResult.posteriors) throw new VCMoEInputError("fitResult", "must be the result of fit()");
  const { model } = fitResult;
  const ds = prepareData(data, { intercept: model.intercept, missing: model.droppedRows > 0 ? "drop" : "error" });
  if (ds.n !== model.n || ds.q !== model.zNames.length || ds.p !== model.xNames.length
    || ds.zNames.some((nm, k) => nm !== model.zNames[k]) || ds.xNames.some((nm, k) => nm !== model.xNames[k])) {
    throw new VCMoEInputError("data", "is not the data this fit was made from (rows or covariates differ)");
  }
  applyFamily(ds, FAMILIES[model.family]);
  checkSameData(model.dataFingerprint, ds);
  return effectiveDfFromDataset(fitResult, ds);
}
