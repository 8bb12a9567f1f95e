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
