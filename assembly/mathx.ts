// exp and log written once for both builds, so that the WebAssembly core and the
// portable fallback produce bit-identical numbers (the engines' own Math.exp/log
// differ in the last ulp, and EM iteration counts would then differ too).
// Method: Cody–Waite range reduction + Taylor polynomial (exp); exponent split +
// atanh series (log). Accuracy is about 1 ulp, checked against Math in test/.
import { highWord, lowWord, fromWords } from "./platform";

const LN2_HI: f64 = 6.93147180369123816490e-01; // ln 2 with trailing zero bits: k*LN2_HI is exact
const LN2_LO: f64 = 1.90821492927058770002e-10; // ln 2 - LN2_HI
const INV_LN2: f64 = 1.44269504088896338700e+00;
const SQRT2: f64 = 1.4142135623730951;

/** 2^k for -1022 <= k <= 1023 (normal range). */
// @ts-ignore: decorator
@inline function pow2(k: i32): f64 {
  return fromWords((k + 1023) << 20, 0);
}

export function exp(x: f64): f64 {
  return expInline(x);
}

/** exp(x), inlined at the call site (the same arithmetic: bit-identical to exp), for the hottest per-row loops. */
// @ts-ignore: decorator
@inline export function expInline(x: f64): f64 {
  if (x != x) return x;
  if (x > 709.782712893384) return Infinity;
  if (x < -745.1332191019412) return 0.0;
  const kf = Math.floor(x * INV_LN2 + 0.5);
  const k = i32(kf);
  const r = (x - kf * LN2_HI) - kf * LN2_LO; // |r| <= 0.35
  // Taylor series to r^13/13! (truncation error < 1e-17 on |r| <= 0.35), evaluated
  // by Estrin's scheme: short dependency chains instead of one 13-step Horner chain.
  const r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
  const a01 = 1.0 + r;
  const a23 = 0.5 + r * 0.16666666666666666;
  const a45 = 4.1666666666666664e-2 + r * 8.333333333333333e-3;
  const a67 = 1.388888888888889e-3 + r * 1.984126984126984e-4;
  const a89 = 2.48015873015873e-5 + r * 2.7557319223985893e-6;
  const a1011 = 2.755731922398589e-7 + r * 2.505210838544172e-8;
  const a1213 = 2.08767569878681e-9 + r * 1.6059043836821613e-10;
  const b03 = a01 + r2 * a23;
  const b47 = a45 + r2 * a67;
  const b811 = a89 + r2 * a1011;
  const b1213 = a1213;
  const c07 = b03 + r4 * b47;
  const c813 = b811 + r4 * b1213;
  const p = c07 + r8 * c813;
  if (k > 1023) return p * pow2(1023) * pow2(k - 1023);
  if (k < -1021) return p * pow2(k + 1000) * pow2(-1000);
  return p * pow2(k);
}

export function log(x: f64): f64 {
  return logInline(x);
}

/** log(x), inlined at the call site (bit-identical to log), for the hottest per-row loops. */
// @ts-ignore: decorator
@inline export function logInline(x: f64): f64 {
  if (x != x || x < 0.0) return NaN;
  if (x == 0.0) return -Infinity;
  if (x == Infinity) return x;
  let e: i32 = 0;
  let hi = highWord(x);
  if (hi < 0x00100000) { // subnormal: scale into the normal range
    x *= 18014398509481984.0; // 2^54
    e = -54;
    hi = highWord(x);
  }
  e += (hi >> 20) - 1023;
  let m = fromWords((hi & 0x000fffff) | 0x3ff00000, lowWord(x)); // in [1, 2)
  if (m > SQRT2) { m *= 0.5; e += 1; }
  const f = m - 1.0; // exact (Sterbenz)
  const s = f / (2.0 + f);
  const z = s * s;
  // log(m) = 2 atanh(s) = 2 s (1 + z/3 + z^2/5 + ... + z^10/23), |s| <= 0.172,
  // the polynomial in z evaluated by Estrin's scheme
  const z2 = z * z, z4 = z2 * z2, z8 = z4 * z4;
  const a01 = 1.0 / 3.0 + z * (1.0 / 5.0);
  const a23 = 1.0 / 7.0 + z * (1.0 / 9.0);
  const a45 = 1.0 / 11.0 + z * (1.0 / 13.0);
  const a67 = 1.0 / 15.0 + z * (1.0 / 17.0);
  const a89 = 1.0 / 19.0 + z * (1.0 / 21.0);
  const b03 = a01 + z2 * a23;
  const b47 = a45 + z2 * a67;
  const b811 = a89 + z2 * (1.0 / 23.0);
  const p = (b03 + z4 * b47) + z8 * b811;
  const ef = f64(e);
  return ef * LN2_HI + (2.0 * s + (2.0 * s * z * p + ef * LN2_LO));
}

