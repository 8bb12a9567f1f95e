// Binomial experts (y successes of m trials), logit link:
// log f = y η − m log(1 + e^η) + log C(m, y)  (no dispersion: φ = 1).
import { exp, log } from "../mathx";
import { lgamma, softplusFrom, logisticFrom } from "../special";
import { setTerms, TERMS, T_WEIGHT } from "./terms";

/** log f(y | η, m), lc = log C(m, y). */
// @ts-ignore: decorator
@inline export function binomialLogDensity(y: f64, eta: f64, m: f64, lc: f64): f64 {
  const e = exp(-Math.abs(eta));
  return lc + y * eta - m * softplusFrom(eta, e);
}

/**
 * IRLS terms at η with weight a (see families/terms.ts; the fitted sums are the expected
 * successes and failures, both needed by the boundary check); returns a·(y η − m log(1 + e^η))
 * when needValue.
 */
// @ts-ignore: decorator
@inline export function binomialTerms(y: f64, eta: f64, m: f64, a: f64, needValue: bool): f64 {
  const e = exp(-Math.abs(eta));
  const sg = logisticFrom(eta, e);
  setTerms(y - m * sg, m * sg * (1.0 - sg), a * m * sg, a * m * (eta > 0.0 ? e / (1.0 + e) : 1.0 / (1.0 + e)));
  return needValue ? a * (y * eta - m * softplusFrom(eta, e)) : 0.0;
}

/** The row constant log C(m, y). */
// @ts-ignore: decorator
@inline export function binomialConstant(y: f64, m: f64): f64 {
  return lgamma(m + 1.0) - lgamma(y + 1.0) - lgamma(m - y + 1.0);
}

/** Data start: working response logit((y + ½)/(m + 1)) and its weight (0 without trials: skip the row). */
// @ts-ignore: decorator
@inline export function binomialStart(y: f64, m: f64): f64 {
  if (m == 0.0) { unchecked(TERMS[T_WEIGHT] = 0.0); return 0.0; }
  const p0 = (y + 0.5) / (m + 1.0);
  unchecked(TERMS[T_WEIGHT] = m * p0 * (1.0 - p0));
  return log(p0 / (1.0 - p0));
}
