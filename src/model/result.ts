// The result objects of a fit: plain JSON that predict(), the inference functions,
// model choice and plots read, and that src/fit/ produces. (The fitting pipeline is in
// src/fit/, the public functions in src/api/.)
import type { BackendName } from "../core/backend.js";
import type { CoefficientId } from "./constants.js";
import type { FamilyName } from "./families/index.js";
import type { Acceleration, DispersionMode, KernelName, MethodName } from "./spec.js";
import type { FactorCoding } from "../data/categorical.js";

export interface Curve {
  /** 'sigma': Gaussian standard deviation; 'theta': negative-binomial size. */
  part: "expert" | "gating" | "sigma" | "theta";
  /** 1-based component number. */
  component: number;
  /** Covariate name ("(Intercept)" for intercepts; "sigma" / "theta" for the dispersion curves). */
  term: string;
  /** Values at the grid points (gating: centred logits, see README). */
  values: number[];
}

/** Convergence of one stage of the fit. */
export interface StageConvergence {
  stage: "initialisation" | "label-consistent EM" | "local refinement" | "local EM";
  converged: boolean;
  /** Iterations used (local EM: the largest over grid points). */
  iterations: number;
  /** local EM and local refinement: grid points that did not converge. */
  notConverged?: number;
}

export interface ScreenReport {
  /** runConstant start indices screened (-1: the converged best constant fit). */
  starts: number[];
  /** The label-consistent EM's objective (smoothed log-likelihood ℓ_S, on the screening grid) of each candidate after `iterations` EM steps. */
  objectives: number[];
  /** Candidates whose short run held a Gaussian σ at its floor (passed over unless all are). */
  degenerate: boolean[];
  /** Position in `starts` of the candidate kept. */
  chosen: number;
}

export interface ConstantEstimate extends CoefficientId {
  estimate: number;
  /** Sandwich standard error (default). */
  se: number;
  /** Standard error from the inverse efficient information. */
  seInformation: number;
}

export interface ConstantInference {
  estimates: ConstantEstimate[];
  /** Sandwich covariance of the constants (row-major, order of `estimates`). */
  covariance: number[][];
  /** Grid points where the local information of the varying part needed a ridge. */
  regularisedGridPoints: number;
  /** Grid points where the local observed information was not positive definite and the local score covariance was used. */
  scoreCovarianceGridPoints: number;
  warnings: string[];
}

/** Everything predict() and the inference functions need to rebuild the model. Plain JSON. */
export interface ModelInfo {
  family: FamilyName;
  /** EM settings the fit used (bootstrap refits reuse them unless told otherwise); absent for fitConstant. */
  settings?: { maxIter: number; tol: number; refine: boolean; refineTol: number; accelerate: Acceleration | false };
  /** Negative binomial only: θ varying in u or constant per component. */
  dispersion?: DispersionMode;
  /** The fit used data.offset (predict() then adds newData.offset, 0 when omitted). */
  offset: boolean;
  /** Binomial only: rows with 0 trials (no information; weight 0). */
  zeroTrialRows?: number;
  K: number;
  kernel: KernelName;
  /** Bandwidth on the unit-rescaled u scale. */
  bandwidth: number;
  method: MethodName;
  zNames: string[];
  xNames: string[];
  intercept: { expert: boolean; gating: boolean };
  n: number;
  droppedRows: number;
  uMin: number;
  uMax: number;
  sigmaFloor: number;
  backend: BackendName;
  /** Categorical covariates and their dummy coding (absent when there are none); predict() codes new data alike. */
  factors?: FactorCoding[];
  /** Fingerprint of the data the fit was made from: functions given the fit and "its" data check it. */
  dataFingerprint?: string;
}

/** Likelihood-based summaries of a fit (smaller AIC, BIC and ICL are better); see AIC(), BIC() etc. */
export interface FitStatistics {
  /** Observed-data log-likelihood ℓ (weighted by the observation weights). */
  logLik: number;
  /**
   * Effective number of parameters: for fit(), the trace of the local smoothers (see
   * effectiveDegreesOfFreedom; for the GLM families with the IRLS working weights); for
   * fitConstant(), the number of free parameters.
   */
  df: number;
  /** The parts of `df` (fit() only): per expert, per dispersion curve, gating. */
  dfParts?: { expert: number[]; dispersion: number[]; gating: number };
  /** Number of observations: rows with positive weight (the n of log n). */
  nobs: number;
  /** −2ℓ + 2·df. */
  AIC: number;
  /** −2ℓ + df·log(nobs), as selectK(). */
  BIC: number;
  /** BIC + 2·EN, EN = −Σ_i w_i Σ_c r_ic log r_ic the entropy of the posteriors (as selectK()). */
  ICL: number;
  entropy: number;
  /** How the df were obtained, when it is an approximation. */
  notes: string[];
}

/** Raw parameters on the grid (internal layout, see GridParams) for predict/inference. */
export interface ParameterTable {
  /** Grid on the unit u scale. */
  gridUnit: number[];
  alpha: number[];
  alphaS: number[];
  phi: number[];
  gamma: number[];
  gammaS: number[];
}

