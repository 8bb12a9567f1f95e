// Poisson experts, log link: log f = y η − e^η − log y!  (no dispersion: φ = 1).
import { exp, log } from "../mathx";
import { lgamma } from "../special";
import { setTerms, setTermsB, TERMS, T_WEIGHT, DENSITY_PAIR, TERM_VALUES } from "./terms";
import { exp2x, PAIR } from "../simd";

/** log f(y | η), lc = −log y!. */
// @ts-ignore: decorator
@inline export function poissonLogDensity(y: f64, eta: f64, lc: f64): f64 {
  return lc + y * eta - exp(eta);
}

/** poissonLogDensity of one row under two components (η0, η1) into DENSITY_PAIR: the two exps in one exp2x (bit-identical lanes). */
// @ts-ignore: decorator
@inline export function poissonLogDensityPair(y: f64, eta0: f64, eta1: f64, lc: f64): void {
  exp2x(eta0, eta1);
  unchecked(DENSITY_PAIR[0] = lc + y * eta0 - unchecked(PAIR[0]));
  unchecked(DENSITY_PAIR[1] = lc + y * eta1 - unchecked(PAIR[1]));
}

/** IRLS terms at η with weight a (see families/terms.ts); returns a·(y η − e^η) when needValue. */
// @ts-ignore: decorator
@inline export function poissonTerms(y: f64, eta: f64, a: f64, needValue: bool): f64 {
  const mu = exp(eta);
  setTerms(y - mu, mu, a * mu, 0.0);
  return needValue ? a * (y * eta - mu) : 0.0;
}

/** poissonTerms of two rows (A into TERMS, B into TERMS_B; values into TERM_VALUES): their exps in one exp2x (bit-identical lanes). */
// @ts-ignore: decorator
@inline export function poissonTermsPair(yA: f64, etaA: f64, aA: f64, yB: f64, etaB: f64, aB: f64, needValue: bool): void {
  exp2x(etaA, etaB);
  const muA = unchecked(PAIR[0]), muB = unchecked(PAIR[1]);
  setTerms(yA - muA, muA, aA * muA, 0.0);
  setTermsB(yB - muB, muB, aB * muB, 0.0);
  if (!needValue) return;
  unchecked(TERM_VALUES[0] = aA * (yA * etaA - muA));
  unchecked(TERM_VALUES[1] = aB * (yB * etaB - muB));
}

/** The row constant −log y!. */
// @ts-ignore: decorator
@inline export function poissonConstant(y: f64): f64 {
  return -lgamma(y + 1.0);
}

/** Data start: working response log(y + ½) (offset not removed) and its weight y + ½. */
// @ts-ignore: decorator
@inline export function poissonStart(y: f64): f64 {
  const mu0 = y + 0.5;
  unchecked(TERMS[T_WEIGHT] = mu0);
  return log(mu0);
}
