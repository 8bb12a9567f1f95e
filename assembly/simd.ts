// Two-argument exp and log (mathx.ts) for the hottest loops: f64x2 lanes that make the
// same IEEE operations as the scalar functions, so each result is bit-identical to a
// scalar call — which is what the portable build's twin (portable/simd.ts) makes. Each
// writes its two results to PAIR[0] and PAIR[1]. Arguments outside the fast range (where
// the scalar functions branch: huge, tiny, subnormal, NaN) take the scalar functions.
import { exp, log } from "./mathx";

export const PAIR = new Float64Array(2);

const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const INV_LN2: f64 = 1.44269504088896338700e+00;
const SQRT2: f64 = 1.4142135623730951;
const MIN_NORMAL: f64 = 2.2250738585072014e-308;
// kf + 1.5·2^52 holds the integer kf (|kf| < 2^51) in its low bits, two's complement
const ROUND_MAGIC: f64 = 6755399441055744.0;
// 2^52: (2^52 bit pattern | e) − 2^52 = e exactly, for 0 <= e < 2^52
const TWO52: f64 = 4503599627370496.0;

/** exp(a), exp(b) into PAIR; the scalar exp's fast path (its 2^k needs -1021 <= k <= 1023) in two lanes. */
// @ts-ignore: decorator
@inline export function exp2x(a: f64, b: f64): void {
  if (!(a >= -707.0 && a <= 709.0 && b >= -707.0 && b <= 709.0)) {
    unchecked(PAIR[0] = exp(a));
    unchecked(PAIR[1] = exp(b));
    return;
  }
  const x = f64x2(a, b);
  const kf = f64x2.floor(f64x2.add(f64x2.mul(x, f64x2.splat(INV_LN2)), f64x2.splat(0.5)));
  const r = f64x2.sub(f64x2.sub(x, f64x2.mul(kf, f64x2.splat(LN2_HI))), f64x2.mul(kf, f64x2.splat(LN2_LO)));
  const r2 = f64x2.mul(r, r), r4 = f64x2.mul(r2, r2), r8 = f64x2.mul(r4, r4);
  const a01 = f64x2.add(f64x2.splat(1.0), r);
  const a23 = f64x2.add(f64x2.splat(0.5), f64x2.mul(r, f64x2.splat(0.16666666666666666)));
  const a45 = f64x2.add(f64x2.splat(4.1666666666666664e-2), f64x2.mul(r, f64x2.splat(8.333333333333333e-3)));
  const a67 = f64x2.add(f64x2.splat(1.388888888888889e-3), f64x2.mul(r, f64x2.splat(1.984126984126984e-4)));
  const a89 = f64x2.add(f64x2.splat(2.48015873015873e-5), f64x2.mul(r, f64x2.splat(2.7557319223985893e-6)));
  const a1011 = f64x2.add(f64x2.splat(2.755731922398589e-7), f64x2.mul(r, f64x2.splat(2.505210838544172e-8)));
  const a1213 = f64x2.add(f64x2.splat(2.08767569878681e-9), f64x2.mul(r, f64x2.splat(1.6059043836821613e-10)));
  const b03 = f64x2.add(a01, f64x2.mul(r2, a23));
  const b47 = f64x2.add(a45, f64x2.mul(r2, a67));
  const b811 = f64x2.add(a89, f64x2.mul(r2, a1011));
  const c07 = f64x2.add(b03, f64x2.mul(r4, b47));
  const c813 = f64x2.add(b811, f64x2.mul(r4, a1213));
  const p = f64x2.add(c07, f64x2.mul(r8, c813));
  // 2^k: (k + 1023) << 52 is its bit pattern (the magic's own bits shift out)
  const k = f64x2.add(kf, f64x2.splat(ROUND_MAGIC));
  const scale = i64x2.shl(i64x2.add(k, i64x2.splat(1023)), 52);
  const e = f64x2.mul(p, scale);
  unchecked(PAIR[0] = f64x2.extract_lane(e, 0));
  unchecked(PAIR[1] = f64x2.extract_lane(e, 1));
}

