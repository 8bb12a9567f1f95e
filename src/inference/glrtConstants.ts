// Kernel constants of the generalized likelihood ratio test (Fan, Zhang & Zhang
// 2001, Ann. Stat. 29, Theorem 5 and its remark), computed by numerical
// integration for the kernel in use rather than looked up:
//   r_K = [K(0) − ½∫K²] / ∫[K(t) − ½(K*K)(t)]² dt,
//   μ_n = r_K · c_p · |U| · [K(0) − ½∫K²] / h.
// Reference values from that paper: Epanechnikov r_K ≈ 2.1153 with
// K(0) − ½∫K² = 0.45; Gaussian r_K ≈ 2.5375.
import { kernelOnLine, type KernelName } from "../model/kernel.js";

export interface GlrtKernelConstants {
  kernel: KernelName;
  /** K(0). */
  k0: number;
  /** ∫K². */
  intK2: number;
  /** K(0) − ½∫K². */
  numerator: number;
  /** ∫[K − ½ K*K]². */
  denominator: number;
  /** r_K = numerator / denominator. */
  rK: number;
}

/** Composite Simpson rule on [a, b] with an even number of intervals. */
function simpson(f: (x: number) => number, a: number, b: number, intervals: number): number {
  if (!(b > a)) return 0;
  const N = intervals + (intervals % 2);
  const hh = (b - a) / N;
  let sum = f(a) + f(b);
  for (let i = 1; i < N; i++) sum += (i % 2 === 1 ? 4 : 2) * f(a + i * hh);
  return (sum * hh) / 3;
}

const cache = new Map<KernelName, GlrtKernelConstants>();

/**
 * r_K and K(0) − ½∫K² for a kernel, by Simpson integration split at the points
 * where K or K*K are not smooth (the support ends ±c and 0), so that the rule
 * converges at its full order.
 *
 * @example
 * glrtKernelConstants("epanechnikov").rK; // 2.1153
 */
export function glrtKernelConstants(kernel: KernelName): GlrtKernelConstants {
  const hit = cache.get(kernel);
  if (hit) return hit;
  const { f, support: c } = kernelOnLine(kernel);
  const N = 400;
  const integrate = (g: (x: number) => number, breaks: number[]) => {
    let s = 0;
    for (let k = 0; k + 1 < breaks.length; k++) s += simpson(g, breaks[k], breaks[k + 1], N);
    return s;
  };
  // (K*K)(t) = ∫ K(s) K(t − s) ds over the overlap of the two supports
  const conv = (t: number) => {
    const a = Math.max(-c, t - c), b = Math.min(c, t + c);
    return b > a ? integrate((s) => f(s) * f(t - s), [a, 0.5 * (a + b), b]) : 0;
  };
  const k0 = f(0);
  const intK2 = integrate((s) => f(s) * f(s), [-c, 0, c]);
  const numerator = k0 - 0.5 * intK2;
  const denominator = integrate((t) => (f(t) - 0.5 * conv(t)) ** 2, [-2 * c, -c, 0, c, 2 * c]);
  const out: GlrtKernelConstants = { kernel, k0, intK2, numerator, denominator, rK: numerator / denominator };
  cache.set(kernel, out);
  return out;
}

/**
 * Effective degrees of freedom μ_n = r_K c_p |U| [K(0) − ½∫K²] / h, with h and |U|
 * on the same (unit-rescaled u) scale.
 *
 * @example
 * glrtDegreesOfFreedom(glrtKernelConstants("epanechnikov"), 1, 1, 0.25); // 3.807
 */
export function glrtDegreesOfFreedom(kc: GlrtKernelConstants, testedFunctions: number, rangeU: number, h: number): number {
  return (kc.rK * testedFunctions * rangeU * kc.numerator) / h;
}
