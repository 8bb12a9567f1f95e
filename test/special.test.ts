// The core's lgamma / digamma / trigamma and the negative-binomial differences,
// against closed forms and exact finite sums; both backends bit-identical.
import { describe, expect, test } from "vitest";
import { createCore, type Core } from "../src/core/backend.js";

const cores: Record<string, Core> = { wasm: await createCore("wasm"), js: await createCore("js") };
const core = cores.wasm;
type Unary = "lgamma" | "digamma" | "trigamma" | "log1p";
type Binary = "lgammaDiff" | "digammaDiff" | "trigammaDiff" | "gammaincP" | "gammaincQ";
const f = (name: Unary) => (x: number) => core.kernels[name](x);
const f2 = (name: Binary) => (th: number, y: number) => core.kernels[name](th, y);
const lgamma = f("lgamma"), digamma = f("digamma"), trigamma = f("trigamma");
const lgammaDiff = f2("lgammaDiff"), digammaDiff = f2("digammaDiff"), trigammaDiff = f2("trigammaDiff");

/** Kahan sum of the terms. */
function ksum(terms: Iterable<number>): number {
  let s = 0, c = 0;
  for (const t of terms) { const y = t - c; const u = s + y; c = (u - s) - y; s = u; }
  return s;
}
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
const EULER = 0.5772156649015329;

describe("lgamma", () => {
  test("log factorials: lgamma(n) = Σ_{k<n} log k to 1e-15 relative", () => {
    for (const nn of [3, 4, 5, 7, 10, 20, 50, 100, 171, 1000, 20000]) {
      const ref = ksum(range(2, nn).map(Math.log));
      expect(Math.abs(lgamma(nn) - ref)).toBeLessThanOrEqual(2e-15 * Math.max(1, ref) + 1e-15);
    }
    expect(lgamma(1)).toBe(0);
    expect(lgamma(2)).toBe(0);
  });

  test("half integers: Γ(n + ½) = (2n)! √π / (4ⁿ n!)", () => {
    for (const nn of [0, 1, 2, 5, 10, 40, 300]) {
      const ref = ksum(range(nn + 1, 2 * nn + 1).map(Math.log)) + 0.5 * Math.log(Math.PI) - nn * Math.log(4);
      expect(Math.abs(lgamma(nn + 0.5) - ref)).toBeLessThanOrEqual(4e-15 * Math.max(1, Math.abs(ref)));
    }
  });

  test("recurrence lgamma(x + 1) − lgamma(x) = log x on a grid of x in (0, 1e6]", () => {
    for (let e = -6; e <= 6; e += 0.25) {
      const x = 1.37 * 10 ** e;
      const d = lgamma(x + 1) - lgamma(x);
      // absolute error limited by the size of lgamma itself (cancellation in the difference)
      const scale = Math.max(1, Math.abs(lgamma(x)), Math.abs(lgamma(x + 1)));
      expect(Math.abs(d - Math.log(x))).toBeLessThanOrEqual(4e-15 * scale);
    }
  });

  test("near the zeros and for tiny x: lgamma(x) ≈ −log x − γx", () => {
    expect(Math.abs(lgamma(1e-10) - (-Math.log(1e-10) - EULER * 1e-10))).toBeLessThan(1e-14);
    expect(Math.abs(lgamma(1.5) - Math.log(Math.sqrt(Math.PI) / 2))).toBeLessThan(3e-15);
    expect(Math.abs(lgamma(3) - Math.log(2))).toBeLessThan(3e-16);
  });

  test("non-positive and special arguments", () => {
    expect(lgamma(0)).toBe(Infinity);
    expect(lgamma(-1)).toBeNaN();
    expect(lgamma(Infinity)).toBe(Infinity);
  });
});

