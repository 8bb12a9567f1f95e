// The grid of a varying-coefficient fit and what the kernels need of it: each grid
// point's kernel window (a contiguous range of the u-sorted rows) and each row's
// interpolation bracket between two grid points. One LocalGrid value is built once per
// fit and travels with it (fit, screening, inference, model choice, replicates).
import type { Dataset } from "../data/dataset.js";
import { VCMoEInputError } from "../errors.js";
import { KERNELS, type KernelName } from "./kernel.js";

export interface Geometry {
  m: number;
  /** Kernel window of grid point j: rows lo[j] .. hi[j]-1 (rows sorted by u). */
  lo: Int32Array;
  hi: Int32Array;
  /** Row i lies between grid points jl[i] and jr[i] = jl[i] + 1, with weight lam[i] on jr[i] (outside [0, 1]: extrapolated). */
  jl: Int32Array;
  jr: Int32Array;
  lam: Float64Array;
}

/** A grid with its bandwidth and kernel, and its geometry on a fit's rows. */
export interface LocalGrid {
  /** Grid points on the unit u scale. */
  grid: Float64Array;
  /** Bandwidth on the unit u scale (1 for a global fit). */
  h: number;
  /** The kernel; null for a global (constant-coefficient) fit, where every row weighs 1. */
  kernel: KernelName | null;
  geometry: Geometry;
}

function lowerBound(t: ArrayLike<number>, x: number): number {
  let a = 0, b = t.length;
  while (a < b) { const mid = (a + b) >> 1; if (t[mid] < x) a = mid + 1; else b = mid; }
  return a;
}

/**
 * Interpolation bracket of t on the grid: the first j (0 .. m−2) with t <= grid[j+1]
 * (m − 2 beyond the grid), so that t lies between grid[j] and grid[j+1].
 */
function gridBracket(grid: ArrayLike<number>, t: number): number {
  let a = 0, b = grid.length - 2;
  while (a < b) { const mid = (a + b) >> 1; if (t <= grid[mid + 1]) b = mid; else a = mid + 1; }
  return a;
}

/** (u − uMin)/range for every entry: values of u on a fit's unit scale. */
export function unitScale(u: ArrayLike<number>, uMin: number, range: number): Float64Array {
  const out = new Float64Array(u.length);
  for (let i = 0; i < u.length; i++) out[i] = (u[i] - uMin) / range;
  return out;
}

/** Brackets and interpolation weights of points t (any order) on the grid; `extrapolated` counts those outside it. */
export function gridBrackets(grid: ArrayLike<number>, t: ArrayLike<number>): { jl: Int32Array; jr: Int32Array; lam: Float64Array; extrapolated: number } {
  const n = t.length, m = grid.length;
  const jl = new Int32Array(n), jr = new Int32Array(n), lam = new Float64Array(n);
  let extrapolated = 0;
  for (let i = 0; i < n; i++) {
    const ti = t[i];
    if (ti < grid[0] || ti > grid[m - 1]) extrapolated++;
    const j = gridBracket(grid, ti);
    jl[i] = j;
    jr[i] = j + 1;
    lam[i] = (ti - grid[j]) / (grid[j + 1] - grid[j]);
  }
  return { jl, jr, lam, extrapolated };
}

/**
 * The local grid of a fit: kernel windows and brackets of the rows. Rejects (naming
 * `argument`) a bandwidth that leaves a grid point with too few observations to fit
 * the local model.
 */
export function localGrid(ds: Pick<Dataset, "n" | "q" | "p" | "t" | "w" | "uMin" | "uRange">, grid: Float64Array, h: number, kernel: KernelName, argument = "options.bandwidth"): LocalGrid {
  const m = grid.length;
  const lo = new Int32Array(m), hi = new Int32Array(m);
  const cut = KERNELS[kernel].support * h;
  const minRows = 2 * Math.max(ds.q, ds.p) + 1;
  const thin: number[] = [];
  for (let j = 0; j < m; j++) {
    // Epanechnikov weight is 0 at |s| = 1, so the window is open at both ends
    lo[j] = lowerBound(ds.t, grid[j] - cut);
    while (lo[j] < ds.n && !(ds.t[lo[j]] > grid[j] - cut)) lo[j]++;
    hi[j] = lowerBound(ds.t, grid[j] + cut);
    let cnt = 0;
    for (let i = lo[j]; i < hi[j]; i++) if (ds.w[i] > 0) cnt++;
    if (cnt < minRows) thin.push(j);
  }
  if (thin.length > 0) {
    const ex = thin.slice(0, 3).map((j) => (ds.uMin + grid[j] * ds.uRange).toPrecision(4)).join(", ");
    throw new VCMoEInputError(argument, `bandwidth ${h} leaves ${thin.length} grid point(s) (u = ${ex}${thin.length > 3 ? ", ..." : ""}) with fewer than ${minRows} observations in the kernel window; increase the bandwidth`);
  }
  const { jl, jr, lam } = gridBrackets(grid, ds.t);
  return { grid, h, kernel, geometry: { m, lo, hi, jl, jr, lam } };
}

/** A global (constant-coefficient) fit: one "grid point" whose window is every row. */
export function globalGrid(n: number): LocalGrid {
  return {
    grid: Float64Array.of(0.5), h: 1, kernel: null,
    geometry: { m: 1, lo: Int32Array.of(0), hi: Int32Array.of(n), jl: new Int32Array(n), jr: new Int32Array(n), lam: new Float64Array(n) },
  };
}
