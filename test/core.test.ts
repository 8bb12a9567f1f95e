// The numerical core's own exp/log (written once so both builds are bit-identical)
// against the engine's Math.exp/Math.log, and the xoshiro128** random streams.
import { describe, expect, test } from "vitest";
import { createCore, type Core } from "../src/core/backend.js";
import { report, testRng } from "./helpers/data.js";

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

/** Position of x on the ordered line of doubles (−0 and +0 share 0). */
function ordinal(x: number): bigint {
  f64[0] = x;
  const b = i64[0];
  return b < 0n ? -(b & 0x7fffffffffffffffn) : b;
}

/** Distance in units in the last place; 0 when both are the same NaN/Infinity. */
function ulpDistance(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (a === b) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  const d = ordinal(a) - ordinal(b);
  return Number(d < 0n ? -d : d);
}

/** A double with random sign bit 0, random exponent field in [eLo, eHi] and random mantissa. */
function randomDouble(r: ReturnType<typeof testRng>, eLo: number, eHi: number): number {
  const e = eLo + Math.floor(r.uniform() * (eHi - eLo + 1));
  const hi = (e << 20) | Math.floor(r.uniform() * 0x100000);
  const lo = Math.floor(r.uniform() * 4294967296);
  i64[0] = (BigInt(hi) << 32n) | BigInt(lo);
  return f64[0];
}

interface Check { name: string; xs: number[]; maxUlp: number }

function checkFunction(cores: Core[], fn: "exp" | "log" | "sin" | "cos", ref: (x: number) => number, xs: number[]): { maxUlp: number; worst: number; mismatches: number } {
  let maxUlp = 0, worst = NaN, mismatches = 0;
  for (const x of xs) {
    const a = cores[0].kernels[fn](x), b = cores[1].kernels[fn](x);
    if (!Object.is(a, b)) mismatches++;
    const d = ulpDistance(a, ref(x));
    if (d > maxUlp) { maxUlp = d; worst = x; }
  }
  return { maxUlp, worst, mismatches };
}