describe("digamma and trigamma", () => {
  test("closed forms at 1 and ½, recurrences, and the series for large x", () => {
    expect(Math.abs(digamma(1) + EULER)).toBeLessThan(1e-15);
    expect(Math.abs(digamma(0.5) + EULER + 2 * Math.LN2)).toBeLessThan(2e-15);
    expect(Math.abs(trigamma(1) - Math.PI ** 2 / 6)).toBeLessThan(2e-15);
    expect(Math.abs(trigamma(0.5) - Math.PI ** 2 / 2)).toBeLessThan(4e-15);
    for (let e = -4; e <= 6; e += 0.5) {
      const x = 2.3 * 10 ** e;
      expect(Math.abs(digamma(x + 1) - digamma(x) - 1 / x)).toBeLessThanOrEqual(4e-15 * Math.max(1, Math.abs(digamma(x)), 1 / x));
      expect(Math.abs(trigamma(x) - trigamma(x + 1) - 1 / (x * x))).toBeLessThanOrEqual(4e-15 * Math.max(trigamma(x), 1 / (x * x)));
    }
    // ψ(n) = −γ + Σ_{k<n} 1/k
    expect(Math.abs(digamma(50) - (-EULER + ksum(range(1, 50).map((k) => 1 / k))))).toBeLessThan(4e-15);
  });
});

describe("negative-binomial differences", () => {
  test("lgammaDiff, digammaDiff, trigammaDiff equal the finite sums over k < y for integer y", () => {
    for (const th of [1e-4, 0.3, 1, 7.5, 12, 1e3, 1e7]) {
      for (const y of [0, 1, 2, 5, 16, 17, 40, 1000]) {
        const ks = range(0, y);
        const l = ksum(ks.map((k) => Math.log(th + k)));
        const d = ksum(ks.map((k) => 1 / (th + k)));
        const t = -ksum(ks.map((k) => 1 / (th + k) ** 2));
        expect(Math.abs(lgammaDiff(th, y) - l)).toBeLessThanOrEqual(3e-15 * Math.max(1, Math.abs(l)));
        expect(Math.abs(digammaDiff(th, y) - d)).toBeLessThanOrEqual(3e-14 * Math.max(1e-300, Math.abs(d)) + 1e-300);
        expect(Math.abs(trigammaDiff(th, y) - t)).toBeLessThanOrEqual(1e-12 * Math.abs(t) + 1e-300);
      }
    }
  });

  test("large θ: the difference keeps its relative accuracy where lgamma(θ + y) − lgamma(θ) would cancel", () => {
    const th = 1e12, y = 123;
    const ref = ksum(range(0, y).map((k) => Math.log(th + k)));
    expect(Math.abs(lgammaDiff(th, y) - ref)).toBeLessThanOrEqual(1e-15 * ref);
  });
});

test("wasm and js cores are bit-identical on the special functions", () => {
  for (const name of ["lgamma", "digamma", "trigamma", "log1p"] as const) {
    for (let e = -8; e <= 8; e += 0.37) {
      const x = 10 ** e * (name === "log1p" ? 0.5 : 1);
      expect(cores.js.kernels[name](x)).toBe(cores.wasm.kernels[name](x));
    }
  }
  for (const th of [0.01, 3.3, 55, 1e6]) for (const y of [0, 3, 31, 33, 500]) {
    for (const name of ["lgammaDiff", "digammaDiff", "trigammaDiff"] as const) expect(cores.js.kernels[name](th, y)).toBe(cores.wasm.kernels[name](th, y));
  }
  for (const a of [0.05, 0.5, 3, 8, 9.5, 40, 1000]) for (let e = -6; e <= 3.5; e += 0.29) {
    for (const name of ["gammaincP", "gammaincQ"] as const) expect(cores.js.kernels[name](a, 10 ** e)).toBe(cores.wasm.kernels[name](a, 10 ** e));
  }
});