// sin and cos, also written once so that simulated data (whose true curves use them)
// are bit-identical on every JavaScript engine: Cody–Waite reduction by π/2 (accurate
// for |x| < 1e5, far beyond what the scenarios use) and Taylor polynomials on |r| <= π/4.
const PIO2_HI: f64 = 1.57079632673412561417e+00; // first 33 bits of π/2
const PIO2_LO: f64 = 6.07710050650619224932e-11; // π/2 − PIO2_HI
const INV_PIO2: f64 = 6.36619772367581382433e-01;

function sinPoly(r: f64): f64 {
  const z = r * r;
  // r − r³/3! + … − r^19/19!: truncation < 1e-20 on |r| <= π/4
  let p = -8.22063524662433e-18;
  p = p * z + 2.8114572543455206e-15;
  p = p * z - 7.647163731819816e-13;
  p = p * z + 1.6059043836821613e-10;
  p = p * z - 2.505210838544172e-8;
  p = p * z + 2.7557319223985893e-6;
  p = p * z - 1.984126984126984e-4;
  p = p * z + 8.333333333333333e-3;
  p = p * z - 0.16666666666666666;
  return r + r * z * p;
}

function cosPoly(r: f64): f64 {
  const z = r * r;
  // 1 − r²/2! + … + r^20/20!
  let p = 4.110317623312165e-19;
  p = p * z - 1.5619206968586225e-16;
  p = p * z + 4.779477332387385e-14;
  p = p * z - 1.1470745597729725e-11;
  p = p * z + 2.08767569878681e-9;
  p = p * z - 2.755731922398589e-7;
  p = p * z + 2.48015873015873e-5;
  p = p * z - 1.388888888888889e-3;
  p = p * z + 4.1666666666666664e-2;
  p = p * z - 0.5;
  return 1.0 + z * p;
}

/** k = nearest integer to x/(π/2) (as f64) and r = x − k·π/2. */
// @ts-ignore: decorator
@inline function quadrant(x: f64): f64 {
  return Math.floor(x * INV_PIO2 + 0.5);
}

export function sin(x: f64): f64 {
  if (!(Math.abs(x) < Infinity)) return NaN;
  const kf = quadrant(x);
  const r = (x - kf * PIO2_HI) - kf * PIO2_LO;
  const k = i32(kf - 4.0 * Math.floor(kf * 0.25)); // k mod 4, in 0..3
  if (k == 0) return sinPoly(r);
  if (k == 1) return cosPoly(r);
  if (k == 2) return -sinPoly(r);
  return -cosPoly(r);
}

export function cos(x: f64): f64 {
  if (!(Math.abs(x) < Infinity)) return NaN;
  const kf = quadrant(x);
  const r = (x - kf * PIO2_HI) - kf * PIO2_LO;
  const k = i32(kf - 4.0 * Math.floor(kf * 0.25));
  if (k == 0) return cosPoly(r);
  if (k == 1) return -sinPoly(r);
  if (k == 2) return -cosPoly(r);
  return sinPoly(r);
}
