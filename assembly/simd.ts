// Two-argument exp and log (mathx.ts) for the hottest loops: f64x2 lanes that make the
// same IEEE operations as the scalar functions, so each result is bit-identical to a
// scalar call — which is what the portable build's twin (portable/simd.ts) makes. Each
// writes its two results to PAIR[0] and PAIR[1]. Arguments outside the fast range (where
// the scalar functions branch: huge, tiny, subnormal, NaN) take the scalar functions.
// Below them, two passes whose sums travel in f64x2 lanes, each lane one scalar sum of the
// twin: the Gaussian M-step's K = 2 sums (a component per lane) and the gating's K = 2
// Newton pass (pairs of its gradient and Hessian sums).
import { exp, log } from "./mathx";
import { kernelWeight } from "./kernel";
import { storeGradHess4 } from "./linalg";

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

// The Gaussian M-step's local-linear sums for K = 2, q = 2 (wls.ts), both components at once:
// component c in lane c of every f64x2, each lane making the scalar twin's operations in its
// order (portable/simd.ts: a row's terms for component 0, then for component 1), so the sums
// are bit-identical. The two posteriors of row i are adjacent in R: one load.

/** Row i's posteriors (R[2i], R[2i + 1]) as the lanes of an f64x2. */
// @ts-ignore: decorator
@inline function posteriorPair(R: Float64Array, i: i32): v128 {
  return v128.load(R.dataStart + (<usize>i << 4));
}

/**
 * Both components' weighted Gram matrices [[Σa zzᵀ, Σa s zzᵀ], [·, Σa s² zzᵀ]] (lower triangles, d = 4),
 * right-hand sides Σa z y, Σa s z y and weight sums Σa (a = K(s)·w·r_c) at one grid point, into
 * work (gram blocks at gramOff + 16c, right-hand sides at rhsOff + 4c, sums at sumOff + c);
 * returns Σ K(s)·w.
 */
export function accumulateLocalQ2K2(
  iLo: i32, iHi: i32, kernel: i32, gj: f64, h: f64,
  t: Float64Array, y: Float64Array, w: Float64Array, Z: Float64Array, R: Float64Array,
  work: Float64Array, gramOff: i32, rhsOff: i32, sumOff: i32,
): f64 {
  const invh = 1.0 / h;
  const zero = f64x2.splat(0.0);
  let a00 = zero, a01 = zero, a11 = zero, b00 = zero, b01 = zero, b11 = zero, c00 = zero, c01 = zero, c11 = zero;
  let r0 = zero, r1 = zero, r2 = zero, r3 = zero, sw = zero;
  let tk = 0.0;
  for (let i = iLo; i < iHi; i++) {
    const s = (unchecked(t[i]) - gj) * invh;
    const kw = kernelWeight(kernel, s) * unchecked(w[i]);
    tk += kw;
    const z0 = unchecked(Z[2 * i]), z1 = unchecked(Z[2 * i + 1]), yi = unchecked(y[i]);
    const p00 = f64x2.splat(z0 * z0), p01 = f64x2.splat(z0 * z1), p11 = f64x2.splat(z1 * z1);
    const zy0 = f64x2.splat(z0 * yi), zy1 = f64x2.splat(z1 * yi);
    const sv = f64x2.splat(s);
    const a = f64x2.mul(f64x2.splat(kw), posteriorPair(R, i));
    const bs = f64x2.mul(a, sv), cs = f64x2.mul(bs, sv);
    a00 = f64x2.add(a00, f64x2.mul(a, p00)); a01 = f64x2.add(a01, f64x2.mul(a, p01)); a11 = f64x2.add(a11, f64x2.mul(a, p11));
    b00 = f64x2.add(b00, f64x2.mul(bs, p00)); b01 = f64x2.add(b01, f64x2.mul(bs, p01)); b11 = f64x2.add(b11, f64x2.mul(bs, p11));
    c00 = f64x2.add(c00, f64x2.mul(cs, p00)); c01 = f64x2.add(c01, f64x2.mul(cs, p01)); c11 = f64x2.add(c11, f64x2.mul(cs, p11));
    r0 = f64x2.add(r0, f64x2.mul(a, zy0)); r1 = f64x2.add(r1, f64x2.mul(a, zy1));
    r2 = f64x2.add(r2, f64x2.mul(bs, zy0)); r3 = f64x2.add(r3, f64x2.mul(bs, zy1));
    sw = f64x2.add(sw, a);
  }
  storeGramPair(work, gramOff, rhsOff, sumOff, a00, a01, a11, b00, b01, b11, c00, c01, c11, r0, r1, r2, r3, sw);
  return tk;
}

