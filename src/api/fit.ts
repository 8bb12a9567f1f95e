// Public entry points: fit() (varying-coefficient mixture of experts) and
// fitConstant() (the ordinary, constant-coefficient mixture of experts). The fitting
// pipelines are in src/fit/pipeline.ts, the result types in src/model/result.ts.
import type { VCMoEData } from "../data/dataset.js";
import { fitConstantModel, fitModelWithData } from "../fit/pipeline.js";
import type { ConstantFit, VCMoEFit } from "../model/result.js";
import { CONSTANT_FIT_OPTION_KEYS, FIT_OPTION_KEYS, type ConstantFitOptions, type FitOptions } from "../model/spec.js";
import { checkOptionKeys } from "../data/optionKeys.js";
import { checkpoint } from "../core/abort.js";
import { completeConstantFit, completeFit } from "./methods.js";

/**
 * Fits a varying-coefficient mixture of experts by kernel-weighted local-linear
 * likelihood.
 *
 * @example
 * const res = await fit({ y, u, z: { z1 }, x: { x1 } }, { K: 2, bandwidth: 0.25, seed: 1 });
 * res.curves.find((c) => c.part === "expert" && c.component === 1 && c.term === "z1")!.values;
 */
export async function fit(data: VCMoEData, options: FitOptions): Promise<VCMoEFit> {
  checkOptionKeys("options", options, FIT_OPTION_KEYS, "an option of fit()");
  const { res, raw } = await fitModelWithData(data, options, 2);
  await checkpoint(options.signal);
  return completeFit(res, data, raw);
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
  checkOptionKeys("options", options, CONSTANT_FIT_OPTION_KEYS, "an option of fitConstant()");
  return completeConstantFit(await fitConstantModel(data, options), data, options);
}