describe("core exp/log against Math.exp/Math.log", async () => {
  const cores = [await createCore("wasm"), await createCore("js")];
  const r = testRng(20260101);
  const uniform = (lo: number, hi: number, n: number) => Array.from({ length: n }, () => lo + (hi - lo) * r.uniform());

  const expChecks: Check[] = [
    { name: "whole finite range [−745.13, 709.78]", xs: uniform(-745.13, 709.78, 40000), maxUlp: 2 },
    { name: "moderate [−20, 20]", xs: uniform(-20, 20, 40000), maxUlp: 2 },
    { name: "small |x| < 1e-3 and tiny", xs: [...uniform(-1e-3, 1e-3, 5000), ...Array.from({ length: 2000 }, () => randomDouble(r, 1, 1000) * (r.uniform() < 0.5 ? -1 : 1))], maxUlp: 2 },
    { name: "subnormal results [−745.13, −708.4]", xs: uniform(-745.13, -708.4, 20000), maxUlp: 2 },
    { name: "near overflow [700, 709.78]", xs: uniform(700, 709.78, 5000), maxUlp: 2 },
    { name: "near multiples of ln 2/2 (reduction boundaries)", xs: Array.from({ length: 4000 }, (_, k) => (k - 2000) * 0.34657359027997264 * (1 + (r.uniform() - 0.5) * 1e-12)), maxUlp: 2 },
  ];
  for (const c of expChecks) {
    test(`exp, ${c.name}: ≤ ${c.maxUlp} ulp, identical on both backends`, () => {
      const res = checkFunction(cores, "exp", Math.exp, c.xs);
      report(`exp ${c.name}`, res);
      expect(res.mismatches).toBe(0);
      expect(res.maxUlp, `worst at x = ${res.worst}`).toBeLessThanOrEqual(c.maxUlp);
    });
  }

  const logChecks: Check[] = [
    { name: "every binade including subnormals (exponent field 0..2046)", xs: Array.from({ length: 60000 }, () => randomDouble(r, 0, 2046)), maxUlp: 2 },
    { name: "near 1: [0.9, 1.1]", xs: uniform(0.9, 1.1, 30000), maxUlp: 2 },
    { name: "very near 1: 1 ± 1e-8", xs: uniform(1 - 1e-8, 1 + 1e-8, 10000), maxUlp: 2 },
    { name: "around √2 (binade split) and powers of two", xs: [...uniform(1.41, 1.42, 5000), ...Array.from({ length: 2098 }, (_, k) => 2 ** (k - 1074))], maxUlp: 2 },
    { name: "smallest subnormals 1..4096 × 2^−1074", xs: Array.from({ length: 4096 }, (_, k) => (k + 1) * 5e-324), maxUlp: 2 },
  ];
  for (const c of logChecks) {
    test(`log, ${c.name}: ≤ ${c.maxUlp} ulp, identical on both backends`, () => {
      const res = checkFunction(cores, "log", Math.log, c.xs);
      report(`log ${c.name}`, res);
      expect(res.mismatches).toBe(0);
      expect(res.maxUlp, `worst at x = ${res.worst}`).toBeLessThanOrEqual(c.maxUlp);
    });
  }

  // simd.ts: exp and log of two arguments in f64x2 lanes (WebAssembly) must give the scalar
  // functions' bits in each lane, fast lanes beside slow (out-of-range) ones included
  test("two-lane exp and log equal the scalar exp and log bit for bit", () => {
    const specials = [0, -0, 1, -1, NaN, Infinity, -Infinity, 709.78, 709.0, 709.0000001, -707.0, -707.0000001, -745.2, 1e-320, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, -1e-300];
    const xs = [...specials, ...expChecks.flatMap((c) => c.xs.slice(0, 3000)), ...logChecks.flatMap((c) => c.xs.slice(0, 3000))];
    for (const core of cores) {
      const k = core.kernels;
      let mismatches = 0;
      for (let i = 0; i + 1 < xs.length; i++) {
        const a = xs[i], b = xs[(i * 7919) % xs.length];
        if (!Object.is(k.expPairLane(a, b, 0), k.exp(a)) || !Object.is(k.expPairLane(a, b, 1), k.exp(b))) mismatches++;
        if (!Object.is(k.logPairLane(a, b, 0), k.log(a)) || !Object.is(k.logPairLane(a, b, 1), k.log(b))) mismatches++;
      }
      expect(mismatches, core.backend).toBe(0);
    }
  });

  test("special values", () => {
    for (const core of cores) {
      const exp = (x: number) => core.kernels.exp(x), log = (x: number) => core.kernels.log(x);
      expect(exp(0)).toBe(1);
      expect(exp(-0)).toBe(1);
      expect(exp(Infinity)).toBe(Infinity);
      expect(exp(-Infinity)).toBe(0);
      expect(exp(NaN)).toBeNaN();
      expect(exp(710)).toBe(Infinity);
      expect(exp(1000)).toBe(Infinity);
      expect(exp(-746)).toBe(0);
      expect(exp(709.782712893384)).toBe(Math.exp(709.782712893384));
      expect(ulpDistance(exp(-745.1), Math.exp(-745.1))).toBeLessThanOrEqual(1); // smallest subnormals
      expect(exp(1)).toBe(Math.E);
      expect(log(1)).toBe(0);
      expect(log(0)).toBe(-Infinity);
      expect(log(-0)).toBe(-Infinity);
      expect(log(Infinity)).toBe(Infinity);
      expect(log(-1)).toBeNaN();
      expect(log(-Infinity)).toBeNaN();
      expect(log(-5e-324)).toBeNaN();
      expect(log(NaN)).toBeNaN();
      expect(ulpDistance(log(5e-324), Math.log(5e-324))).toBeLessThanOrEqual(1);
      expect(ulpDistance(log(Number.MAX_VALUE), Math.log(Number.MAX_VALUE))).toBeLessThanOrEqual(1);
      expect(ulpDistance(log(Math.E), 1)).toBeLessThanOrEqual(1);
      expect(log(2)).toBe(Math.LN2);
      expect(ulpDistance(log(2 ** -1074), -1074 * Math.LN2)).toBeLessThanOrEqual(1);
    }
  });
});

