// Expert families: log-density of one response given its linear predictor.
// Family codes are shared with src/model/spec.ts (FAMILY_CODE).
//
// Per-row data beyond y live in `aux` (n×3, row-major): [offset, trials, lconst],
// where lconst is the part of log f that does not depend on the parameters
// (log binomial coefficient, −log y!), computed once per fit by familyRowConstants.
import { exp, log } from "./mathx";
import { lgamma, lgammaDiff, log1p } from "./special";
import { Rows } from "./abi";

export const FAMILY_GAUSSIAN: i32 = 0;
export const FAMILY_BINOMIAL: i32 = 1; // y successes of m trials, logit link
export const FAMILY_POISSON: i32 = 2;  // log link
export const FAMILY_NEGBIN: i32 = 3;   // log link, size θ = phi: Var = μ + μ²/θ

export const AUX_WIDTH: i32 = 3;

const HALF_LOG_2PI: f64 = 0.9189385332046728;

/**
 * log f(y | eta, phi). eta includes the offset. phi: Gaussian sigma, negative
 * binomial θ, unused otherwise. m: binomial trials. lc: the row's constant term.
 */
export function logDensity(family: i32, y: f64, eta: f64, phi: f64, m: f64, lc: f64): f64 {
  if (family == FAMILY_GAUSSIAN) {
    const r = (y - eta) / phi;
    return -HALF_LOG_2PI - log(phi) - 0.5 * r * r;
  }
  if (family == FAMILY_POISSON) return lc + y * eta - exp(eta);
  if (family == FAMILY_BINOMIAL) {
    // y η − m log(1 + e^η)
    const e = exp(-Math.abs(eta));
    return lc + y * eta - m * (Math.max(eta, 0.0) + log1p(e));
  }
  // negative binomial: lΓ(y+θ) − lΓ(θ) − log y! − (θ+y) log(1 + μ/θ) + y (η − log θ)
  const a = eta - log(phi);
  const e = exp(-Math.abs(a));
  return lgammaDiff(phi, y) + lc - (phi + y) * (Math.max(a, 0.0) + log1p(e)) + y * a;
}

/** Fills lconst (aux[3i+2]) from y and the trials (aux[3i+1]). */
export function familyRowConstants(rows: Rows): void {
  const family = rows.family, n = rows.n, y = rows.y, aux = rows.aux;
  for (let i = 0; i < n; i++) {
    const yi = unchecked(y[i]);
    let c = 0.0;
    if (family == FAMILY_BINOMIAL) {
      const m = unchecked(aux[AUX_WIDTH * i + 1]);
      c = lgamma(m + 1.0) - lgamma(yi + 1.0) - lgamma(m - yi + 1.0);
    } else if (family == FAMILY_POISSON || family == FAMILY_NEGBIN) {
      c = -lgamma(yi + 1.0);
    }
    unchecked(aux[AUX_WIDTH * i + 2] = c);
  }
}
