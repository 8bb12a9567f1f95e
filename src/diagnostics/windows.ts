// Per-grid-point summaries of the posteriors over each kernel window, in one pass over
// the window's rows (they were three passes; each sum is still accumulated in row order
// from the same terms, so the numbers are the same bit for bit).
import type { Dataset } from "../data/dataset.js";
import { log } from "../core/detmath.js";
import { kernelWeight } from "../model/kernel.js";
import type { LocalGrid } from "../model/grid.js";

export interface WindowSummaries {
  /** Kernel-weighted share of each component at each grid point: Σ K w r_ic / Σ K w (rows: grid points). */
  componentWeights: number[][];
  /**
   * Effective number of observations behind component c at grid point j: Kish's
   * (Σ a_i)² / Σ a_i² with a_i = K((t_i − g_j)/h)·w_i·r_ic. A component that collapsed
   * onto a handful of rows has a value near that handful.
   */
  effectiveRows: number[][];
  /** Mean posterior entropy (nats) of the rows in each grid point's window, kernel-weighted. */
  entropy: number[];
}

export function windowSummaries(R: Float64Array, ds: Dataset, K: number, local: LocalGrid): WindowSummaries {
  const { grid, h, geometry: { lo, hi } } = local, kernel = local.kernel!;
  const { t, w } = ds;
  const rowEntropy = new Float64Array(ds.n);
  for (let i = 0; i < ds.n; i++) {
    let e = 0;
    for (let c = 0; c < K; c++) { const r = R[i * K + c]; if (r > 0) e -= r * log(r); }
    rowEntropy[i] = e;
  }
  const m = grid.length;
  const componentWeights: number[][] = new Array(m), effectiveRows: number[][] = new Array(m), entropy: number[] = new Array(m);
  const s1 = new Float64Array(K), s2 = new Float64Array(K);
  for (let j = 0; j < m; j++) {
    const g = grid[j];
    s1.fill(0); s2.fill(0);
    let tot = 0, e = 0;
    for (let i = lo[j]; i < hi[j]; i++) {
      const kw = kernelWeight(kernel, (t[i] - g) / h) * w[i];
      tot += kw;
      e += kw * rowEntropy[i];
      for (let c = 0; c < K; c++) { const a = kw * R[i * K + c]; s1[c] += a; s2[c] += a * a; }
    }
    const cw = new Array<number>(K), er = new Array<number>(K);
    for (let c = 0; c < K; c++) { cw[c] = s1[c] / tot; er[c] = s2[c] > 0 ? (s1[c] * s1[c]) / s2[c] : 0; }
    componentWeights[j] = cw; effectiveRows[j] = er; entropy[j] = e / tot;
  }
  return { componentWeights, effectiveRows, entropy };
}
