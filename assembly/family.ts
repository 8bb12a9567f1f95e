// Expert families: the one place the kernels learn which family they fit. A family is
// one file in families/ with its per-row functions (log density, IRLS terms, row
// constant, data start); the dispatchers below pick the family's by its code, and the
// traits say what the generic IRLS step (irls.ts) must do differently. Adding a family:
// its file in families/, a line in each dispatcher and trait, and its driver in
// src/model/families/. Codes are shared with src/ (mirrored at build time).
//
// The per-row terms function (familyTerms: ∂ log f/∂η, −∂² log f/∂η² and the β-part of
// log f) serves the IRLS step and is where the inference kernels' scores and Hessians
// for the GLM families belong. The E-steps use the full log density, constants included
// (familyLogDensity), written as its own function so that each kernel keeps its exact
// arithmetic. The other dispatchers are @inline (in the WebAssembly build each call site
// keeps only its branches).
//
// Per-row data beyond y live in `aux` (n×AUX_WIDTH, row-major): [offset, trials, lconst],
// where lconst is the part of log f that does not depend on the parameters (log
// binomial coefficient, −log y!), computed once per fit by familyRowConstants.
import { Rows, AUX_WIDTH } from "./abi";
import { gaussianLogDensity, gaussianLogDensityNorm, gaussianLogNorm, gaussianInvScale, gaussianLogJointLocal, gaussianDerivs } from "./families/gaussian";
import { binomialLogDensity, binomialLogDensityPair, binomialTerms, binomialTermsPair, binomialConstant, binomialStart } from "./families/binomial";
import { poissonLogDensity, poissonLogDensityPair, poissonTerms, poissonTermsPair, poissonConstant, poissonStart } from "./families/poisson";
import { negbinLogDensity, negbinLogDensityPair, negbinTerms, negbinTermsPair, negbinConstant, negbinStart, negbinDerivs, atThetaBound } from "./families/negbin";
export { DENSITY_PAIR } from "./families/terms";
import { setDerivs, TERMS, T_GRAD, T_WEIGHT } from "./families/terms";
import { exp, log } from "./mathx";
import { logisticFrom } from "./special";
import { rngNormal } from "./rng";
import { rngPoisson, rngBinomial, rngNegBin } from "./sample";

export const FAMILY_GAUSSIAN: i32 = 0;
export const FAMILY_BINOMIAL: i32 = 1; // y successes of m trials, logit link
export const FAMILY_POISSON: i32 = 2;  // log link
export const FAMILY_NEGBIN: i32 = 3;   // log link, size θ = phi: Var = μ + μ²/θ

/**
 * log f(y | η, φ) with the row constant lc; η includes the offset, m is the trials.
 * (Not inlined: the E-step loops stay small, which matters more than the call.)
 */
export function familyLogDensity(family: i32, y: f64, eta: f64, phi: f64, m: f64, lc: f64): f64 {
  if (family == FAMILY_GAUSSIAN) return gaussianLogDensity(y, eta, phi);
  if (family == FAMILY_POISSON) return poissonLogDensity(y, eta, lc);
  if (family == FAMILY_BINOMIAL) return binomialLogDensity(y, eta, m, lc);
  return negbinLogDensity(y, eta, phi, lc);
}

/**
 * The local E-step hoists per-component constants of the density out of its row loop:
 * A is added to the prior, B replaces φ (the Gaussian's −½ log 2π − log σ and 1/σ; the
 * other families hoist nothing: A = 0, B = φ).
 */
// @ts-ignore: decorator
@inline export function familyHoistA(family: i32, phi: f64): f64 {
  return family == FAMILY_GAUSSIAN ? gaussianLogNorm(phi) : 0.0;
}

// @ts-ignore: decorator
@inline export function familyHoistB(family: i32, phi: f64): f64 {
  return family == FAMILY_GAUSSIAN ? gaussianInvScale(phi) : phi;
}

/**
 * log f(y | η, φ) with the per-component constant A = familyHoistA(φ) already computed
 * (bit-identical to familyLogDensity; the smoothed E-step computes A once per grid point).
 */
// @ts-ignore: decorator
@inline export function familyLogDensityHoisted(family: i32, y: f64, eta: f64, phi: f64, A: f64, m: f64, lc: f64): f64 {
  if (family == FAMILY_GAUSSIAN) return gaussianLogDensityNorm(y, eta, phi, A);
  return familyLogDensity(family, y, eta, phi, m, lc);
}

