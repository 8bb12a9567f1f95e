// Cross-validation folds: u-stratified and random, drawn with the core's
// xoshiro128** generator so that a seed gives the same folds on every backend.
import { withCore, type BackendName } from "../core/backend.js";
import { seededState } from "../core/seed.js";

/**
 * Fold (0..folds−1) of each of n rows that are sorted by u. Consecutive blocks of
 * `folds` rows receive a random permutation of the fold labels (a short last block
 * the first labels of one), so every fold spreads evenly along u and every
 * held-out row has training rows on both sides except at the very ends. The
 * permutation of each block orders `folds` uniforms from the core generator seeded
 * with `seed` (ties impossible in practice; broken by position).
 */
export async function assignFolds(n: number, folds: number, seed: number, backend: BackendName): Promise<number[]> {
  return withCore(backend, (core) => {
    const state = seededState(core, seed);
    const blocks = Math.ceil(n / folds);
    const buf = core.f64(blocks * folds);
    core.kernels.fillUniform(state, buf, blocks * folds);
    const U = buf.view().slice();
    const out = new Array<number>(n);
    const idx = Array.from({ length: folds }, (_, k) => k);
    for (let b = 0; b < blocks; b++) {
      const perm = idx.slice().sort((a, c) => U[b * folds + a] - U[b * folds + c] || a - c);
      for (let k = 0; k < folds && b * folds + k < n; k++) out[b * folds + k] = perm[k];
    }
    return out;
  });
}
