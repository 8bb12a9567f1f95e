// The rows the start of a large fit is chosen on. The constant-coefficient
// initialisation (5–10 starts × burn-in) and the start screening (short EM runs on a
// coarse grid) only choose which mode the varying-coefficient EM climbs; they need not
// see every row. Above `initRows` rows they run on an evenly spaced subset along u (as
// mclust initialises large data on a subset), and the full-grid EM then runs on every
// row from the screened start, so the estimator and its fixed point are unchanged.
import type { Dataset } from "../data/dataset.js";
import type { LocalGrid } from "../model/grid.js";

/** Rows in the smallest kernel window of the subset, at the least: the screening's short runs need data in every window. */
const MIN_WINDOW_ROWS_PER_COMPONENT = 50;

/**
 * Rows the initialisation of a fit of n rows and K components uses: n, or fewer when n
 * exceeds initRows (K/5 times as many for K > 5) and the smallest kernel window of the
 * fit's grid keeps at least 50·K rows in the subset (a local grid's windows are [lo, hi)).
 */
export function initRowCount(n: number, K: number, initRows: number, local: LocalGrid): number {
  const cap = Math.max(initRows, Math.ceil((initRows * K) / 5));
  if (!(n > cap) || local.kernel === null) return n;
  const { lo, hi } = local.geometry;
  let smallest = n;
  for (let j = 0; j < lo.length; j++) smallest = Math.min(smallest, hi[j] - lo[j]);
  return (smallest * cap) / n >= MIN_WINDOW_ROWS_PER_COMPONENT * K ? cap : n;
}

/**
 * Every (n/L)-th row in u order, from the middle of each of L equal slices of the sorted
 * rows: deterministic (no seed), and every part of the u range keeps its share of rows,
 * so each kernel window of the screening holds about L/n of its rows.
 */
export function evenRows(n: number, L: number): Int32Array {
  return Int32Array.from({ length: L }, (_, k) => Math.min(n - 1, Math.floor(((k + 0.5) * n) / L)));
}

/** The rows `idx` (increasing, so still sorted by u) of a dataset, with their weights, offsets and trials. */
export function pickRows(ds: Dataset, idx: Int32Array): Dataset {
  const L = idx.length, { q, p } = ds;
  const pick = (a: Float64Array) => Float64Array.from(idx, (i) => a[i]);
  const Z = new Float64Array(L * q), X = new Float64Array(L * p);
  idx.forEach((i, r) => {
    Z.set(ds.Z.subarray(i * q, (i + 1) * q), r * q);
    X.set(ds.X.subarray(i * p, (i + 1) * p), r * p);
  });
  return {
    ...ds, n: L,
    order: Int32Array.from(idx, (i) => ds.order[i]), // keptRows: the full data's, as order indexes them
    t: pick(ds.t), y: pick(ds.y), w: pick(ds.w), Z, X,
    trials: ds.trials && pick(ds.trials), offset: ds.offset && pick(ds.offset),
  };
}
