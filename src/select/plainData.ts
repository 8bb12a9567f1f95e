// Plain-JSON copies of a prepared data set (rows in u order), so that model-choice
// tasks can be shipped to workers and refit on subsets of rows.
import type { Dataset, VCMoEData } from "../data/dataset.js";
import { toFloat64 } from "../data/columns.js";

/** Data columns as plain arrays (structured-clone and JSON safe). */
export interface PlainData {
  y: number[];
  u: number[];
  z: Record<string, number[]>;
  x: Record<string, number[]>;
  weights: number[];
  /** The family's per-row columns, when the data had them. */
  offset?: number[];
  trials?: number[];
}

/**
 * The prepared rows (incomplete rows dropped, sorted by u) as plain columns; u is
 * taken from the caller's column (exact values, not rescaled back).
 */
export function plainDataFrom(data: VCMoEData, ds: Dataset): PlainData {
  const uCaller = toFloat64("data.u", data.u, -1);
  const rows = Array.from({ length: ds.n }, (_, r) => r);
  const col = (M: Float64Array, d: number, k: number) => rows.map((r) => M[r * d + k]);
  const z: Record<string, number[]> = {}, x: Record<string, number[]> = {};
  for (let k = ds.interceptExpert ? 1 : 0; k < ds.q; k++) z[ds.zNames[k]] = col(ds.Z, ds.q, k);
  for (let k = ds.interceptGating ? 1 : 0; k < ds.p; k++) x[ds.xNames[k]] = col(ds.X, ds.p, k);
  return {
    y: Array.from(ds.y),
    u: rows.map((r) => uCaller[ds.keptRows[ds.order[r]]]),
    z, x,
    weights: Array.from(ds.w),
    ...(ds.offset ? { offset: Array.from(ds.offset) } : {}),
    ...(ds.trials ? { trials: Array.from(ds.trials) } : {}),
  };
}

/** The given rows of a plain data set, as fit() input. */
export function subsetRows(d: PlainData, rows: number[]): VCMoEData & { weights: number[]; offset?: number[]; trials?: number[] } {
  const pick = (a: number[]) => rows.map((i) => a[i]);
  const map = (o: Record<string, number[]>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, pick(v)]));
  return {
    y: pick(d.y), u: pick(d.u), z: map(d.z), x: map(d.x), weights: pick(d.weights),
    ...(d.offset ? { offset: pick(d.offset) } : {}),
    ...(d.trials ? { trials: pick(d.trials) } : {}),
  };
}
