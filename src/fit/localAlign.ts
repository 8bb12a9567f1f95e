// The per-grid-point baseline (what the reference R package does by default):
// independent local EM at every grid point (warm start from the previous point
// plus random starts, best local likelihood kept), then label alignment along u.
import { alignAlongGrid, type Alignment } from "./align.js";
import type { GridParams, GridState } from "./workspace.js";

export interface LocalAlignSettings {
  localStarts: number;
  maxIter: number;
  tol: number;
  sigmaFloor: number;
}

export interface LocalAlignRun {
  params: GridParams;
  alignment: Alignment;
  /** Local EM iterations used at each grid point (best start). */
  iterations: number[];
  converged: boolean[];
}

function copySlice(src: GridParams, dst: GridParams, jFrom: number, jTo: number, K: number, q: number, p: number): void {
  const mv = (a: Float64Array, b: Float64Array, w: number) => b.set(a.subarray(jFrom * K * w, (jFrom + 1) * K * w), jTo * K * w);
  mv(src.alpha, dst.alpha, q); mv(src.alphaS, dst.alphaS, q); mv(src.phi, dst.phi, 1);
  mv(src.gamma, dst.gamma, p); mv(src.gammaS, dst.gammaS, p);
}

/**
 * Local EM at grid point j from the state's current parameters there, until the
 * local log-likelihood changes by at most tol·(|ℓ|+1) or maxIter iterations.
 */
export function localEM(state: GridState, j: number, maxIter: number, tol: number, sigmaFloor: number): { logLik: number; iterations: number; converged: boolean } {
  let ll = state.estepLocal(j), it = 0, converged = false;
  while (it < maxIter) {
    state.mstep(j, j + 1, { sigmaFloor, maxNewton: 2 });
    it++;
    const prev = ll;
    ll = state.estepLocal(j);
    if (!Number.isFinite(ll)) break;
    if (Math.abs(ll - prev) <= tol * (Math.abs(prev) + 1)) { converged = true; break; }
  }
  return { logLik: ll, iterations: it, converged };
}

export function runLocalAlign(state: GridState, init: GridParams, s: LocalAlignSettings): LocalAlignRun {
  const { data, m } = state;
  const { ds, K } = data;
  const { q, p } = ds;
  state.writeConstant(init);
  const result = state.read();
  const iterations: number[] = [], converged: boolean[] = [];
  const lo = state.lo.view().slice(), hi = state.hi.view().slice();
  for (let j = 0; j < m; j++) {
    let bestLL = -Infinity, bestIt = 0, bestConv = false;
    let best: GridParams | null = null;
    for (let st = 0; st <= s.localStarts; st++) {
      const P = state.read();
      if (st === 0) {
        copySlice(j === 0 ? P : result, P, j === 0 ? 0 : j - 1, j, K, q, p); // warm start
        state.write(P);
      } else {
        // random hard labels in the window, then an M-step
        // draw first: uniforms() allocates in the core, which may grow wasm memory
        // and detach an earlier view of R (writes to it would then be lost)
        const u = data.uniforms(hi[j] - lo[j]);
        const R = data.R.view();
        for (let i = lo[j]; i < hi[j]; i++) {
          const c = Math.min(K - 1, Math.floor(u[i - lo[j]] * K));
          for (let k = 0; k < K; k++) R[i * K + k] = k === c ? 1 : 0;
        }
        state.mstep(j, j + 1, { sigmaFloor: s.sigmaFloor, maxNewton: 5 });
      }
      const { logLik: ll, iterations: it, converged: conv } = localEM(state, j, s.maxIter, s.tol, s.sigmaFloor);
      if (ll > bestLL) { bestLL = ll; best = state.read(); bestIt = it; bestConv = conv; }
    }
    copySlice(best!, result, j, j, K, q, p);
    iterations.push(bestIt);
    converged.push(bestConv);
  }
  const alignment = alignAlongGrid(result, K, q, p);
  state.write(result);
  return { params: result, alignment, iterations, converged };
}
