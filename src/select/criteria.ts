// The entropy term and the information criteria of a fit, in one place so that a fit's
// statistics (api/methods.ts) and model choice (./tasks.ts) give the same numbers.
import { log } from "../core/detmath.js";
import type { FitStatistics } from "../model/result.js";

/** Σ_i w_i · (−Σ_c r_ic log r_ic) over the rows' posteriors: the entropy ICL adds to BIC. */
export function classificationEntropy(posteriors: number[][], w: ArrayLike<number>): number {
  let en = 0;
  posteriors.forEach((row, i) => {
    let e = 0;
    for (const r of row) if (r > 0) e -= r * log(r);
    en += w[i] * e;
  });
  return en;
}

/** AIC, BIC and ICL from ℓ, df, n and the entropy. */
export function informationCriteria(logLik: number, df: number, nobs: number, entropy: number): Pick<FitStatistics, "AIC" | "BIC" | "ICL"> {
  const BIC = -2 * logLik + df * log(nobs);
  return { AIC: -2 * logLik + 2 * df, BIC, ICL: BIC + 2 * entropy };
}
