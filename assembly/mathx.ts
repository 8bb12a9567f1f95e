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
  if (x != x) return x;
  if (x > 709.782712893384) return Infinity;
  if (x < -745.1332191019412) return 0.0;
  const kf = Math.floor(x * INV_LN2 + 0.5);
  const k = i32(kf);
  const r = (x - kf * LN2_HI) - kf * LN2_LO; // |r| <= 0.35
  // Taylor series to r^13/13!: truncation error < 1e-17 on |r| <= 0.35
  let p = 1.6059043836821613e-10;              // 1/13!
  p = p * r + 2.08767569878681e-9;             // 1/12!
  p = p * r + 2.505210838544172e-8;            // 1/11!
  p = p * r + 2.755731922398589e-7;            // 1/10!
  p = p * r + 2.7557319223985893e-6;           // 1/9!
  p = p * r + 2.48015873015873e-5;             // 1/8!
  p = p * r + 1.984126984126984e-4;            // 1/7!
  p = p * r + 1.388888888888889e-3;            // 1/6!
  p = p * r + 8.333333333333333e-3;            // 1/5!
  p = p * r + 4.1666666666666664e-2;           // 1/4!
  p = p * r + 0.16666666666666666;             // 1/3!
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  if (k > 1023) return p * pow2(1023) * pow2(k - 1023);
  if (k < -1021) return p * pow2(k + 1000) * pow2(-1000);
  return p * pow2(k);
}

export function log(x: f64): f64 {
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
  // log(m) = 2 atanh(s) = 2 s (1 + z/3 + z^2/5 + ...), |s| <= 0.172
  let p = 1.0 / 23.0;
  p = p * z + 1.0 / 21.0;
  p = p * z + 1.0 / 19.0;
  p = p * z + 1.0 / 17.0;
  p = p * z + 1.0 / 15.0;
  p = p * z + 1.0 / 13.0;
  p = p * z + 1.0 / 11.0;
  p = p * z + 1.0 / 9.0;
  p = p * z + 1.0 / 7.0;
  p = p * z + 1.0 / 5.0;
  p = p * z + 1.0 / 3.0;
  const ef = f64(e);
  return ef * LN2_HI + (2.0 * s + (2.0 * s * z * p + ef * LN2_LO));
}