/**
 * The family computes two components' densities of one row together (familyLogDensityPair): its
 * density's transcendental calls then run in two f64x2 lanes. The Poisson's exp, the binomial's
 * exp and log1p, the negative binomial's exp and log1p per component; the Gaussian's density has none.
 */
// @ts-ignore: decorator
@inline export function familyHasDensityPair(family: i32): bool {
  return family != FAMILY_GAUSSIAN;
}

/** familyLogDensity of one row for two components (η_c, φ_c) into DENSITY_PAIR, bit-identical to two calls; for familyHasDensityPair families. */
// @ts-ignore: decorator
@inline export function familyLogDensityPair(family: i32, y: f64, eta0: f64, eta1: f64, phi0: f64, phi1: f64, m: f64, lc: f64): void {
  if (family == FAMILY_POISSON) poissonLogDensityPair(y, eta0, eta1, lc);
  else if (family == FAMILY_BINOMIAL) binomialLogDensityPair(y, eta0, eta1, m, lc);
  else negbinLogDensityPair(y, eta0, eta1, phi0, phi1, lc);
}

/** prior + log f(y | η, φ) from the hoisted constants (prior includes A, phiB is B). */
// @ts-ignore: decorator
@inline export function familyLogJointLocal(family: i32, prior: f64, y: f64, eta: f64, phiB: f64, m: f64, lc: f64): f64 {
  if (family == FAMILY_GAUSSIAN) return gaussianLogJointLocal(prior, y, eta, phiB);
  return prior + familyLogDensity(family, y, eta, phiB, m, lc);
}

/**
 * The per-row IRLS terms with weight a at η (φ fixed, lphi = log φ): ∂ log f/∂η,
 * −∂² log f/∂η² and the fitted sums land in families/terms.ts; returns a × the
 * β-dependent part of log f when needValue (else 0). Not for Gaussian experts.
 */
// @ts-ignore: decorator
@inline export function familyTerms(family: i32, y: f64, eta: f64, phi: f64, lphi: f64, m: f64, a: f64, needValue: bool): f64 {
  if (family == FAMILY_POISSON) return poissonTerms(y, eta, a, needValue);
  if (family == FAMILY_BINOMIAL) return binomialTerms(y, eta, m, a, needValue);
  return negbinTerms(y, eta, phi, lphi, a, needValue);
}

/**
 * familyTerms of two rows at once (row A into TERMS, row B into TERMS_B, their values into
 * TERM_VALUES when needValue): each family's exps (and logs) of the two rows in f64x2 lanes,
 * bit-identical to two familyTerms calls.
 */
// @ts-ignore: decorator
@inline export function familyTermsPair(
  family: i32, phi: f64, lphi: f64, needValue: bool,
  yA: f64, etaA: f64, mA: f64, aA: f64, yB: f64, etaB: f64, mB: f64, aB: f64,
): void {
  if (family == FAMILY_POISSON) { poissonTermsPair(yA, etaA, aA, yB, etaB, aB, needValue); return; }
  if (family == FAMILY_BINOMIAL) { binomialTermsPair(yA, etaA, mA, aA, yB, etaB, mB, aB, needValue); return; }
  negbinTermsPair(yA, etaA, aA, yB, etaB, aB, phi, lphi, needValue);
}

/** The part of log f free of the parameters (log binomial coefficient, −log y!; 0 for the Gaussian). */
// @ts-ignore: decorator
@inline export function familyConstant(family: i32, y: f64, m: f64): f64 {
  if (family == FAMILY_BINOMIAL) return binomialConstant(y, m);
  if (family == FAMILY_POISSON) return poissonConstant(y);
  if (family == FAMILY_NEGBIN) return negbinConstant(y);
  return 0.0;
}

/** Data start of IRLS: the working response (offset not removed); its weight in TERMS[T_WEIGHT] (0: skip the row). */
// @ts-ignore: decorator
@inline export function familyStart(family: i32, y: f64, phi: f64, m: f64): f64 {
  if (family == FAMILY_POISSON) return poissonStart(y);
  if (family == FAMILY_BINOMIAL) return binomialStart(y, m);
  return negbinStart(y, phi);
}

/** The response has an upper bound (binomial: y ≤ m), so "no failures" is a boundary too. */
// @ts-ignore: decorator
@inline export function familyBounded(family: i32): bool {
  return family == FAMILY_BINOMIAL;
}

