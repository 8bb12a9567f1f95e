// What an expert family supplies to the rest of the library (flexmix's FLXM drivers
// are the model): its link and mean, its dispersion and bounds, which per-row columns
// it takes and how it checks responses, its working response for the starts, how it
// is simulated, and a list of capabilities that inference and model choice consult.
// The numerical per-row terms are the family's assembly functions (assembly/families/),
// selected by `code`. Nothing outside this folder branches on a family.
import type { Core, I32Buf } from "../../core/backend.js";
import type { Dataset } from "../../data/dataset.js";

/** Expert families (see README "Families"). */
export type FamilyName = "gaussian" | "binomial" | "poisson" | "negbin";

/** Per-row responses of the "mix" simulation scenario (src/simulate/scenarios.ts). */
export interface MixDesign {
  /** Spacing of the components' levels for K components. */
  spacing(K: number): number;
  /** Level of component 0 (counts: log-mean), before centring. */
  base: number;
  /** Levels centred around 0 (else rising from base). */
  centred: boolean;
  /** Size of the components' tilt along u and of their slopes on z1. */
  tilt: number;
  slope: number;
}

export interface FamilyDriver {
  name: FamilyName;
  /** Family code of the core (assembly/family.ts). */
  code: number;
  link: "identity" | "logit" | "log";
  /** Inverse link: the mean on the response scale at a linear predictor (the core's exp, so every engine agrees). */
  mean(eta: number): number;
  /**
   * The IRLS (Fisher) working weight (dμ/dη)²/Var(y) of a row with mean μ (binomial: the
   * success probability, with `trials`), up to a constant factor: the row's weight in the
   * hat matrix whose trace is the effective number of expert parameters.
   */
  workingWeight(mu: number, trials: number, theta: number): number;
  /** Name of the per-component dispersion curve (phi in the grid parameters), or null when there is none (phi = 1). */
  dispersion: "sigma" | "theta" | null;
  /** The core's inference kernels differentiate log φ (negative-binomial θ), reported as φ by the delta method. */
  logDispersion: boolean;
  /** Lower bound of phi: the Gaussian σ floor (fraction × sd(y)), the smallest θ; 1e-4 where phi is unused. */
  dispersionFloor(ds: Dataset, fraction: number): number;
  /**
   * The response carries units (a location-scale family): fits divide it by a power of two
   * near its standard deviation and scale the coefficients, φ and the log-likelihood back
   * (src/fit/scaling.ts). False for counts and successes, whose values are the model's.
   */
  scaleResponse: boolean;
  /** The M-step of the expert coefficients: closed-form weighted least squares or IRLS (assembly/wls.ts, irls.ts). */
  expertStep: "wls" | "irls";
  /** Per-row columns it takes besides y. */
  accepts: { trials: boolean; offset: boolean };
  /** Appended to the message refusing data.offset (e.g. what to do instead). */
  offsetHint: string;
  /**
   * Checks the responses (and trials); `rowOf` maps an index to the caller's row number
   * for messages. Throws VCMoEInputError naming `${prefix}.y` / `${prefix}.trials`.
   */
  checkResponse(y: Float64Array, trials: Float64Array | null, prefix: string, rowOf: (r: number) => number): void;
  /** Completes a checked dataset (binomial: default trials, zero-trial rows); returns what the model info reports. */
  prepare(ds: Dataset): Record<string, number>;
  /** The response on the link scale for the starts' partitions (minus the offset). */
  workingResponse(ds: Dataset): Float64Array;
  /** Diagnostics: which list a dispersion at its bound goes to, and whether boundary (infinite-MLE) flags exist. */
  diagnostics: { bound: "sigmaFloored" | "thetaAtBound"; boundary: boolean };
  /** A dispersion at its bound makes a start degenerate (the Gaussian σ floor: a likelihood spike, not a mode). */
  boundIsDegenerate: boolean;
  /** Warning for component c (1-based) of a constant fit whose dispersion sits at its bound. */
  constantBoundWarning(c: number, floor: number): string;
  /**
   * What the library can do with fits of this family beyond what every family gets
   * (standard errors, bands, model choice, hybrid fits and the GLRT work for every
   * family through the core's per-family row functions, assembly/family.ts).
   */
  supports: {
    /** options.dispersion: 'constant' (one dispersion per component, global step). */
    constantDispersion: boolean;
  };
  simulation: {
    /** The per-row column drawn from the third block of uniforms: binomial trials, count families' log exposure. */
    aux: "trials" | "exposure" | null;
    mix: MixDesign;
    /** True dispersion of component c (0-based) at u in the "mix" scenario (σ or θ), when the family has one. */
    mixDispersion?(u: number, c: number, constant: boolean): number;
    /**
     * Responses at the rows' linear predictors (offset included), component dispersions and
     * trials; `noise` are standard normals drawn beforehand (the Gaussian's), the samplers
     * of the other families draw from `state` (assembly/sample.ts).
     */
    draw(core: Core, state: I32Buf, eta: Float64Array, disp: Float64Array, trials: Float64Array, noise: Float64Array): number[];
  };
}