export interface FitDiagnostics {
  /**
   * The EM's objective after each iteration: for the label-consistent EM the smoothed
   * log-likelihood ℓ_S (README, "The label-consistent EM"), which every iteration
   * increases; empty for the local-align baseline.
   */
  objectivePath: number[];
  /** Iterations where the objective fell by more than roundoff (0 for an ascent method; counted, never hidden). */
  objectiveDecreases: number;
  largestDecrease: number;
  initialisation: {
    /**
     * Rows the initialisation and the screening ran on: every row, or for data larger than
     * options.initRows an evenly spaced subset along u (their log-likelihoods are of these rows).
     */
    rows: number;
    /** Log-likelihood of the constant-coefficient fit the varying-coefficient EM started from. */
    logLik: number; converged: boolean; iterations: number; startLogLiks: number[];
    /** Short varying-coefficient EM runs that chose the start (null when every start reached the same mode or screening is off). */
    screening: ScreenReport | null;
  };
  /** Grid points × components where sigma was held at the floor (degenerate component). */
  sigmaFloored: Array<{ u: number; component: number }>;
  /** Negative binomial: grid points × components where θ sits at a bound (1e-4 or 1e8; 1e8 = no overdispersion). */
  thetaAtBound?: Array<{ u: number; component: number }>;
  /**
   * GLM families: grid points × components whose local maximum-likelihood estimate is at infinity
   * (all-zero counts, all successes or all failures in the window, or separation by a covariate):
   * a tiny ridge (assembly/irls.ts RIDGE_EPS) holds the estimate finite, so the curve there is finite
   * but its level is arbitrary (fitted means negligible, or coefficients above 15 per sd of their column).
   */
  boundary?: Array<{ u: number; component: number }>;
  /** Grid points × components with (almost) no posterior weight in the window. */
  lowWeight: Array<{ u: number; component: number }>;
  /** Grid points where a local system was singular and regularised. */
  regularised: number[];
  /** Kernel-weighted share of each component at each grid point (rows: grid points). */
  componentWeights: number[][];
  minComponentWeight: number;
  /** Kernel-weighted mean posterior entropy along u (0 = crisp labels, log K = none). */
  posteriorEntropy: number[];
  /**
   * Local refinement of the expert coefficients after the label-consistent EM (options.refine):
   * the label-consistent fit's log-likelihood, local EM iterations per grid point, and the
   * grid points (u) reverted because refinement would have changed a component's identity.
   */
  refinement?: { labelConsistentLogLik: number; iterations: number[]; converged: boolean; reverted: number[] };
  /** local-align only: grid indices where labels were permuted, and the matching margins. */
  alignment?: { switches: number[]; margins: number[]; minMargin: number; permutations: number[][] };
  /** Convergence of each stage in order (initialisation, then the EM of the chosen method). */
  stages: StageConvergence[];
  /** Kish effective number of observations of each component at each grid point (rows: grid points). */
  effectiveRows: number[][];
  /** True when any degeneracy check fails; `degeneracy` lists which (see docs/model-choice.md). */
  degenerate: boolean;
  degeneracy: string[];
  warnings: string[];
}

export interface VCMoEFit {
  model: ModelInfo;
  logLik: number;
  converged: boolean;
  iterations: number;
  /** Grid points on the original u scale. */
  grid: number[];
  curves: Curve[];
  /** n×K posterior membership probabilities, rows in the caller's order (dropped rows excluded). */
  posteriors: number[][];
  diagnostics: FitDiagnostics;
  parameters: ParameterTable;
  /** Hybrid fits only: the constant coefficients with standard errors. */
  constants?: ConstantInference;
  /** logLik, effective df, AIC, BIC, ICL (also AIC(res) etc.). Present on every fit() result. */
  statistics?: FitStatistics;
  /** Mixture mean Σ_c π_c μ_c at each observation (response scale), rows as in `posteriors`. Present on every fit() result. */
  fitted?: number[];
  /** Response residuals y − fitted, rows as in `posteriors`. Present on every fit() result. */
  residuals?: number[];
}

export interface ConstantComponent {
  component: number;
  /** Expert coefficients by term name (on the link scale for GLM families). */
  coefficients: Record<string, number>;
  /** Gaussian family: the standard deviation. */
  sigma?: number;
  /** Negative binomial: the size θ (Var = μ + μ²/θ). */
  theta?: number;
  /** Average posterior probability (the mixing weight when the gating has no covariates). */
  weight: number;
}

export interface ConstantFit {
  model: Omit<ModelInfo, "kernel" | "bandwidth" | "method">;
  logLik: number;
  converged: boolean;
  iterations: number;
  experts: ConstantComponent[];
  /** Gating logits of each component relative to component 1 (baseline, all 0). */
  gating: Array<{ component: number; coefficients: Record<string, number> }>;
  /** Centred gating logits γ_c − mean_k γ_k. */
  gatingCentred: Array<{ component: number; coefficients: Record<string, number> }>;
  posteriors: number[][];
  startLogLiks: number[];
  /** Degenerate components (σ held at the floor, or almost no weight) and non-convergence, as text. */
  warnings: string[];
  /**
   * Gaussian family: standard errors of every coefficient (expert coefficients, σ, gating
   * contrasts against component 1) from the observed information by Louis' identity,
   * sandwich (`se`) and model-based (`seInformation`).
   */
  standardErrors?: ConstantInference;
  /** logLik, df (the number of free parameters), AIC, BIC, ICL. */
  statistics?: FitStatistics;
  /** Mixture mean at each observation (response scale), rows as in `posteriors`. */
  fitted?: number[];
  /** Response residuals y − fitted. */
  residuals?: number[];
}

/** What identifies a curve in any result that lists curves (fit, standard errors, bands). */
interface CurveIdentity { part: string; component: number; term: string }

/**
 * The curve (part, component, term) of a result's `curves` (fit(), standardErrors(),
 * confidenceBands()); throws when there is none.
 *
 * @example
 * curve(res, "expert", 1, "z1").values; // the fitted coefficient of z1 in expert 1 along the grid
 */
export function curve<C extends CurveIdentity>(result: { curves: readonly C[] }, part: C["part"], component: number, term: string): C {
  const found = result.curves.find((c) => c.part === part && c.component === component && c.term === term);
  if (!found) throw new Error(`no curve ${part}[${component}] ${term}`);
  return found;
}
