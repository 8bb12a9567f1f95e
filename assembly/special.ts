// Special functions for the count families, written once for both builds (they
// use only mathx exp/log and IEEE arithmetic, so the WebAssembly core and the
// portable fallback return bit-identical values).
//   lgamma, digamma, trigamma for x > 0: upward shift by the recurrences
//   Γ(x+1) = xΓ(x), ψ(x+1) = ψ(x) + 1/x, ψ'(x+1) = ψ'(x) − 1/x², then the
//   Stirling / asymptotic series (Abramowitz & Stegun 6.1.40, 6.3.18, 6.4.12),
//   truncated where the next term is below 1e-16 of the value.
//   The differences lgamma(θ+y) − lgamma(θ) etc. that the negative binomial needs
//   are computed without the cancellation of subtracting two large values.
//   The regularised incomplete gamma functions P(a, x) and Q(a, x) (the χ² tail of
//   the GLRT is Q(df/2, x/2)).
import { exp, log, logInline } from "./mathx";
import { log2x, PAIR } from "./simd";

const HALF_LOG_2PI: f64 = 0.9189385332046728;

/** log(1 + x) for x > −1, accurate also for tiny x (Goldberg's correction of the rounded 1 + x). */
export function log1p(x: f64): f64 {
  return log1pInline(x);
}

/** log1p(x) with its log inlined at the call site (bit-identical to log1p), for the hottest per-row loops. */
// @ts-ignore: decorator
@inline export function log1pInline(x: f64): f64 {
  const u = 1.0 + x;
  if (u == 1.0) return x;
  if (u == Infinity) return u;
  return logInline(u) * (x / (u - 1.0));
}

/**
 * log1p(x) from u = 1 + x and lu = log(u) computed by the caller (e.g. two at once in log2x):
 * log1pInline's result, bit for bit, when lu is logInline(u).
 */
// @ts-ignore: decorator
@inline export function log1pFromLog(x: f64, u: f64, lu: f64): f64 {
  if (u == 1.0) return x;
  if (u == Infinity) return u;
  return lu * (x / (u - 1.0));
}

/** Stirling series of lgamma without its leading terms: Σ B_2k / (2k(2k−1) x^(2k−1)), x >= 8. */
// @ts-ignore: decorator
@inline function stirlingTail(x: f64): f64 {
  const r = 1.0 / x, r2 = r * r;
  return r * (1.0 / 12.0 - r2 * (1.0 / 360.0 - r2 * (1.0 / 1260.0 - r2 * (1.0 / 1680.0 - r2 * (1.0 / 1188.0
    - r2 * (691.0 / 360360.0 - r2 * (1.0 / 156.0)))))));
}

/** log Γ(x) for x > 0 (+Infinity at 0, NaN for negative or NaN arguments). */
export function lgamma(x: f64): f64 {
  if (!(x > 0.0)) return x == 0.0 ? Infinity : NaN;
  if (x == 1.0 || x == 2.0) return 0.0;
  if (x == Infinity) return x;
  let prod = 1.0;
  while (x < 8.0) { prod *= x; x += 1.0; }
  const v = (x - 0.5) * log(x) - x + HALF_LOG_2PI + stirlingTail(x);
  return prod == 1.0 ? v : v - log(prod);
}

/** Asymptotic tail of digamma: ψ(x) = log x − 1/(2x) − tail, x >= 10. */
// @ts-ignore: decorator
@inline function digammaTail(x: f64): f64 {
  const r2 = 1.0 / (x * x);
  return r2 * (1.0 / 12.0 - r2 * (1.0 / 120.0 - r2 * (1.0 / 252.0 - r2 * (1.0 / 240.0 - r2 * (1.0 / 132.0
    - r2 * (691.0 / 32760.0 - r2 * (1.0 / 12.0)))))));
}

/** ψ(x) = d/dx log Γ(x) for x > 0. */
export function digamma(x: f64): f64 {
  if (!(x > 0.0)) return x == 0.0 ? -Infinity : NaN;
  if (x == Infinity) return x;
  let acc = 0.0;
  while (x < 10.0) { acc -= 1.0 / x; x += 1.0; }
  return acc + log(x) - 0.5 / x - digammaTail(x);
}

/** Asymptotic tail of trigamma: ψ'(x) = 1/x + 1/(2x²) + tail, x >= 10. */
// @ts-ignore: decorator
@inline function trigammaTail(x: f64): f64 {
  const r = 1.0 / x, r2 = r * r;
  return r * r2 * (1.0 / 6.0 - r2 * (1.0 / 30.0 - r2 * (1.0 / 42.0 - r2 * (1.0 / 30.0
    - r2 * (5.0 / 66.0 - r2 * (691.0 / 2730.0 - r2 * (7.0 / 6.0)))))));
}

