// Family drivers on the TypeScript side: what each expert family accepts as data,
// its link, and the name of its dispersion parameter. The numerical parts (log
// density, IRLS M-step, samplers) are kernels in assembly/ (family.ts, irls.ts,
// sample.ts), dispatched by FAMILY_CODE.
import type { Dataset } from "../data/dataset.js";
import { VCMoEInputError } from "../errors.js";
import { FAMILY_NAMES, type FamilyName } from "./spec.js";

export interface FamilyInfo {
  link: "identity" | "logit" | "log";
  /** Name of the per-component dispersion curve (phi in the grid parameters), or null when there is none. */
  dispersion: "sigma" | "theta" | null;
  /** Accepts data.offset / data.trials. */
  offset: boolean;
  trials: boolean;
  /**
   * The IRLS (Fisher) working weight (dμ/dη)²/Var(y) of a row with mean μ (binomial: the
   * success probability, with `trials`), up to a constant factor: the weight of the row in
   * the hat matrix whose trace is the effective number of expert parameters.
   */
  workingWeight: (mu: number, trials: number, theta: number) => number;
}

export const FAMILIES: Record<FamilyName, FamilyInfo> = {
  gaussian: { link: "identity", dispersion: "sigma", offset: false, trials: false, workingWeight: () => 1 },
  binomial: { link: "logit", dispersion: null, offset: true, trials: true, workingWeight: (mu, m) => m * mu * (1 - mu) },
  poisson: { link: "log", dispersion: null, offset: true, trials: false, workingWeight: (mu) => mu },
  negbin: { link: "log", dispersion: "theta", offset: true, trials: false, workingWeight: (mu, _m, theta) => mu / (1 + mu / theta) },
};

/** Validates options.family (default 'gaussian'). */
export function parseFamily(v: unknown): FamilyName {
  if (v === undefined) return "gaussian";
  if (!FAMILY_NAMES.includes(v as FamilyName)) {
    throw new VCMoEInputError("options.family", `must be one of ${FAMILY_NAMES.map((f) => `'${f}'`).join(", ")}, got ${JSON.stringify(v)}`);
  }
  return v as FamilyName;
}

/** What applyFamily changed, reported in the fit's model info. */
export interface FamilyDataReport {
  /** Binomial rows with trials = 0: they carry no information and get weight 0. */
  zeroTrialRows: number;
}

const isCount = (v: number) => Number.isInteger(v) && v >= 0 && v <= Number.MAX_SAFE_INTEGER;

/**
 * Checks responses (and binomial trials) against the family; `rowOf` maps an index to
 * the caller's row number for messages. Counts must be exact integers (<= 2^53).
 */
export function checkResponse(family: FamilyName, y: Float64Array, trials: Float64Array | null, prefix: string, rowOf: (r: number) => number = (r) => r): void {
  if (family === "gaussian") return;
  for (let r = 0; r < y.length; r++) {
    if (family === "binomial") {
      const m = trials ? trials[r] : 1;
      if (!isCount(m)) throw new VCMoEInputError(`${prefix}.trials`, `must be non-negative integers (at most 2^53), row ${rowOf(r)} is ${m}`);
      if (!isCount(y[r]) || y[r] > m) {
        throw new VCMoEInputError(`${prefix}.y`, `binomial responses are success counts 0 <= y <= trials (${m}${trials ? "" : ", Bernoulli: no trials given"}) — row ${rowOf(r)} is ${y[r]}`);
      }
    } else if (!isCount(y[r])) {
      throw new VCMoEInputError(`${prefix}.y`, `${family} responses are counts (non-negative integers at most 2^53) — row ${rowOf(r)} is ${y[r]}`);
    }
  }
}

/**
 * Checks the data against the family and completes the dataset: binomial trials
 * default to 1 (Bernoulli); rows with 0 trials get weight 0 (their likelihood is 1
 * whatever the parameters, so they carry no information; their posteriors are the
 * gating probabilities).
 */
export function applyFamily(ds: Dataset, family: FamilyName): FamilyDataReport {
  const info = FAMILIES[family];
  if (ds.trials && !info.trials) throw new VCMoEInputError("data.trials", `is used by the 'binomial' family only (family is '${family}')`);
  if (ds.offset && !info.offset) {
    throw new VCMoEInputError("data.offset", `is not supported by the '${family}' family${family === "gaussian" ? " (subtract it from y instead)" : ""}`);
  }
  checkResponse(family, ds.y, ds.trials, "data", (r) => ds.keptRows[ds.order[r]]);
  let zeroTrialRows = 0;
  if (family !== "binomial") return { zeroTrialRows };
  if (!ds.trials) ds.trials = new Float64Array(ds.n).fill(1);
  let wsum = 0;
  for (let r = 0; r < ds.n; r++) {
    if (ds.trials[r] === 0 && ds.w[r] > 0) { ds.w[r] = 0; zeroTrialRows++; }
    wsum += ds.w[r];
  }
  if (!(wsum > 0)) throw new VCMoEInputError("data.trials", "every row with positive weight has 0 trials: nothing to fit");
  return { zeroTrialRows };
}

/** Per-row [offset, trials, 0] (n×3) for the core's aux buffer; the kernel fills the constants. */
export function auxColumns(ds: Dataset): Float64Array {
  const aux = new Float64Array(3 * ds.n);
  for (let r = 0; r < ds.n; r++) {
    aux[3 * r] = ds.offset ? ds.offset[r] : 0;
    aux[3 * r + 1] = ds.trials ? ds.trials[r] : 0;
  }
  return aux;
}
