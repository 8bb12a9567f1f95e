// Gaussian-multiplier critical values: for each curve, the (1−α) quantile of
// max_j |Z_j| with Z ~ N(0, R), R the estimated correlation of β̂(u_1..u_m) from
// the sandwich across grid points (Cov(β̂(u_j), β̂(u_k)) = L H_j⁻¹ (Σ_i w_i s_ij s_ikᵀ)
// H_k⁻¹ Lᵀ, assembly/infer.ts). The draws come from the core's generator (stream e
// of the caller's seed), so every backend gives the same value.
import type { Core } from "../core/backend.js";
import type { Sandwich } from "./sandwich.js";
import { seedWords } from "../core/seed.js";

export interface MultiplierResult {
  criticalValues: number[];
  /** Ridge added to each correlation matrix to factor it (0 = none). */
  ridge: number[];
}

/** Type-1 (inverse empirical distribution) quantile: the ⌈level·N⌉-th smallest value. */
export function upperQuantile(values: ArrayLike<number>, level: number): number {
  const v = Float64Array.from(values).sort();
  if (v.length === 0) return NaN;
  const k = Math.min(v.length, Math.max(1, Math.ceil(level * v.length - 1e-9)));
  return v[k - 1];
}

export function multiplierCritical(core: Core, sw: Sandwich, level: number, draws: number, seed: number): MultiplierResult {
  const { m, E } = sw;
  const [lo, hi] = seedWords(seed);
  const A = core.f64(m * m), L = core.f64(m * m), xi = core.f64(m), out = core.f64(draws), rng = core.i32(4);
  const criticalValues: number[] = [], ridge: number[] = [];
  for (let e = 0; e < E; e++) {
    const C = sw.covariance(e);
    const sd = Float64Array.from({ length: m }, (_, j) => Math.sqrt(C[j * m + j]));
    if (!sd.every((v) => v > 0 && Number.isFinite(v))) { criticalValues.push(NaN); ridge.push(NaN); continue; }
    const R = A.view();
    for (let j = 0; j < m; j++) for (let k = 0; k < m; k++) R[j * m + k] = C[j * m + k] / (sd[j] * sd[k]);
    const r = core.kernels.choleskyFactor(A, m, L);
    ridge.push(r);
    if (r < 0) { criticalValues.push(NaN); continue; }
    core.kernels.rngSeedStream(rng, lo, hi, e);
    core.kernels.maxAbsGaussian(L, m, draws, rng, xi, out);
    criticalValues.push(upperQuantile(out.view(), level));
  }
  return { criticalValues, ridge };
}
