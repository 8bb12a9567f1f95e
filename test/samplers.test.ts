// The core's exact samplers (assembly/sample.ts): chi-square goodness of fit against
// the probability mass functions computed here (independently, in log space), in
// every regime of each algorithm (inversion / transformed rejection), and
// bit-identical draws on both backends.
import { describe, expect, test } from "vitest";
import { createCore, type Core } from "../src/core/backend.js";

const cores: Record<string, Core> = { wasm: await createCore("wasm"), js: await createCore("js") };

function draw(core: Core, kind: "poisson" | "binomial" | "negbin", N: number, a: number, b = 0, seed = 7): Float64Array {
  const st = core.i32(4);
  core.kernels.rngSeed(st, seed, 0);
  const out = core.f64(N);
  const A = core.f64(N), B = core.f64(N);
  A.view().fill(a); B.view().fill(b);
  if (kind === "poisson") core.kernels.fillPoisson(st, N, A, out);
  else if (kind === "binomial") core.kernels.fillBinomial(st, N, A, B, out);
  else core.kernels.fillNegBin(st, N, A, B, out);
  return out.view().slice();
}

/** log k! by summation (k small enough here). */
const lfactCache: number[] = [0];
function lfact(k: number): number {
  while (lfactCache.length <= k) lfactCache.push(lfactCache[lfactCache.length - 1] + Math.log(lfactCache.length));
  return lfactCache[k];
}
const poissonPmf = (mu: number) => (k: number) => Math.exp(k * Math.log(mu) - mu - lfact(k));
const binomialPmf = (m: number, p: number) => (k: number) => Math.exp(lfact(m) - lfact(k) - lfact(m - k) + k * Math.log(p) + (m - k) * Math.log1p(-p));
function negbinPmf(mu: number, th: number): (k: number) => number {
  const cache = [Math.exp(th * Math.log(th / (th + mu)))];
  return (k) => {
    while (cache.length <= k) { const y = cache.length - 1; cache.push(cache[y] * ((y + th) / (y + 1)) * (mu / (th + mu))); }
    return cache[k];
  };
}

/** Pearson chi-square of the draws against pmf over [lo, hi] with tail bins merged so that every expected count is >= 5. */
function chiSquare(x: Float64Array, pmf: (k: number) => number, lo: number, hi: number): { stat: number; df: number } {
  const N = x.length;
  const counts = new Map<number, number>();
  for (const v of x) counts.set(v, (counts.get(v) ?? 0) + 1);
  const bins: Array<{ o: number; e: number }> = [];
  let o = 0, e = 0;
  for (let k = lo; k <= hi; k++) {
    o += counts.get(k) ?? 0; e += N * pmf(k);
    if (e >= 5) { bins.push({ o, e }); o = 0; e = 0; }
  }
  // the remainder (the partial bin and everything outside [lo, hi]) joins the last bin
  const last = bins[bins.length - 1];
  const so = bins.reduce((s, b) => s + b.o, 0), se = bins.reduce((s, b) => s + b.e, 0);
  last.o += N - so; last.e += Math.max(0, N - se);
  const stat = bins.reduce((s, b) => s + (b.o - b.e) ** 2 / b.e, 0);
  return { stat, df: bins.length - 1 };
}

/** Upper 1e-4 quantile of chi-square(df) (Wilson–Hilferty; z = 3.719). */
const critical = (df: number) => df * (1 - 2 / (9 * df) + 3.719 * Math.sqrt(2 / (9 * df))) ** 3;

const N = 20000;

describe("Poisson", () => {
  for (const mu of [0.3, 4, 9.99, 10, 37.5, 2500]) {
    test(`μ = ${mu} (${mu < 10 ? "inversion" : "PTRS"})`, () => {
      const x = draw(cores.wasm, "poisson", N, mu);
      const sd = Math.sqrt(mu);
      const { stat, df } = chiSquare(x, poissonPmf(mu), Math.max(0, Math.floor(mu - 6 * sd)), Math.ceil(mu + 8 * sd + 10));
      expect(stat).toBeLessThan(critical(df));
      // the test has power: a 4% error in the mean is rejected
      const wrong = chiSquare(x, poissonPmf(mu * 1.04), Math.max(0, Math.floor(mu - 6 * sd)), Math.ceil(mu + 8 * sd + 10));
      if (mu >= 4) expect(wrong.stat).toBeGreaterThan(critical(wrong.df));
      expect(x.every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
    });
  }
  test("huge mean (1e9): unbiased to 4 standard errors, integer draws", () => {
    const x = draw(cores.wasm, "poisson", 2000, 1e9);
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    expect(Math.abs(mean - 1e9)).toBeLessThan(4 * Math.sqrt(1e9 / x.length));
    expect(x.every((v) => Number.isInteger(v))).toBe(true);
  });
});

describe("binomial", () => {
  for (const [m, p] of [[1, 0.3], [20, 0.3], [20, 0.9], [50, 0.1], [30, 0.34], [1000, 0.5], [1000000, 2e-5], [400, 0.97]]) {
    test(`m = ${m}, p = ${p} (${m * Math.min(p, 1 - p) < 10 ? "inversion" : "BTRS"})`, () => {
      const x = draw(cores.wasm, "binomial", N, m, p);
      const mu = m * p, sd = Math.sqrt(m * p * (1 - p));
      const { stat, df } = chiSquare(x, binomialPmf(m, p), Math.max(0, Math.floor(mu - 7 * sd)), Math.min(m, Math.ceil(mu + 7 * sd + 3)));
      if (df >= 1) expect(stat).toBeLessThan(critical(df));
      expect(x.every((v) => Number.isInteger(v) && v >= 0 && v <= m)).toBe(true);
    });
  }
  test("degenerate cases: m = 0, p = 0, p = 1", () => {
    expect([...draw(cores.wasm, "binomial", 10, 0, 0.5)].every((v) => v === 0)).toBe(true);
    expect([...draw(cores.wasm, "binomial", 10, 7, 0)].every((v) => v === 0)).toBe(true);
    expect([...draw(cores.wasm, "binomial", 10, 7, 1)].every((v) => v === 7)).toBe(true);
  });
});

describe("negative binomial (gamma–Poisson)", () => {
  for (const [mu, th] of [[5, 2], [100, 0.5], [3, 50], [0.7, 0.2]]) {
    test(`μ = ${mu}, θ = ${th}`, () => {
      const x = draw(cores.wasm, "negbin", N, mu, th);
      const pmf = negbinPmf(mu, th);
      let hi = 0, cum = 0;
      while (cum < 1 - 1e-9) cum += pmf(hi++);
      const { stat, df } = chiSquare(x, pmf, 0, hi);
      expect(stat).toBeLessThan(critical(df));
    });
  }
});

test("the same seed gives bit-identical draws on wasm and js", () => {
  for (const [kind, a, b] of [["poisson", 3.3, 0], ["poisson", 77, 0], ["binomial", 25, 0.4], ["binomial", 5, 0.2], ["negbin", 12, 1.7]] as const) {
    expect(Array.from(draw(cores.js, kind, 3000, a, b, 99))).toEqual(Array.from(draw(cores.wasm, kind, 3000, a, b, 99)));
  }
});
