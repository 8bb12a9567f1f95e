// A fingerprint of a prepared data set, stored in a fit's model, so that functions
// given a fit and "its" data (confidence bands, standard errors, effective df) can
// tell when the data are not the ones the fit was made from — same size and column
// names are not enough (a different response, or rows in another order, would give
// silently wrong bands).
import type { Dataset } from "./dataset.js";
import { VCMoEInputError } from "../errors.js";

/**
 * Throws when `ds` (prepared as the fit prepared its data) is not the data of the fit:
 * same size and columns are checked by the callers; this catches other values or order.
 * Results without a fingerprint (saved by older versions) are not checked.
 */
export function checkSameData(fingerprint: string | undefined, ds: Dataset): void {
  if (fingerprint !== undefined && dataFingerprint(ds) !== fingerprint) {
    throw new VCMoEInputError("data", "is not the data this fit was made from: the size and columns agree, but values or the order of rows differ");
  }
}

/** Two independent 32-bit multiplicative hashes over the 32-bit words of the arrays, as 16 hex digits. */
export function dataFingerprint(ds: Dataset): string {
  let h1 = 0x811c9dc5 | 0, h2 = 0x2545f491 | 0;
  const mix = (a: Float64Array | Int32Array) => {
    const words = new Int32Array(a.buffer, a.byteOffset, a.byteLength >> 2);
    for (let k = 0; k < words.length; k++) {
      h1 = Math.imul(h1 ^ words[k], 0x01000193);
      h2 = Math.imul(h2 ^ words[k], 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    h1 = Math.imul(h1 ^ a.length, 0x01000193);
  };
  // t is u rescaled; uMin and uRange pin the original scale
  for (const a of [ds.y, ds.t, ds.w, ds.Z, ds.X, ds.order, ds.keptRows, Float64Array.of(ds.uMin, ds.uRange)]) mix(a);
  if (ds.trials) mix(ds.trials);
  if (ds.offset) mix(ds.offset);
  const hex = (h: number) => (h >>> 0).toString(16).padStart(8, "0");
  return hex(h1) + hex(h2);
}
