// Warm start of the label-consistent EM: the screening run's coarse-grid local-linear
// parameters carried to the fit's grid.
import type { GridParams } from "./workspace.js";

/** Local-linear parameters on a coarse subset of the fit's grid (unit u scale). */
export interface WarmStart {
  params: GridParams;
  grid: Float64Array;
}

/**
 * Parameters on grid `fine` from those on the sorted coarse grid (same bandwidth h; slopes are
 * per s = (u − g)/h): between two coarse points the two local lines, each evaluated at u,
 * blended linearly (beyond the ends, the end point's line); slopes and dispersions blended likewise.
 */
export function interpolateParams(warm: WarmStart, fine: Float64Array, h: number, K: number, q: number, p: number): GridParams {
  const { params: P, grid: coarse } = warm;
  const mc = coarse.length, m = fine.length;
  const out: GridParams = {
    m, alpha: new Float64Array(m * K * q), alphaS: new Float64Array(m * K * q), phi: new Float64Array(m * K),
    gamma: new Float64Array(m * K * p), gammaS: new Float64Array(m * K * p),
  };
  let c = 0;
  for (let j = 0; j < m; j++) {
    const u = fine[j];
    while (c < mc - 2 && coarse[c + 1] < u) c++;
    const c1 = mc > 1 ? c + 1 : c;
    const t = mc > 1 ? Math.min(1, Math.max(0, (u - coarse[c]) / (coarse[c1] - coarse[c]))) : 0;
    const line = (val: Float64Array, slope: Float64Array, dst: Float64Array, dstS: Float64Array, width: number) => {
      for (let k = 0; k < K * width; k++) {
        const a = c * K * width + k, b = c1 * K * width + k;
        dst[j * K * width + k] = (1 - t) * (val[a] + (slope[a] * (u - coarse[c])) / h) + t * (val[b] + (slope[b] * (u - coarse[c1])) / h);
        dstS[j * K * width + k] = (1 - t) * slope[a] + t * slope[b];
      }
    };
    line(P.alpha, P.alphaS, out.alpha, out.alphaS, q);
    line(P.gamma, P.gammaS, out.gamma, out.gammaS, p);
    for (let k = 0; k < K; k++) out.phi[j * K + k] = (1 - t) * P.phi[c * K + k] + t * P.phi[c1 * K + k];
  }
  return out;
}
