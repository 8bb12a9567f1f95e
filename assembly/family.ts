// Expert families: log-density of one response given its linear predictor.
// Family codes are shared with src/model/families.ts.
import { log } from "./mathx";

export const FAMILY_GAUSSIAN: i32 = 0;

const HALF_LOG_2PI: f64 = 0.9189385332046728;

/** log f(y | eta, phi); phi is the dispersion parameter (Gaussian: sigma). */
export function logDensity(family: i32, y: f64, eta: f64, phi: f64): f64 {
  // Gaussian (the only family of this release; others dispatch here)
  const r = (y - eta) / phi;
  return -HALF_LOG_2PI - log(phi) - 0.5 * r * r;
}
