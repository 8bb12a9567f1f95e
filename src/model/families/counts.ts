// What the two count families (Poisson, negative binomial) share: integer responses,
// the log link and its working response, and the log exposure they are simulated with.
import { exp, log } from "../../core/detmath.js";
import type { Dataset } from "../../data/dataset.js";
import { VCMoEInputError } from "../../errors.js";

/** Counts are exact non-negative integers (at most 2^53). */
export const isCount = (v: number): boolean => Number.isInteger(v) && v >= 0 && v <= Number.MAX_SAFE_INTEGER;

export function checkCounts(family: string, y: Float64Array, prefix: string, rowOf: (r: number) => number): void {
  for (let r = 0; r < y.length; r++) {
    if (!isCount(y[r])) {
      throw new VCMoEInputError(`${prefix}.y`, `${family} responses are counts (non-negative integers at most 2^53) — row ${rowOf(r)} is ${y[r]}`);
    }
  }
}

/** log(y + ½) − offset: the log link of the slightly shifted counts. */
export function logWorkingResponse(ds: Dataset): Float64Array {
  const out = new Float64Array(ds.n);
  for (let i = 0; i < ds.n; i++) out[i] = log(ds.y[i] + 0.5) - (ds.offset ? ds.offset[i] : 0);
  return out;
}

export const logMean = (eta: number): number => exp(eta);