/** log(a), log(b) into PAIR, for positive normal finite arguments in two lanes. */
// @ts-ignore: decorator
@inline export function log2x(a: f64, b: f64): void {
  if (!(a >= MIN_NORMAL && a <= F64.MAX_VALUE && b >= MIN_NORMAL && b <= F64.MAX_VALUE)) {
    unchecked(PAIR[0] = log(a));
    unchecked(PAIR[1] = log(b));
    return;
  }
  const x = f64x2(a, b);
  // mantissa in [1, 2), and the biased exponent as an exact f64
  let m = v128.or(v128.and(x, i64x2.splat(0x000fffffffffffff)), i64x2.splat(0x3ff0000000000000));
  const biased = f64x2.sub(v128.or(i64x2.shr_u(x, 52), f64x2.splat(TWO52)), f64x2.splat(TWO52));
  let ef = f64x2.sub(biased, f64x2.splat(1023.0));
  const big = f64x2.gt(m, f64x2.splat(SQRT2));
  m = v128.bitselect(f64x2.mul(m, f64x2.splat(0.5)), m, big);
  ef = f64x2.add(ef, v128.and(big, f64x2.splat(1.0)));
  const f = f64x2.sub(m, f64x2.splat(1.0));
  const s = f64x2.div(f, f64x2.add(f64x2.splat(2.0), f));
  const z = f64x2.mul(s, s);
  const z2 = f64x2.mul(z, z), z4 = f64x2.mul(z2, z2), z8 = f64x2.mul(z4, z4);
  const a01 = f64x2.add(f64x2.splat(1.0 / 3.0), f64x2.mul(z, f64x2.splat(1.0 / 5.0)));
  const a23 = f64x2.add(f64x2.splat(1.0 / 7.0), f64x2.mul(z, f64x2.splat(1.0 / 9.0)));
  const a45 = f64x2.add(f64x2.splat(1.0 / 11.0), f64x2.mul(z, f64x2.splat(1.0 / 13.0)));
  const a67 = f64x2.add(f64x2.splat(1.0 / 15.0), f64x2.mul(z, f64x2.splat(1.0 / 17.0)));
  const a89 = f64x2.add(f64x2.splat(1.0 / 19.0), f64x2.mul(z, f64x2.splat(1.0 / 21.0)));
  const b03 = f64x2.add(a01, f64x2.mul(z2, a23));
  const b47 = f64x2.add(a45, f64x2.mul(z2, a67));
  const b811 = f64x2.add(a89, f64x2.mul(z2, f64x2.splat(1.0 / 23.0)));
  const p = f64x2.add(f64x2.add(b03, f64x2.mul(z4, b47)), f64x2.mul(z8, b811));
  const two_s = f64x2.mul(f64x2.splat(2.0), s);
  const tail = f64x2.add(f64x2.mul(f64x2.mul(two_s, z), p), f64x2.mul(ef, f64x2.splat(LN2_LO)));
  const res = f64x2.add(f64x2.mul(ef, f64x2.splat(LN2_HI)), f64x2.add(two_s, tail));
  unchecked(PAIR[0] = f64x2.extract_lane(res, 0));
  unchecked(PAIR[1] = f64x2.extract_lane(res, 1));
}

/** exp2x's result in lane `lane` (0: a, 1: b): the tests compare it with exp bit for bit. */
export function expPairLane(a: f64, b: f64, lane: i32): f64 {
  exp2x(a, b);
  return PAIR[lane & 1];
}

/** log2x's result in lane `lane` (0: a, 1: b). */
export function logPairLane(a: f64, b: f64, lane: i32): f64 {
  log2x(a, b);
  return PAIR[lane & 1];
}

/**
 * v[o + b] += a · v[s + b] for b < len (rows of the sandwich's outer products): two
 * elements per f64x2 step, each element the scalar expression's result.
 */
// @ts-ignore: decorator
@inline export function axpy(v: Float64Array, o: i32, a: f64, s: i32, len: i32): void {
  const base = v.dataStart;
  const av = f64x2.splat(a);
  let b = 0;
  for (; b + 1 < len; b += 2) {
    const pd = base + (<usize>(o + b) << 3), ps = base + (<usize>(s + b) << 3);
    v128.store(pd, f64x2.add(v128.load(pd), f64x2.mul(av, v128.load(ps))));
  }
  if (b < len) unchecked(v[o + b] += a * unchecked(v[s + b]));
}