describe("regularised incomplete gamma P(a, x), Q(a, x)", () => {
  const P = f2("gammaincP"), Q = f2("gammaincQ");
  const rel = (v: number, ref: number) => Math.abs(v - ref) / Math.abs(ref);

  test("integer a: Q(k, x) = e^(−x) Σ_{j<k} x^j / j!", () => {
    for (const k of [1, 2, 3, 5, 8, 9, 15, 30]) {
      for (const x of [1e-3, 0.1, 0.7, 2, 5, 8.5, 12, 31, 60, 150]) {
        let term = 1;
        const terms = [1];
        for (let j = 1; j < k; j++) { term *= x / j; terms.push(term); }
        const ref = Math.exp(-x) * ksum(terms);
        expect(rel(Q(k, x), ref)).toBeLessThan(2e-13);
        if (ref < 0.5) expect(Math.abs(P(k, x) - (1 - ref))).toBeLessThan(1e-15);
      }
    }
  });

  test("a = ½: Q(½, z²) = erfc(z) at known values", () => {
    // erfc(z) (DLMF 7.2; values to 17 digits)
    const erfc: Array<[number, number]> = [[0.5, 0.4795001221869535], [1, 0.15729920705028513], [2, 0.004677734981047266],
      [3, 2.209049699858544e-5], [5, 1.5374597944280349e-12], [10, 2.088487583762545e-45]];
    for (const [z, ref] of erfc) expect(rel(Q(0.5, z * z), ref)).toBeLessThan(1e-13);
  });

  test("recurrence Q(a + 1, x) = Q(a, x) + x^a e^(−x) / Γ(a + 1), and P + Q = 1", () => {
    for (const a of [0.3, 2.7, 7.5, 8.25, 19.9, 64.1]) {
      for (const r of [0.2, 0.8, 0.97, 1.0, 1.05, 1.6, 4]) {
        const x = a * r;
        const step = Math.exp(a * Math.log(x) - x - lgamma(a + 1));
        expect(rel(Q(a + 1, x), Q(a, x) + step)).toBeLessThan(1e-12);
        expect(Math.abs(P(a, x) + Q(a, x) - 1)).toBeLessThan(2e-16);
      }
    }
  });

  test("large a, far tails and tiny x against 50-digit references (mpmath 1.3: its upper gammainc, or the power series at 50 digits)", () => {
    const refs: Array<[number, number, number, number]> = [
      [1000, 1122.0184543019423, 0.99990131708367299, 9.8682916327005315e-5],
      [1000, 900, 0.00054990226571178292, 0.99945009773428822],
      [12345.6, 12345.6, 0.50119683120954844, 0.49880316879045156],
      [12345.6, 12000, 0.00085369177311600694, 0.99914630822688399],
      [1e6, 1001500, 0.93313889576410224, 0.066861104235897762],
      [37.2, 3.72e-5, 5.8939267128477032e-209, 1.0],
      [100, 1000, 1.0, 6.0358275296312782e-294],
      [2.5, 0.001, 9.5085345986079498e-9, 0.9999999904914654],
      [0.05, 30, 0.99999999999999982, 1.8424649734131043e-16],
    ];
    for (const [a, x, p, q] of refs) {
      expect(rel(P(a, x), p)).toBeLessThan(5e-13);
      expect(rel(Q(a, x), q)).toBeLessThan(5e-13);
    }
  });

  test("edges: x = 0, x = ∞, invalid arguments", () => {
    expect(P(2, 0)).toBe(0);
    expect(Q(2, 0)).toBe(1);
    expect(Q(2, Infinity)).toBe(0);
    expect(P(2, Infinity)).toBe(1);
    for (const [a, x] of [[0, 1], [-1, 1], [1, -1], [Number.NaN, 1], [1, Number.NaN], [Infinity, 1]]) {
      expect(P(a, x)).toBeNaN();
      expect(Q(a, x)).toBeNaN();
    }
  });
});

test("chiSquareUpper (the GLRT's χ² tail, Q(df/2, x/2)) at χ² quantiles: qchisq(0.95, df) and qchisq(0.99, 5)", async () => {
  const { chiSquareUpper } = await import("../src/index.js");
  const q: Array<[number, number, number]> = [[3.841458820694124, 1, 0.05], [5.991464547107979, 2, 0.05], [18.307038053275146, 10, 0.05],
    [43.77297182574219, 30, 0.05], [15.08627246938899, 5, 0.01]];
  for (const [x, df, p] of q) expect(Math.abs(chiSquareUpper(x, df) - p) / p).toBeLessThan(1e-13);
  // df = 2: the tail is e^(−x/2) exactly
  for (const x of [0.01, 1, 30, 700, 1400]) expect(Math.abs(chiSquareUpper(x, 2) / Math.exp(-x / 2) - 1)).toBeLessThan(1e-13);
});