/** The lanes of the sums into work: lane c as component c's block (portable/simd.ts storeGramQ2's layout). */
function storeGramPair(
  work: Float64Array, G: i32, b: i32, sum: i32,
  a00: v128, a01: v128, a11: v128, b00: v128, b01: v128, b11: v128, c00: v128, c01: v128, c11: v128,
  r0: v128, r1: v128, r2: v128, r3: v128, sw: v128,
): void {
  for (let c = 0; c < 2; c++) {
    const g = G + 16 * c, rb = b + 4 * c;
    const l = c == 0;
    unchecked(work[g + 0] = l ? f64x2.extract_lane(a00, 0) : f64x2.extract_lane(a00, 1));
    unchecked(work[g + 4] = l ? f64x2.extract_lane(a01, 0) : f64x2.extract_lane(a01, 1));
    unchecked(work[g + 5] = l ? f64x2.extract_lane(a11, 0) : f64x2.extract_lane(a11, 1));
    unchecked(work[g + 8] = l ? f64x2.extract_lane(b00, 0) : f64x2.extract_lane(b00, 1));
    unchecked(work[g + 9] = l ? f64x2.extract_lane(b01, 0) : f64x2.extract_lane(b01, 1));
    unchecked(work[g + 10] = l ? f64x2.extract_lane(c00, 0) : f64x2.extract_lane(c00, 1));
    unchecked(work[g + 12] = l ? f64x2.extract_lane(b01, 0) : f64x2.extract_lane(b01, 1));
    unchecked(work[g + 13] = l ? f64x2.extract_lane(b11, 0) : f64x2.extract_lane(b11, 1));
    unchecked(work[g + 14] = l ? f64x2.extract_lane(c01, 0) : f64x2.extract_lane(c01, 1));
    unchecked(work[g + 15] = l ? f64x2.extract_lane(c11, 0) : f64x2.extract_lane(c11, 1));
    unchecked(work[rb] = l ? f64x2.extract_lane(r0, 0) : f64x2.extract_lane(r0, 1));
    unchecked(work[rb + 1] = l ? f64x2.extract_lane(r1, 0) : f64x2.extract_lane(r1, 1));
    unchecked(work[rb + 2] = l ? f64x2.extract_lane(r2, 0) : f64x2.extract_lane(r2, 1));
    unchecked(work[rb + 3] = l ? f64x2.extract_lane(r3, 0) : f64x2.extract_lane(r3, 1));
    unchecked(work[sum + c] = l ? f64x2.extract_lane(sw, 0) : f64x2.extract_lane(sw, 1));
  }
}

/**
 * Both components' weighted residual sums of squares Σa (y − zᵀ(β + β_s s))² at one grid point
 * (coefficients at work[rhsOff + 4c]), into work[ssOff + c]; a component whose normal equations
 * failed (its weight sum flagged < 0 at work[ssOff − 2 + c]) keeps its value.
 */
export function residualSSQ2K2(
  iLo: i32, iHi: i32, kernel: i32, gj: f64, h: f64,
  t: Float64Array, y: Float64Array, w: Float64Array, Z: Float64Array, R: Float64Array,
  work: Float64Array, rhsOff: i32, ssOff: i32,
): void {
  const v0 = f64x2(unchecked(work[rhsOff]), unchecked(work[rhsOff + 4]));
  const v1 = f64x2(unchecked(work[rhsOff + 1]), unchecked(work[rhsOff + 5]));
  const v2 = f64x2(unchecked(work[rhsOff + 2]), unchecked(work[rhsOff + 6]));
  const v3 = f64x2(unchecked(work[rhsOff + 3]), unchecked(work[rhsOff + 7]));
  const invh = 1.0 / h;
  let ss = f64x2.splat(0.0);
  for (let i = iLo; i < iHi; i++) {
    const s = (unchecked(t[i]) - gj) * invh;
    const kwi = kernelWeight(kernel, s) * unchecked(w[i]);
    const sv = f64x2.splat(s);
    const z0 = f64x2.splat(unchecked(Z[2 * i])), z1 = f64x2.splat(unchecked(Z[2 * i + 1]));
    const a = f64x2.mul(f64x2.splat(kwi), posteriorPair(R, i));
    const r = f64x2.sub(f64x2.sub(f64x2.splat(unchecked(y[i])), f64x2.mul(z0, f64x2.add(v0, f64x2.mul(v2, sv)))), f64x2.mul(z1, f64x2.add(v1, f64x2.mul(v3, sv))));
    ss = f64x2.add(ss, f64x2.mul(f64x2.mul(a, r), r));
  }
  if (!(unchecked(work[ssOff - 2]) < 0.0)) unchecked(work[ssOff] = f64x2.extract_lane(ss, 0));
  if (!(unchecked(work[ssOff - 1]) < 0.0)) unchecked(work[ssOff + 1] = f64x2.extract_lane(ss, 1));
}

