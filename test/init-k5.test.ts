// Initialisation at K = 5 on well-separated data: the fit must land in the good mode
// (every component recovered), for the Gaussian family and for Poisson counts with
// large means, where the constant-coefficient fit with the highest likelihood spends
// components on the movement of the curves along u and the screening of starts by a
// short varying-coefficient EM (src/fit/screen.ts) is what finds the good mode.
import { expect, test } from "vitest";
import { curve } from "../src/model/result.js";
import { fit, simulate, type VCMoEFit } from "../src/index.js";
import { oracle, permutations, type FamilyName } from "./helpers/oracle.js";

const H = 0.2;

async function checkK5(family: FamilyName, separation: number) {
  const K = 5;
  const sim = await simulate({ family, K, n: 3000, seed: 11, separation });
  // every row: this tests the screening (3000 rows would otherwise be initialised on 2000 of
  // them, which lands in another mode on this seed; over 10 other data sets of this Poisson
  // scenario at n = 3000 the subset's fits recover every component in 5, those initialised on
  // every row in 1: bench/RESULTS.md, init-subset section)
  const f: VCMoEFit = await fit(sim.data, { family, K, bandwidth: H, seed: 1, initRows: Infinity });
  const expertCurve = (c: number, term: string) => curve(f, "expert", c + 1, term).values;
  let perm: number[] = [], bestErr = Infinity;
  for (const p of permutations(K)) {
    let e = 0;
    for (let c = 0; c < K; c++) { const v = expertCurve(p[c], "(Intercept)"); f.grid.forEach((u, j) => { e += (v[j] - sim.truth(u).alpha[c][0]) ** 2; }); }
    if (e < bestErr) { bestErr = e; perm = p; }
  }
  const or = oracle(sim, family, H);
  const inner = f.grid.map((_, j) => j).filter((j) => f.grid[j] >= H && f.grid[j] <= 1 - H);
  // standardised by the oracle error scale, with the bounds of test/families.test.ts
  for (let c = 0; c < K; c++) {
    for (const [k, term] of [[0, "(Intercept)"], [1, "z1"]] as const) {
      const v = expertCurve(perm[c], term);
      const z = inner.map((j) => (v[j] - sim.truth(f.grid[j]).alpha[c][k]) / or.expert(c, k, f.grid[j]));
      expect(Math.sqrt(z.reduce((s, x) => s + x * x, 0) / z.length)).toBeLessThan(3.5);
      expect(Math.max(...z.map(Math.abs))).toBeLessThan(5.5);
    }
  }
  return f;
}

test("K = 5, Gaussian, well separated: every component is recovered", async () => {
  const f = await checkK5("gaussian", 1);
  // K >= 5 keeps 10 starts (5 lost modes on the Poisson scenario below: bench/RESULTS.md, starts-study)
  expect(f.diagnostics.initialisation.startLogLiks.length).toBe(10);
}, 120_000);

test("the default number of starts is 2K, at least 5 (an explicit `starts` is kept)", async () => {
  const sim = await simulate({ K: 3, n: 300, seed: 2, scenario: "sep3" });
  const starts = async (o: { K: number; starts?: number }) =>
    (await fit(sim.data, { ...o, bandwidth: 0.3, grid: 10, refine: false })).diagnostics.initialisation.startLogLiks.length;
  expect(await starts({ K: 2 })).toBe(5);
  expect(await starts({ K: 3 })).toBe(6);
  expect(await starts({ K: 2, starts: 7 })).toBe(7);
});

test("K = 5, Poisson with log-means from 0.5 to 12.5 (counts up to ~10^6), well separated: every component is recovered", async () => {
  const f = await checkK5("poisson", 2);
  // the constant fit with the highest likelihood was not the start that won
  const s = f.diagnostics.initialisation.screening!;
  expect(s.starts[s.chosen]).not.toBe(-1);
}, 120_000);

test("K = 10 works for every family: finite curves, every component present, backends identical", async () => {
  for (const family of ["gaussian", "binomial", "poisson", "negbin"] as const) {
    const sim = await simulate({ family, K: 10, n: 1000, seed: 5 });
    const opts = { family, K: 10, bandwidth: 0.4, grid: 6, maxIter: 6, starts: 2, refine: false };
    const a = await fit(sim.data, { ...opts, backend: "wasm" });
    expect(a.curves.every((c) => c.values.every(Number.isFinite))).toBe(true);
    expect(a.curves.filter((c) => c.part === "expert" && c.term === "(Intercept)").length).toBe(10);
    expect(Math.min(...a.diagnostics.componentWeights.flat())).toBeGreaterThan(0);
    if (family === "poisson") {
      const b = await fit(sim.data, { ...opts, backend: "js" });
      expect(b.logLik).toBe(a.logLik);
      expect(b.curves).toEqual(a.curves);
    }
  }
}, 180_000);
