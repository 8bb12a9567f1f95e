// Where a family's per-row terms function (xxxTerms in families/*.ts) leaves the values
// it returns besides its result: static scratch, as kernels run one at a time (a typed
// array rather than module variables, which the portable build would box).
export const TERMS = new Float64Array(4);
/** ∂ log f/∂η. */
export const T_GRAD: i32 = 0;
/** −∂² log f/∂η², the working weight (and the data start's weight, see xxxStart). */
export const T_WEIGHT: i32 = 1;
/** Weighted fitted sums of the boundary check: mean counts, or expected successes and failures. */
export const T_FIT0: i32 = 2;
export const T_FIT1: i32 = 3;

// @ts-ignore: decorator
@inline export function setTerms(grad: f64, weight: f64, fit0: f64, fit1: f64): void {
  unchecked(TERMS[T_GRAD] = grad);
  unchecked(TERMS[T_WEIGHT] = weight);
  unchecked(TERMS[T_FIT0] = fit0);
  unchecked(TERMS[T_FIT1] = fit1);
}

/** A second row's terms (familyTermsPair in ../family.ts: row B's TERMS). */
export const TERMS_B = new Float64Array(4);
/** familyTermsPair's two values (rows A and B; 0 unless asked for). */
export const TERM_VALUES = new Float64Array(2);

// @ts-ignore: decorator
@inline export function setTermsB(grad: f64, weight: f64, fit0: f64, fit1: f64): void {
  unchecked(TERMS_B[T_GRAD] = grad);
  unchecked(TERMS_B[T_WEIGHT] = weight);
  unchecked(TERMS_B[T_FIT0] = fit0);
  unchecked(TERMS_B[T_FIT1] = fit1);
}

/**
 * The first row from i on (before i1) with a weight a = scr[n + row] != 0, else i1: passes
 * that take their rows in pairs (two exps or logs at once, simd.ts) take pairs of these.
 */
// @ts-ignore: decorator
@inline export function nextWeighted(i: i32, i1: i32, n: i32, scr: Float64Array): i32 {
  while (i < i1 && unchecked(scr[n + i]) == 0.0) i++;
  return i;
}

/** familyLogDensityPair's two results: log f of one row under two components (../family.ts). */
export const DENSITY_PAIR = new Float64Array(2);

// The inference kernels' per-row derivatives of log f (familyRowDerivs in ../family.ts)
// in (η, φ), φ the family's local dispersion parameter (Gaussian σ, negative-binomial
// log θ; none for Poisson and binomial, whose entries stay 0).
export const DERIVS = new Float64Array(5);
/** ∂ log f/∂η. */
export const D_ETA: i32 = 0;
/** −∂² log f/∂η². */
export const D_ETA2: i32 = 1;
/** ∂ log f/∂φ. */
export const D_PHI: i32 = 2;
/** −∂² log f/∂φ². */
export const D_PHI2: i32 = 3;
/** −∂² log f/∂η∂φ. */
export const D_CROSS: i32 = 4;

// @ts-ignore: decorator
@inline export function setDerivs(eta1: f64, eta2: f64, phi1: f64, phi2: f64, cross: f64): void {
  unchecked(DERIVS[D_ETA] = eta1);
  unchecked(DERIVS[D_ETA2] = eta2);
  unchecked(DERIVS[D_PHI] = phi1);
  unchecked(DERIVS[D_PHI2] = phi2);
  unchecked(DERIVS[D_CROSS] = cross);
}