/** The family has a dispersion estimated by Newton steps in log φ (negative binomial θ). */
// @ts-ignore: decorator
@inline export function familyHasTheta(family: i32): bool {
  return family == FAMILY_NEGBIN;
}

/**
 * Per-row derivatives of log f(y | η, φ) for the inference kernels (infer.ts), into
 * families/terms.ts DERIVS: in η, and in the family's local dispersion parameter
 * (Gaussian σ, negative-binomial log θ; Poisson and binomial have none: zeros). The
 * GLM families' η terms are their IRLS terms (familyTerms).
 */
export function familyRowDerivs(family: i32, y: f64, eta: f64, phi: f64, m: f64): void {
  if (family == FAMILY_GAUSSIAN) { gaussianDerivs(y, eta, phi); return; }
  if (family == FAMILY_NEGBIN) { negbinDerivs(y, eta, phi); return; }
  familyTerms(family, y, eta, phi, 0.0, m, 1.0, false);
  setDerivs(unchecked(TERMS[T_GRAD]), unchecked(TERMS[T_WEIGHT]), 0.0, 0.0, 0.0);
}

/**
 * The local dispersion φ is a free parameter of the local likelihood: Gaussian σ, and
 * negative-binomial θ away from its bounds (at 1e8 the likelihood is flat in θ).
 */
// @ts-ignore: decorator
@inline export function familyDispersionFree(family: i32, phi: f64): bool {
  if (family == FAMILY_GAUSSIAN) return true;
  if (family == FAMILY_NEGBIN) return !atThetaBound(phi);
  return false;
}

/** d(reported dispersion)/d(its parameter in familyRowDerivs): 1 for σ, θ for log θ. */
// @ts-ignore: decorator
@inline export function familyDispersionScale(family: i32, phi: f64): f64 {
  return family == FAMILY_NEGBIN ? phi : 1.0;
}

/**
 * One response drawn at linear predictor η (offset included) with dispersion φ and
 * trials m, from `state` with the core's exact samplers (sample.ts); the Gaussian
 * draws one normal.
 */
export function familyDraw(family: i32, state: Int32Array, eta: f64, phi: f64, m: f64): f64 {
  if (family == FAMILY_GAUSSIAN) return eta + phi * rngNormal(state);
  if (family == FAMILY_POISSON) return rngPoisson(state, exp(eta));
  if (family == FAMILY_BINOMIAL) return rngBinomial(state, m, logisticFrom(eta, exp(-Math.abs(eta))));
  return rngNegBin(state, exp(eta), phi);
}

/**
 * The weight a row's working response gets in the family's expert step at η: 1 for
 * the Gaussian (least squares; σ is common to the window), −∂² log f/∂η² for the
 * GLM families (their IRLS weight). Used for the smoother traces (smoother.ts).
 */
// @ts-ignore: decorator
@inline export function familyWorkingWeight(family: i32, y: f64, eta: f64, phi: f64, m: f64): f64 {
  if (family == FAMILY_GAUSSIAN) return 1.0;
  return familyWorkingWeightL(family, y, eta, phi, log(phi), m); // the core's log: the same bits on both backends
}

/** familyWorkingWeight with log φ given (a caller visiting many rows at one φ computes it once). */
// @ts-ignore: decorator
@inline export function familyWorkingWeightL(family: i32, y: f64, eta: f64, phi: f64, lphi: f64, m: f64): f64 {
  if (family == FAMILY_GAUSSIAN) return 1.0;
  familyTerms(family, y, eta, phi, lphi, m, 1.0, false);
  return unchecked(TERMS[T_WEIGHT]);
}

/** The family has a dispersion curve (Gaussian σ, negative-binomial θ). */
// @ts-ignore: decorator
@inline export function familyHasDispersion(family: i32): bool {
  return family == FAMILY_GAUSSIAN || family == FAMILY_NEGBIN;
}

/** Fills lconst (aux[3i+2]) from y and the trials (aux[3i+1]). */
export function familyRowConstants(rows: Rows): void {
  const family = rows.family, n = rows.n, y = rows.y, aux = rows.aux;
  for (let i = 0; i < n; i++) {
    unchecked(aux[AUX_WIDTH * i + 2] = familyConstant(family, unchecked(y[i]), unchecked(aux[AUX_WIDTH * i + 1])));
  }
}
