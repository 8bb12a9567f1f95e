// Choice of the number of components by BIC and ICL with the effective number of
// parameters of the local-linear smoother.
import { validateCallback } from "../parallel/pool.js";
import { validateSignal } from "../core/abort.js";
import { resolveBackend } from "../core/backend.js";
import { prepareData, type VCMoEData } from "../data/dataset.js";
import { VCMoEFitError, VCMoEInputError } from "../errors.js";
import { FIT_OPTION_KEYS, makeSpec, type FitOptions } from "../model/spec.js";
import { checkOptionKeys, optionKeys } from "../data/optionKeys.js";
import { bandwidthWarning } from "../model/bandwidthWarning.js";
import { applyFamily, familyOf } from "../model/families/index.js";
import { fitSettingsOf } from "./bandwidth.js";
import { plainDataFrom } from "./plainData.js";
import { ruleOfThumbFor } from "../model/ruleOfThumb.js";
import { runKTask, runTasks, type KContext, type KTask, type KTaskResult, type TaskProgress } from "./tasks.js";

export interface SelectKOptions extends Omit<FitOptions, "K"> {
  /** Numbers of components to compare, each 1..10 (default [1, 2, 3, 4, 5]); 1 = no mixture. */
  candidates?: number[];
  /** Called after each K is fitted. */
  onProgress?: (p: TaskProgress<KTaskResult>) => void;
  /** Aborts between fits (the promise rejects with the signal's reason). */
  signal?: AbortSignal;
}

const SELECT_K_OPTION_KEYS = optionKeys<SelectKOptions>()([...FIT_OPTION_KEYS.filter((k) => k !== "K") as Array<Exclude<keyof FitOptions, "K">>,
  "candidates", "onProgress", "signal"]);

export interface KSelection {
  candidates: number[];
  /** One row per candidate K: log-likelihood, effective df, entropy, BIC, ICL (null where the fit was impossible). */
  scores: KTaskResult[];
  /** K with the smallest BIC and the smallest ICL. */
  chosen: { bic: number; icl: number };
  /** Bandwidth used for every K (unit u scale): the caller's or the rule of thumb. */
  bandwidth: number;
  warnings: string[];
}

/**
 * Compares numbers of components by BIC = −2ℓ + df·log n and ICL = BIC + 2·EN,
 * where ℓ is the observed-data log-likelihood, df the effective number of
 * parameters (trace of the smoother, see effectiveDegreesOfFreedom), n the rows
 * with positive weight and EN = −Σ_i w_i Σ_c r_ic log r_ic the posterior entropy.
 * Smaller is better. Every K uses the same bandwidth (options.bandwidth or the rule
 * of thumb). K = 1 is the varying-coefficient regression without a mixture.
 *
 * @example
 * const sim = await simulate({ n: 600, seed: 1, scenario: "sep3" });
 * const sel = await selectK(sim.data, { candidates: [1, 2, 3, 4], bandwidth: 0.25 });
 * sel.chosen.bic; // 3
 */
export async function selectK(data: VCMoEData, options: SelectKOptions = {}): Promise<KSelection> {
  if (typeof options !== "object" || options === null) throw new VCMoEInputError("options", "must be an object");
  if ((options as { K?: unknown }).K !== undefined) throw new VCMoEInputError("options.K", "is chosen by selectK; pass candidates instead");
  checkOptionKeys("options", options, SELECT_K_OPTION_KEYS, "an option of selectK()");
  const ds = prepareData(data, options);
  // the family's checks and completion (binomial: default trials) before the rows are shipped to the tasks
  applyFamily(ds, familyOf(options.family));
  const candidates = options.candidates === undefined ? [1, 2, 3, 4, 5] : Array.from(options.candidates);
  if (candidates.length === 0) throw new VCMoEInputError("options.candidates", "is empty");
  candidates.forEach((K, k) => {
    if (typeof K !== "number" || !Number.isInteger(K) || K < 1 || K > 10) throw new VCMoEInputError("options.candidates", `value ${k} must be an integer from 1 to 10, got ${String(K)}`);
  });
  if (new Set(candidates).size !== candidates.length) throw new VCMoEInputError("options.candidates", "has repeated values");
  validateCallback("options.onProgress", options.onProgress);
  validateSignal("options.signal", options.signal);
  const kernel = options.kernel ?? "epanechnikov";
  if (kernel !== "epanechnikov" && kernel !== "gaussian") throw new VCMoEInputError("options.kernel", `must be 'epanechnikov' or 'gaussian', got ${JSON.stringify(kernel)}`);
  // every option but K is validated here, so that only "this K cannot be fitted to these data" is left to the tasks
  makeSpec({ ...options, K: Math.min(...candidates) }, ds, 1);
  const bandwidth = options.bandwidth ?? ruleOfThumbFor(ds, kernel);
  const backend = resolveBackend(options.backend);
  const ctx: KContext = { data: plainDataFrom(data, ds), fit: { ...fitSettingsOf({ ...options, bandwidth }), backend } };
  const tasks: KTask[] = candidates.map((K) => ({ kind: "select-k", K }));
  // worker pool: replace this call by the pool's map over `tasks` with `ctx` shipped once per worker
  const scores = await runTasks(ctx, tasks, runKTask, { onProgress: options.onProgress, signal: options.signal });
  const argmin = (key: "bic" | "icl") => {
    let best: KTaskResult | null = null;
    for (const s of scores) if (s[key] !== null && (best === null || s[key]! < best[key]!)) best = s;
    return best;
  };
  const bBic = argmin("bic"), bIcl = argmin("icl");
  if (!bBic || !bIcl) throw new VCMoEFitError(`no candidate K could be fitted: ${scores[0].error ?? "unknown reason"}`);
  const warnings: string[] = [];
  const hWarning = bandwidthWarning(bandwidth);
  if (hWarning) warnings.push(hWarning);
  for (const s of scores) {
    if (s.error) warnings.push(`K = ${s.K} could not be fitted: ${s.error}`);
    else if (s.degenerate) warnings.push(`the K = ${s.K} fit is degenerate (see its warnings)`);
  }
  const maxK = Math.max(...candidates);
  if (bBic.K === maxK && candidates.length > 1) warnings.push(`BIC chose the largest candidate K = ${maxK}: larger K may fit better`);
  return { candidates, scores, chosen: { bic: bBic.K, icl: bIcl.K }, bandwidth, warnings };
}