/** ψ'(x) for x > 0. */
export function trigamma(x: f64): f64 {
  if (!(x > 0.0)) return x == 0.0 ? Infinity : NaN;
  if (x == Infinity) return 0.0;
  let acc = 0.0;
  while (x < 10.0) { acc += 1.0 / (x * x); x += 1.0; }
  const r = 1.0 / x;
  return acc + r + 0.5 * r * r + trigammaTail(x);
}

/** Small non-negative integer counts take the exact finite sums / products below. */
const SMALL_COUNT: f64 = 16.0;

// @ts-ignore: decorator
@inline function isSmallCount(y: f64): bool {
  return y <= SMALL_COUNT && y == Math.floor(y);
}

/** lgamma(θ + y) − lgamma(θ) for θ > 0, y >= 0, without cancellation for large θ. */
export function lgammaDiff(theta: f64, y: f64): f64 {
  if (y == 0.0) return 0.0;
  if (isSmallCount(y) && theta < 1e15) {
    // log Π_{k<y} (θ + k): one log, product far from overflow for y <= 16
    let prod = 1.0;
    for (let k = 0.0; k < y; k += 1.0) prod *= theta + k;
    return log(prod);
  }
  if (theta >= 10.0) {
    // Stirling form of both terms, the large parts combined analytically:
    // (θ − ½) log(1 + y/θ) + y log(θ + y) − y + tail(θ + y) − tail(θ)
    const x2 = theta + y;
    return (theta - 0.5) * log1p(y / theta) + y * log(x2) - y + (stirlingTail(x2) - stirlingTail(theta));
  }
  return lgamma(theta + y) - lgamma(theta);
}

/** ψ(θ + y) − ψ(θ). */
export function digammaDiff(theta: f64, y: f64): f64 {
  if (y == 0.0) return 0.0;
  if (isSmallCount(y)) {
    let s = 0.0;
    for (let k = 0.0; k < y; k += 1.0) s += 1.0 / (theta + k);
    return s;
  }
  if (theta >= 10.0) {
    const x2 = theta + y;
    return log1p(y / theta) - 0.5 * (1.0 / x2 - 1.0 / theta) - (digammaTail(x2) - digammaTail(theta));
  }
  return digamma(theta + y) - digamma(theta);
}

/** ψ'(θ + y) − ψ'(θ) (negative for y > 0). */
export function trigammaDiff(theta: f64, y: f64): f64 {
  if (y == 0.0) return 0.0;
  if (isSmallCount(y)) {
    let s = 0.0;
    for (let k = 0.0; k < y; k += 1.0) { const v = theta + k; s -= 1.0 / (v * v); }
    return s;
  }
  if (theta >= 10.0) {
    // leading terms differenced analytically: 1/x2 − 1/θ and (1/x2² − 1/θ²)/2
    const x2 = theta + y;
    return -y / (theta * x2) - 0.5 * y * (theta + x2) / (theta * theta * x2 * x2) + (trigammaTail(x2) - trigammaTail(theta));
  }
  return trigamma(theta + y) - trigamma(theta);
}

/** The logistic 1/(1 + e^−a), from e = exp(−|a|). */
// @ts-ignore: decorator
@inline export function logisticFrom(a: f64, e: f64): f64 {
  return a > 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
}

/** softplus(a) = log(1 + e^a), stable for every a. */
// @ts-ignore: decorator
@inline export function softplusFrom(a: f64, e: f64): f64 {
  // e = exp(−|a|), passed in because callers need it for the logistic too
  return Math.max(a, 0.0) + log1pInline(e);
}

/**
 * softplusFrom of two arguments (eA = exp(−|aA|), eB = exp(−|aB|)) into PAIR, the logs of
 * their log1p in one log2x: two softplusFrom calls' results, bit for bit.
 */
// @ts-ignore: decorator
@inline export function softplusPairFrom(aA: f64, eA: f64, aB: f64, eB: f64): void {
  const uA = 1.0 + eA, uB = 1.0 + eB;
  log2x(uA, uB);
  const lpA = log1pFromLog(eA, uA, unchecked(PAIR[0])), lpB = log1pFromLog(eB, uB, unchecked(PAIR[1]));
  unchecked(PAIR[0] = Math.max(aA, 0.0) + lpA);
  unchecked(PAIR[1] = Math.max(aB, 0.0) + lpB);
}