describe("core sin/cos against Math.sin/Math.cos", async () => {
  const cores = [await createCore("wasm"), await createCore("js")];
  const r = testRng(20261125);
  const uniform = (lo: number, hi: number, n: number) => Array.from({ length: n }, () => lo + (hi - lo) * r.uniform());
  // Relative accuracy is meaningful away from the zeros; near a zero of sin/cos the
  // absolute error (≤ 2^-52 · |x|-scale) is what the reduction guarantees.
  const cases = [
    { name: "[−2π, 2π]", xs: uniform(-2 * Math.PI, 2 * Math.PI, 40000) },
    { name: "[−100, 100]", xs: uniform(-100, 100, 20000) },
    { name: "small |x| < 1e-3", xs: uniform(-1e-3, 1e-3, 5000) },
  ];
  for (const c of cases) {
    for (const fn of ["sin", "cos"] as const) {
      test(`${fn}, ${c.name}: within 4e-16 absolute + 2 ulp, identical on both backends`, () => {
        const ref = fn === "sin" ? Math.sin : Math.cos;
        let worst = 0, mismatches = 0;
        for (const x of c.xs) {
          const a = cores[0].kernels[fn](x), b = cores[1].kernels[fn](x);
          if (!Object.is(a, b)) mismatches++;
          const err = Math.abs(a - ref(x));
          worst = Math.max(worst, err / (4e-16 * Math.max(1, Math.abs(x)) + 2 * Number.EPSILON * Math.abs(ref(x))));
        }
        expect(mismatches).toBe(0);
        expect(worst).toBeLessThanOrEqual(1);
      });
    }
  }
  test("special values", () => {
    expect(cores[0].kernels.sin(0)).toBe(0);
    expect(cores[0].kernels.cos(0)).toBe(1);
    expect(Number.isNaN(cores[0].kernels.sin(Infinity))).toBe(true);
    expect(Number.isNaN(cores[1].kernels.cos(NaN))).toBe(true);
  });
});

