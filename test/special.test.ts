// The core's lgamma / digamma / trigamma and the negative-binomial differences,
// against closed forms and exact finite sums; both backends bit-identical.
import { describe, expect, test } from "vitest";
import { createCore, type Core } from "../src/core/backend.js";

const cores: Record<string, Core> = { wasm: await createCore("wasm"), js: await createCore("js") };
const core = cores.wasm;
type Unary = "lgamma" | "digamma" | "trigamma" | "log1p";
type Binary = "lgammaDiff" | "digammaDiff" | "trigammaDiff";
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
});
