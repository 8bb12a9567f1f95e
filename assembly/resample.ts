// Bootstrap resampling and simulation from a fitted model, on the core's
// xoshiro128** generator so that every backend draws the same numbers.
import { interpDispersion } from "./kernel";
import { exp } from "./mathx";
import { mul32 } from "./platform";
import { rngNext, rngUniform } from "./rng";
import { Rows, Grid, AUX_WIDTH } from "./abi";
import { familyDraw } from "./family";

/** SplitMix32-style finaliser (a bijection of 32-bit words). */
function mix32(x: i32): i32 {
  let z = i32(x + i32(0x9e3779b9));
  z = mul32(z ^ (z >>> 16), i32(0x85ebca6b));
  z = mul32(z ^ (z >>> 13), i32(0xc2b2ae35));
  return z ^ (z >>> 16);
}

/**
 * Seeds an independent stream for task `stream` (a bootstrap replicate, a fold)
 * of the run seeded by (lo, hi): state word k = mix(mix(mix(lo + k·φ) ⊕ hi) ⊕ stream),
 * then 8 draws are discarded. A task's numbers depend only on (seed, stream), never
 * on which worker runs it or in what order.
 */
export function rngSeedStream(state: Int32Array, lo: i32, hi: i32, stream: i32): void {
  for (let k = 0; k < 4; k++) {
    const a = mix32(i32(lo + mul32(k + 1, i32(0x9e3779b9))));
    const b = mix32(a ^ hi ^ i32(0x632be5ab));
    unchecked(state[k] = mix32(b ^ stream ^ mul32(k, i32(0x85157af5))));
  }
  if ((unchecked(state[0]) | unchecked(state[1]) | unchecked(state[2]) | unchecked(state[3])) == 0) unchecked(state[0] = 1);
  for (let k = 0; k < 8; k++) rngNext(state);
}

/**
 * Nonparametric bootstrap as frequency weights: n rows drawn uniformly with
 * replacement, wOut[i] = w[i] × (number of times row i was drawn). The data stay
 * sorted by u, so the kernel windows of the fit are unchanged.
 */
export function resampleCounts(n: i32, state: Int32Array, w: Float64Array, wOut: Float64Array): void {
  for (let i = 0; i < n; i++) unchecked(wOut[i] = 0.0);
  for (let d = 0; d < n; d++) {
    let i = i32(Math.floor(rngUniform(state) * f64(n)));
    if (i >= n) i = n - 1;
    unchecked(wOut[i] += 1.0);
  }
  for (let i = 0; i < n; i++) unchecked(wOut[i] = unchecked(wOut[i]) * unchecked(w[i]));
}

/**
 * Parametric bootstrap: at each row's own u (curves linearly interpolated between grid
 * points jl[i], jr[i] with weight lam[i], as in the E-step) draws a label from the
 * gating probabilities, then a response of the expert family at η = offset + zᵀα_c(u)
 * with dispersion φ_c(u) and the row's trials (familyDraw: the core's exact samplers).
 * Writes yOut and the 0-based labels; the designs come from rows, the curves from
 * grid. Per row: one uniform (label), then the family's draws, in row order.
 */
export function simulateMoE(
  rows: Rows, grid: Grid, state: Int32Array, prob: Float64Array, yOut: Float64Array, labels: Int32Array,
): void {
  const n = rows.n, K = rows.K, q = rows.q, p = rows.p, Z = rows.Z, X = rows.X, aux = rows.aux, family = rows.family;
  const jl = grid.jl, jr = grid.jr, lam = grid.lam, alpha = grid.alpha, phi = grid.phi, gamma = grid.gamma;
  for (let i = 0; i < n; i++) {
    const a = unchecked(jl[i]), b = unchecked(jr[i]);
    const lb = unchecked(lam[i]), la = 1.0 - lb;
    let mx = -Infinity;
    for (let c = 0; c < K; c++) {
      const ga = (a * K + c) * p, gb = (b * K + c) * p;
      let l = 0.0;
      for (let k = 0; k < p; k++) {
        const xv = unchecked(X[i * p + k]);
        l += xv * (la * unchecked(gamma[ga + k]) + lb * unchecked(gamma[gb + k]));
      }
      unchecked(prob[c] = l);
      mx = Math.max(mx, l);
    }
    let sum = 0.0;
    for (let c = 0; c < K; c++) {
      const e = exp(unchecked(prob[c]) - mx);
      unchecked(prob[c] = e);
      sum += e;
    }
    const uu = rngUniform(state) * sum;
    let c = 0, acc = unchecked(prob[0]);
    while (c < K - 1 && uu >= acc) { c++; acc += unchecked(prob[c]); }
    const ea = (a * K + c) * q, eb = (b * K + c) * q;
    let mu = 0.0;
    for (let k = 0; k < q; k++) {
      const zv = unchecked(Z[i * q + k]);
      mu += zv * (la * unchecked(alpha[ea + k]) + lb * unchecked(alpha[eb + k]));
    }
    const ph = interpDispersion(unchecked(phi[a * K + c]), unchecked(phi[b * K + c]), lb);
    unchecked(yOut[i] = familyDraw(family, state, unchecked(aux[AUX_WIDTH * i]) + mu, ph, unchecked(aux[AUX_WIDTH * i + 1])));
    unchecked(labels[i] = c);
  }
}
