// Standard normal distribution function and quantile, for pointwise intervals.
// Φ via erf(x) = (2/√π) e^{−x²} Σ_n 2ⁿ x^{2n+1} / (1·3·…·(2n+1)) (all terms positive:
// no cancellation), the quantile by Newton's method on Φ. Relative accuracy ~1e-14
// for the quantiles of levels up to 1 − 1e-9 (|x| ≲ 6), which is all we use.
import { exp, log } from "../core/detmath.js";

function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x, sum = x;
  for (let n = 1; n < 500; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return (2 / Math.sqrt(Math.PI)) * exp(-x2) * sum;
}

/** Φ(x) for |x| ≤ 8.5. */
export function normalCdf(x: number): number {
  if (x > 8.5) return 1;
  if (x < -8.5) return 0;
  const e = erfSeries(Math.abs(x) / Math.SQRT2);
  return x >= 0 ? 0.5 + 0.5 * e : 0.5 - 0.5 * e;
}

/** Φ⁻¹(p) for 1e-12 ≤ p ≤ 1 − 1e-12. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return NaN;
  if (p < 0.5) return -normalQuantile(1 - p);
  let x = Math.sqrt(-2 * log(1 - p)) * 0.8; // rough start, refined below
  if (p === 0.5) return 0;
  for (let it = 0; it < 100; it++) {
    const f = normalCdf(x) - p;
    const d = exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    const step = f / d;
    x -= step;
    if (Math.abs(step) < 1e-15 * Math.max(1, Math.abs(x))) break;
  }
  return x;
}
