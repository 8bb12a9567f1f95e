// Status flags the kernels report: the one list shared with src/ (scripts/gen-abi.mjs
// mirrors every constant of this file into src/core/generated/constants.ts). Flags are
// bits; a status value ORs several.

// M-steps: per grid point and component (experts) or per grid point (gating)
export const STATUS_LOW_WEIGHT: i32 = 1;       // (almost) no posterior weight here: previous values kept
export const STATUS_RIDGE: i32 = 2;            // singular local system: a tiny ridge was added
export const STATUS_DISPERSION_BOUND: i32 = 4; // Gaussian σ held at its floor, or negative-binomial θ at a bound
export const STATUS_NO_ASCENT: i32 = 8;        // Newton found no ascent direction
export const STATUS_SINGULAR: i32 = 16;        // unsolvable even with a ridge: previous values kept
export const STATUS_BOUNDARY: i32 = 32;        // GLM families: local MLE at infinity (zero counts, no successes or failures, separation), held finite by a tiny ridge

// inference (localSandwich): per grid point
export const INFER_OPG: i32 = 1;      // observed information not positive definite: outer-product form used
export const INFER_SINGULAR: i32 = 2; // negative Hessian unusable even with a ridge: se is NaN