// ---- regularised incomplete gamma --------------------------------------------------
// P(a, x) = γ(a, x)/Γ(a), Q(a, x) = Γ(a, x)/Γ(a) = 1 − P. For x < a + 1 the power series
// of P converges fast (DLMF 8.7.1); for x >= a + 1 the continued fraction of Q (DLMF 8.9.2,
// evaluated by the modified Lentz method). The other function is 1 minus the one computed,
// which keeps full relative accuracy because that one is then at most about ½ … 1 − e^(−1).
// Iterations grow like √a near x ≈ a; the χ² degrees of freedom of the GLRT are far below
// the sizes where that matters.

const GAMMA_EPS: f64 = 1e-16;
const GAMMA_TINY: f64 = 1e-300;
const GAMMA_MAX_ITER: i32 = 1000000;

/** log(1 + d) − d for |d| < ¼, by its series (the difference cancels near 0). */
function log1pmx(d: f64): f64 {
  // −d²/2 + d³/3 − d⁴/4 + … ; |d| < ¼: 27 terms reach 1e-17 of the first
  let term = -d * d, sum = 0.0;
  for (let k = 2; k < 40; k++) {
    const t = term / <f64>k;
    sum += t;
    if (Math.abs(t) <= 1e-17 * Math.abs(sum)) break;
    term *= -d;
  }
  return sum;
}

/**
 * x^a e^(−x) / Γ(a), the factor in front of both the series and the continued fraction.
 * For a >= 8 through Stirling's form of Γ(a): √(a/2π) · exp(a·log(x/a) − (x − a) − tail(a)),
 * so the large terms a·log x, x and log Γ(a) never cancel numerically; near x = a the
 * exponent is a·(log1p(d) − d) with d = (x − a)/a, summed as a series.
 */
function gammaPrefix(a: f64, x: f64): f64 {
  if (x == 0.0) return 0.0;
  if (a < 8.0) return exp(a * log(x) - x - lgamma(a));
  const d = (x - a) / a;
  const e = Math.abs(d) < 0.25 ? a * log1pmx(d) : a * log(x / a) - (x - a);
  return Math.sqrt(a / (2.0 * Math.PI)) * exp(e - stirlingTail(a));
}

/** P(a, x) by the series x^a e^(−x)/Γ(a+1) · Σ_n x^n / ((a+1)…(a+n)), for x < a + 1. */
function lowerSeries(a: f64, x: f64): f64 {
  let term = 1.0, sum = 1.0;
  for (let n = 1; n < GAMMA_MAX_ITER; n++) {
    term *= x / (a + <f64>n);
    sum += term;
    if (term <= GAMMA_EPS * sum) break;
  }
  return (gammaPrefix(a, x) / a) * sum;
}

/** Q(a, x) by the continued fraction 1/(x+1−a− 1(1−a)/(x+3−a− 2(2−a)/(x+5−a− …))), x >= a + 1. */
function upperFraction(a: f64, x: f64): f64 {
  let b = x + 1.0 - a;
  let c = 1.0 / GAMMA_TINY;
  let d = 1.0 / b;
  let h = d;
  for (let i = 1; i < GAMMA_MAX_ITER; i++) {
    const an = -<f64>i * (<f64>i - a);
    b += 2.0;
    d = an * d + b;
    if (Math.abs(d) < GAMMA_TINY) d = GAMMA_TINY;
    c = b + an / c;
    if (Math.abs(c) < GAMMA_TINY) c = GAMMA_TINY;
    d = 1.0 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1.0) <= GAMMA_EPS) break;
  }
  return gammaPrefix(a, x) * h;
}

/** Regularised lower incomplete gamma P(a, x) for a > 0, x >= 0 (NaN otherwise). */
export function gammaincP(a: f64, x: f64): f64 {
  if (!(a > 0.0) || !(x >= 0.0) || a == Infinity) return NaN;
  if (x == 0.0) return 0.0;
  if (x == Infinity) return 1.0;
  return x < a + 1.0 ? lowerSeries(a, x) : 1.0 - upperFraction(a, x);
}

/** Regularised upper incomplete gamma Q(a, x) = 1 − P(a, x) for a > 0, x >= 0 (NaN otherwise). */
export function gammaincQ(a: f64, x: f64): f64 {
  if (!(a > 0.0) || !(x >= 0.0) || a == Infinity) return NaN;
  if (x == 0.0) return 1.0;
  if (x == Infinity) return 0.0;
  return x < a + 1.0 ? 1.0 - lowerSeries(a, x) : upperFraction(a, x);
}
