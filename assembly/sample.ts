// Exact samplers for simulation (binomial, Poisson, gamma, negative binomial) on the
// core's xoshiro128** stream, so that a seed gives the same data on every backend.
//   Poisson:  inversion by sequential search for μ < 10; PTRS (Hörmann 1993, "The
//             transformed rejection method for generating Poisson random variables",
//             Insurance: Mathematics and Economics 12) for μ >= 10.
//   Binomial: inversion by sequential search (BINV, Kachitvichyanukul & Schmeiser 1988)
//             for m·min(p, 1−p) < 10; BTRS (Hörmann 1993, "The generation of binomial
//             random variates", J. Stat. Comput. Simul. 46) otherwise.
//   Gamma:    Marsaglia & Tsang (2000, ACM TOMS 26), shape < 1 by Γ(a) = Γ(a+1)·U^(1/a).
//   Negative binomial (size θ, mean μ): Poisson(λ) with λ ~ Gamma(θ, μ/θ).
// Counts are returned as f64 (they may exceed the i32 range).
import { exp, log } from "./mathx";
import { lgamma, log1p } from "./special";
import { rngUniform, rngNormal } from "./rng";

/** Poisson(mu), mu >= 0. */
export function rngPoisson(state: Int32Array, mu: f64): f64 {
  if (!(mu > 0.0)) return 0.0;
  if (mu < 10.0) {
    while (true) {
      let p = exp(-mu), F = p, k = 0.0;
      const u = rngUniform(state);
      while (u > F && k < 200.0) {
        k += 1.0;
        p *= mu / k;
        F += p;
      }
      if (u <= F) return k;
      // the tail beyond 200 (probability < 1e-150) or rounding of F: draw again
    }
  }
  const smu = Math.sqrt(mu);
  const b = 0.931 + 2.53 * smu;
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2.0);
  const logMu = log(mu);
  while (true) {
    const U = rngUniform(state) - 0.5;
    const V = rngUniform(state);
    const us = 0.5 - Math.abs(U);
    const k = Math.floor((2.0 * a / us + b) * U + mu + 0.43);
    if (us >= 0.07 && V <= vr) return k;
    if (k < 0.0 || (us < 0.013 && V > us)) continue;
    if (log(V) + log(invAlpha) - log(a / (us * us) + b) <= -mu + k * logMu - lgamma(k + 1.0)) return k;
  }
  return 0.0; // unreachable
}

/** Binomial(m, p), m a non-negative integer, 0 <= p <= 1. */
export function rngBinomial(state: Int32Array, m: f64, p: f64): f64 {
  if (m == 0.0 || p <= 0.0) return 0.0;
  if (p >= 1.0) return m;
  if (p > 0.5) return m - rngBinomial(state, m, 1.0 - p);
  const q = 1.0 - p;
  if (m * p < 10.0) {
    // inversion: P(0) = q^m, P(k)/P(k−1) = (m − k + 1)/k · p/q
    const s = p / q;
    const r0 = exp(m * log1p(-p));
    while (true) {
      let r = r0, k = 0.0;
      let u = rngUniform(state);
      while (u > r && k < m) {
        u -= r;
        k += 1.0;
        r *= (m - k + 1.0) / k * s;
      }
      if (u <= r) return k;
      // rounding left mass beyond m: draw again
    }
  }
  const spq = Math.sqrt(m * p * q);
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = m * p + 0.5;
  const alpha = (2.83 + 5.1 / b) * spq;
  const vr = 0.92 - 4.2 / b;
  const mode = Math.floor((m + 1.0) * p);
  const lpq = log(p / q);
  const hm = lgamma(mode + 1.0) + lgamma(m - mode + 1.0);
  while (true) {
    const U = rngUniform(state) - 0.5;
    const V = rngUniform(state);
    const us = 0.5 - Math.abs(U);
    const k = Math.floor((2.0 * a / us + b) * U + c);
    if (k < 0.0 || k > m) continue;
    if (us >= 0.07 && V <= vr) return k;
    const lv = log(V * alpha / (a / (us * us) + b));
    if (lv <= hm - lgamma(k + 1.0) - lgamma(m - k + 1.0) + (k - mode) * lpq) return k;
  }
  return 0.0; // unreachable
}

/** Gamma(shape, 1), shape > 0. */
export function rngGamma(state: Int32Array, shape: f64): f64 {
  if (shape < 1.0) {
    const g = rngGamma(state, shape + 1.0);
    let u = rngUniform(state);
    while (u == 0.0) u = rngUniform(state);
    return g * exp(log(u) / shape);
  }
  const dd = shape - 1.0 / 3.0;
  const cc = 1.0 / Math.sqrt(9.0 * dd);
  while (true) {
    let x = 0.0, v = 0.0;
    do {
      x = rngNormal(state);
      v = 1.0 + cc * x;
    } while (v <= 0.0);
    v = v * v * v;
    const u = rngUniform(state);
    const x2 = x * x;
    if (u < 1.0 - 0.0331 * x2 * x2) return dd * v;
    if (u > 0.0 && log(u) < 0.5 * x2 + dd * (1.0 - v + log(v))) return dd * v;
  }
  return 0.0; // unreachable
}

/** Negative binomial with mean mu and size theta (Var = mu + mu²/theta). */
export function rngNegBin(state: Int32Array, mu: f64, theta: f64): f64 {
  if (!(mu > 0.0)) return 0.0;
  return rngPoisson(state, rngGamma(state, theta) * (mu / theta));
}

export function fillPoisson(state: Int32Array, n: i32, mu: Float64Array, out: Float64Array): void {
  for (let i = 0; i < n; i++) unchecked(out[i] = rngPoisson(state, unchecked(mu[i])));
}

export function fillBinomial(state: Int32Array, n: i32, m: Float64Array, p: Float64Array, out: Float64Array): void {
  for (let i = 0; i < n; i++) unchecked(out[i] = rngBinomial(state, unchecked(m[i]), unchecked(p[i])));
}

export function fillNegBin(state: Int32Array, n: i32, mu: Float64Array, theta: Float64Array, out: Float64Array): void {
  for (let i = 0; i < n; i++) unchecked(out[i] = rngNegBin(state, unchecked(mu[i]), unchecked(theta[i])));
}

export function fillGamma(state: Int32Array, n: i32, shape: Float64Array, out: Float64Array): void {
  for (let i = 0; i < n; i++) unchecked(out[i] = rngGamma(state, unchecked(shape[i])));
}