describe("xoshiro128** random streams", async () => {
  const wasm = await createCore("wasm"), js = await createCore("js");

  /** xoshiro128** written here from its definition (Blackman & Vigna 2018), as a reference. */
  function referenceNext(s: Uint32Array): number {
    const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  test("rngNext is xoshiro128** (matches an independent implementation for 10,000 steps)", () => {
    const start = [0x12345678, 0x9abcdef0 | 0, 0x0fedcba9, 0x87654321 | 0];
    for (const core of [wasm, js]) {
      const st = core.i32(4);
      st.view().set(start);
      const ref = Uint32Array.from(start.map((v) => v >>> 0));
      for (let k = 0; k < 10000; k++) {
        const got = core.kernels.rngNext(st) >>> 0;
        const want = referenceNext(ref);
        if (got !== want) expect(`step ${k}: ${got}`).toBe(`step ${k}: ${want}`);
      }
      expect(Array.from(st.view(), (v) => v >>> 0)).toEqual(Array.from(ref));
    }
  });

  function stream(core: Core, seed: number, kind: "fillUniform" | "fillNormal", n: number): Float64Array {
    const st = core.i32(4);
    core.kernels.rngSeed(st, seed % 4294967296 | 0, Math.floor(seed / 4294967296) | 0);
    const buf = core.f64(n);
    core.kernels[kind](st, buf, n);
    return buf.view().slice();
  }

  test("streams are reproducible from a seed, identical on both backends, and differ between seeds", () => {
    for (const kind of ["fillUniform", "fillNormal"] as const) {
      for (const seed of [1, 2, 12345, 2 ** 40 + 7]) {
        const a = stream(wasm, seed, kind, 5000), b = stream(js, seed, kind, 5000), c = stream(wasm, seed, kind, 5000);
        expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
        expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(true);
      }
      const s1 = stream(js, 1, kind, 100), s2 = stream(js, 2, kind, 100), s3 = stream(js, 1 + 2 ** 32, kind, 100);
      expect(s1.filter((v, i) => v === s2[i]).length).toBe(0);
      expect(s1.filter((v, i) => v === s3[i]).length).toBe(0); // the high word of the seed matters
    }
    // single draws consume the same stream as the fill kernels
    for (const core of [wasm, js]) {
      const st = core.i32(4);
      core.kernels.rngSeed(st, 99, 0);
      const single = Array.from({ length: 50 }, () => core.kernels.rngUniform(st));
      expect(single).toEqual(Array.from(stream(core, 99, "fillUniform", 50)));
      core.kernels.rngSeed(st, 99, 0);
      const singleN = Array.from({ length: 50 }, () => core.kernels.rngNormal(st));
      expect(singleN).toEqual(Array.from(stream(core, 99, "fillNormal", 50)));
    }
  });

  test("moments within Monte Carlo error: uniform 1/2 and 1/12, normal 0 and 1", () => {
    const n = 400000;
    const moments = (a: Float64Array) => {
      let m = 0;
      for (const v of a) m += v;
      m /= a.length;
      let v2 = 0, v3 = 0, v4 = 0;
      for (const v of a) { const d = v - m; v2 += d * d; v3 += d * d * d; v4 += d * d * d * d; }
      return { mean: m, variance: v2 / (a.length - 1), skew: v3 / a.length, m4: v4 / a.length };
    };
    for (const seed of [3, 4]) {
      const U = stream(wasm, seed, "fillUniform", n);
      expect(U.reduce((a, b) => Math.min(a, b))).toBeGreaterThanOrEqual(0);
      expect(U.reduce((a, b) => Math.max(a, b))).toBeLessThan(1);
      const mu = moments(U);
      // 4.5 standard errors: sd of the mean sqrt(1/12/n); of the variance sqrt((1/80 − 1/144)/n)
      expect(Math.abs(mu.mean - 0.5)).toBeLessThan(4.5 * Math.sqrt(1 / 12 / n));
      expect(Math.abs(mu.variance - 1 / 12)).toBeLessThan(4.5 * Math.sqrt((1 / 80 - 1 / 144) / n));
      // and the distribution: each tenth holds n/10 ± 4.5 sd of a binomial count
      const bins = new Array(10).fill(0);
      for (const v of U) bins[Math.floor(v * 10)]++;
      for (const b of bins) expect(Math.abs(b - n / 10)).toBeLessThan(4.5 * Math.sqrt(n * 0.09));

      const N = stream(wasm, seed, "fillNormal", n);
      const mn = moments(N);
      expect(Math.abs(mn.mean)).toBeLessThan(4.5 / Math.sqrt(n));
      expect(Math.abs(mn.variance - 1)).toBeLessThan(4.5 * Math.sqrt(2 / n));
      expect(Math.abs(mn.skew)).toBeLessThan(4.5 * Math.sqrt(15 / n)); // E[Z^6] = 15
      expect(Math.abs(mn.m4 - 3)).toBeLessThan(4.5 * Math.sqrt(96 / n)); // Var(Z^4) = 105 − 9
      const below = N.filter((v) => v < 1.959963984540054).length / n;
      expect(Math.abs(below - 0.975)).toBeLessThan(4.5 * Math.sqrt(0.975 * 0.025 / n));
    }
  });
});
