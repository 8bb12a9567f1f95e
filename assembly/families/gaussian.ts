// Gaussian experts, identity link: log f = −½ log 2π − log σ − ½ ((y − η)/σ)², φ = σ.
// Their M-step is closed-form weighted least squares (wls.ts): no IRLS terms or data
// start; the row constant is 0 (aux holds zeros for this family).
import { log } from "../mathx";
import { setDerivs } from "./terms";

const HALF_LOG_2PI: f64 = 0.9189385332046728;

/** log f(y | η, σ). */
// @ts-ignore: decorator
@inline export function gaussianLogDensity(y: f64, eta: f64, phi: f64): f64 {
  const r = (y - eta) / phi;
  return -HALF_LOG_2PI - log(phi) - 0.5 * r * r;
}

/** log f(y | η, σ) given logNorm = gaussianLogNorm(σ) (the same arithmetic as gaussianLogDensity). */
// @ts-ignore: decorator
@inline export function gaussianLogDensityNorm(y: f64, eta: f64, phi: f64, logNorm: f64): f64 {
  const r = (y - eta) / phi;
  return logNorm - 0.5 * r * r;
}

/** The local E-step's per-component constants: −½ log 2π − log σ, and 1/σ. */
// @ts-ignore: decorator
@inline export function gaussianLogNorm(phi: f64): f64 {
  return -HALF_LOG_2PI - log(phi);
}

// @ts-ignore: decorator
@inline export function gaussianInvScale(phi: f64): f64 {
  return 1.0 / phi;
}

/** prior + log f with the constants hoisted: `prior` includes gaussianLogNorm, invPhi = 1/σ. */
// @ts-ignore: decorator
@inline export function gaussianLogJointLocal(prior: f64, y: f64, eta: f64, invPhi: f64): f64 {
  const r = (y - eta) * invPhi;
  return prior - 0.5 * r * r;
}

/** Derivatives of log f in (η, σ) for the inference kernels (families/terms.ts DERIVS). */
// @ts-ignore: decorator
@inline export function gaussianDerivs(y: f64, eta: f64, phi: f64): void {
  const res = y - eta;
  const inv2 = 1.0 / (phi * phi);
  setDerivs(res * inv2, inv2, (res * res * inv2 - 1.0) / phi, inv2 * (3.0 * res * res * inv2 - 1.0), 2.0 * res * inv2 / phi);
}
