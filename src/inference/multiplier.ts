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
    // grid points without a standard error (singular information, a fixed dispersion)
    // have no band: the maximum runs over the others, as in the bootstrap
    const J: number[] = [];
    for (let j = 0; j < m; j++) { const v = C[j * m + j]; if (v > 0 && Number.isFinite(v)) J.push(j); }
    const mm = J.length;
    if (mm === 0) { criticalValues.push(NaN); ridge.push(NaN); continue; }
    const sd = J.map((j) => Math.sqrt(C[j * m + j]));
    const R = A.view();
    for (let a = 0; a < mm; a++) for (let b = 0; b < mm; b++) R[a * mm + b] = C[J[a] * m + J[b]] / (sd[a] * sd[b]);
    const r = core.kernels.choleskyFactor(A, mm, L);
    ridge.push(r);
    if (r < 0) { criticalValues.push(NaN); continue; }
    core.kernels.rngSeedStream(rng, lo, hi, e);
    core.kernels.maxAbsGaussian(L, mm, draws, rng, xi, out);
    criticalValues.push(upperQuantile(out.view(), level));
  }
  return { criticalValues, ridge };
}
