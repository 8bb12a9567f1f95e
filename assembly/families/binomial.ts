// Binomial experts (y successes of m trials), logit link:
// log f = y η − m log(1 + e^η) + log C(m, y)  (no dispersion: φ = 1).
import { exp, log } from "../mathx";
import { lgamma, softplusFrom, logisticFrom, softplusPairFrom } from "../special";
import { setTerms, setTermsB, TERMS, T_WEIGHT, DENSITY_PAIR, TERM_VALUES } from "./terms";
import { exp2x, PAIR } from "../simd";

/** log f(y | η, m), lc = log C(m, y). */
// @ts-ignore: decorator
@inline export function binomialLogDensity(y: f64, eta: f64, m: f64, lc: f64): f64 {
  const e = exp(-Math.abs(eta));
  return lc + y * eta - m * softplusFrom(eta, e);
}

/**
 * binomialLogDensity of one row under two components (η0, η1) into DENSITY_PAIR, bit-identical
 * to two calls: the exps in one exp2x, and softplusFrom's log1p with its logs in one log2x.
 */
// @ts-ignore: decorator
@inline export function binomialLogDensityPair(y: f64, eta0: f64, eta1: f64, m: f64, lc: f64): void {
  exp2x(-Math.abs(eta0), -Math.abs(eta1));
  softplusPairFrom(eta0, unchecked(PAIR[0]), eta1, unchecked(PAIR[1]));
  unchecked(DENSITY_PAIR[0] = lc + y * eta0 - m * unchecked(PAIR[0]));
  unchecked(DENSITY_PAIR[1] = lc + y * eta1 - m * unchecked(PAIR[1]));
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

/** binomialTerms of two rows (A into TERMS, B into TERMS_B; values into TERM_VALUES): their exps in one exp2x and, for the values, softplusFrom's logs in one log2x (bit-identical lanes). */
// @ts-ignore: decorator
@inline export function binomialTermsPair(yA: f64, etaA: f64, mA: f64, aA: f64, yB: f64, etaB: f64, mB: f64, aB: f64, needValue: bool): void {
  exp2x(-Math.abs(etaA), -Math.abs(etaB));
  const eA = unchecked(PAIR[0]), eB = unchecked(PAIR[1]);
  const sA = logisticFrom(etaA, eA), sB = logisticFrom(etaB, eB);
  setTerms(yA - mA * sA, mA * sA * (1.0 - sA), aA * mA * sA, aA * mA * (etaA > 0.0 ? eA / (1.0 + eA) : 1.0 / (1.0 + eA)));
  setTermsB(yB - mB * sB, mB * sB * (1.0 - sB), aB * mB * sB, aB * mB * (etaB > 0.0 ? eB / (1.0 + eB) : 1.0 / (1.0 + eB)));
  if (!needValue) return;
  softplusPairFrom(etaA, eA, etaB, eB);
  unchecked(TERM_VALUES[0] = aA * (yA * etaA - mA * unchecked(PAIR[0])));
  unchecked(TERM_VALUES[1] = aB * (yB * etaB - mB * unchecked(PAIR[1])));
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