/**
 * The gating's Newton pass for K = 2, p = 2, local-linear (d = 4; logit.ts): Q, the gradient
 * (4) and the Hessian's lower triangle (10) over grid point j's window. The fourteen sums
 * travel in pairs in f64x2 lanes, (g0, g1), (g2, g3), (h00, h10), (h20, h30), (h11, h21),
 * (h22, h32), (h31, h33), and each lane makes its sum's operations of the scalar twin
 * (portable/simd.ts) in the same row order, so the sums are bit-identical.
 */
export function gatingObjectiveK2D4(
  j: i32, kernel: i32, h: f64,
  t: Float64Array, w: Float64Array, X: Float64Array, R: Float64Array,
  g: Float64Array, lo: Int32Array, hi: Int32Array,
  work: Float64Array, par: i32, gr: i32, hs: i32, needQ: bool, needDerivs: bool,
): f64 {
  const gj = unchecked(g[j]);
  const invh = 1.0 / h;
  const th0 = unchecked(work[par]), th1 = unchecked(work[par + 1]), th2 = unchecked(work[par + 2]), th3 = unchecked(work[par + 3]);
  let Q = 0.0;
  const zero = f64x2.splat(0.0);
  let g01 = zero, g23 = zero, h00_10 = zero, h20_30 = zero, h11_21 = zero, h22_32 = zero, h31_33 = zero;
  const iLo = unchecked(lo[j]), iHi = unchecked(hi[j]);
  const xBase = X.dataStart;
  // pi and log(1 + e^l) from e = exp(−|l|) as in the twin, the exp and log paired across rows
  let eNext = 0.0, lgNext = 0.0, lg = 0.0;
  for (let i = iLo; i < iHi; i++) {
    const s = (unchecked(t[i]) - gj) * invh;
    const xv = v128.load(xBase + (<usize>i << 4)); // (x0, x1)
    const x0 = f64x2.extract_lane(xv, 0), x1 = f64x2.extract_lane(xv, 1);
    const x2 = x0 * s, x3 = x1 * s;
    const l = x0 * th0 + x1 * th1 + x2 * th2 + x3 * th3;
    let e = eNext;
    if (((i - iLo) & 1) == 0) {
      let lN = 0.0;
      if (i + 1 < iHi) {
        const sN = (unchecked(t[i + 1]) - gj) * invh, y0 = unchecked(X[2 * i + 2]), y1 = unchecked(X[2 * i + 3]);
        lN = y0 * th0 + y1 * th1 + (y0 * sN) * th2 + (y1 * sN) * th3;
      }
      exp2x(-Math.abs(l), -Math.abs(lN));
      e = unchecked(PAIR[0]); eNext = unchecked(PAIR[1]);
      if (needQ) { log2x(1.0 + e, 1.0 + eNext); lg = unchecked(PAIR[0]); lgNext = unchecked(PAIR[1]); }
    } else lg = lgNext;
    const kw = kernelWeight(kernel, s) * unchecked(w[i]);
    if (kw == 0.0) continue;
    const pi = l > 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
    const r1 = unchecked(R[2 * i + 1]);
    if (needQ) Q += kw * (r1 * l - (Math.max(l, 0.0) + lg));
    if (!needDerivs) continue;
    const gc = f64x2.splat(kw * (r1 - pi));
    const x23 = f64x2(x2, x3);
    g01 = f64x2.add(g01, f64x2.mul(gc, xv));
    g23 = f64x2.add(g23, f64x2.mul(gc, x23));
    const v = f64x2.splat(kw * pi * (1.0 - pi));
    const v01 = f64x2.mul(v, xv), v23 = f64x2.mul(v, x23); // (v0, v1), (v2, v3)
    const sx0 = f64x2.splat(x0);
    h00_10 = f64x2.add(h00_10, f64x2.mul(v01, sx0));
    h20_30 = f64x2.add(h20_30, f64x2.mul(v23, sx0));
    h11_21 = f64x2.add(h11_21, f64x2.mul(v128.shuffle<f64>(v01, v23, 1, 2), f64x2.splat(x1)));
    h22_32 = f64x2.add(h22_32, f64x2.mul(v23, f64x2.splat(x2)));
    h31_33 = f64x2.add(h31_33, f64x2.mul(v128.shuffle<f64>(v23, v23, 1, 1), v128.shuffle<f64>(xv, x23, 1, 3)));
  }
  if (needDerivs) {
    storeGradHess4(work, gr, hs,
      f64x2.extract_lane(g01, 0), f64x2.extract_lane(g01, 1), f64x2.extract_lane(g23, 0), f64x2.extract_lane(g23, 1),
      f64x2.extract_lane(h00_10, 0), f64x2.extract_lane(h00_10, 1), f64x2.extract_lane(h11_21, 0),
      f64x2.extract_lane(h20_30, 0), f64x2.extract_lane(h11_21, 1), f64x2.extract_lane(h22_32, 0),
      f64x2.extract_lane(h20_30, 1), f64x2.extract_lane(h31_33, 0), f64x2.extract_lane(h22_32, 1), f64x2.extract_lane(h31_33, 1));
  }
  return Q;
}
