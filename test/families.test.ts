// Varying-coefficient fits of every family on data simulated from the "mix"
// scenario: the curves are recovered within error scales derived from the truth
// (oracle variance and bias, test/helpers/oracle.ts), and the WebAssembly and
// JavaScript backends give the same fit.
import { describe, expect, test } from "vitest";
import { fit, simulate, type VCMoEFit } from "../src/index.js";
import { oracle, permutations, type FamilyName } from "./helpers/oracle.js";

const FAMILIES: FamilyName[] = ["gaussian", "binomial", "poisson", "negbin"];
const H = 0.2;

function curve(f: VCMoEFit, part: string, c: number, term: string): number[] {
  const cv = f.curves.find((v) => v.part === part && v.component === c + 1 && v.term === term);
  if (!cv) throw new Error(`no curve ${part} ${c + 1} ${term}`);
  return cv.values;
}

/** Component of the fit matched to each true component (best permutation of the intercept curves). */
function matchComponents(f: VCMoEFit, truth: (u: number) => { alpha: Array<[number, number]> }, K: number): number[] {
  let best: number[] = [], bestErr = Infinity;
  for (const p of permutations(K)) {
    let e = 0;
    for (let c = 0; c < K; c++) {
      const v = curve(f, "expert", p[c], "(Intercept)");
      f.grid.forEach((u, j) => { e += (v[j] - truth(u).alpha[c][0]) ** 2; });
    }
    if (e < bestErr) { bestErr = e; best = p; }
  }
  return best;
}

const rms = (z: number[]) => Math.sqrt(z.reduce((s, v) => s + v * v, 0) / z.length);

describe.each(FAMILIES)("%s", (family) => {
  test("recovers every curve within the oracle's error scale", async () => {
    const sim = await simulate({ family, K: 2, n: 2000, seed: 12 });
    const f = await fit(sim.data, { family, K: 2, bandwidth: H, seed: 1 });
    expect(f.converged).toBe(true);
    expect(f.model.family).toBe(family);
    const perm = matchComponents(f, sim.truth, 2);
    const or = oracle(sim, family, H);
    const inner = f.grid.map((_, j) => j).filter((j) => f.grid[j] >= H && f.grid[j] <= 1 - H);
    // Standardised errors (estimate − truth) / oracle scale. The oracle knows the labels, so
    // the mixture fit's errors are larger by its information loss (at most a factor of about
    // 2 for these components): RMS over the interior grid below 3.5, no point beyond 5.5.
    // A label switch or a wrong mode gives standardised errors in the tens.
    const check = (est: number[], tru: (u: number) => number, scale: (u: number) => number) => {
      const z = inner.map((j) => (est[j] - tru(f.grid[j])) / scale(f.grid[j]));
      expect(rms(z)).toBeLessThan(3.5);
      expect(Math.max(...z.map(Math.abs))).toBeLessThan(5.5);
    };
    for (let c = 0; c < 2; c++) {
      check(curve(f, "expert", perm[c], "(Intercept)"), (u) => sim.truth(u).alpha[c][0], (u) => or.expert(c, 0, u));
      check(curve(f, "expert", perm[c], "z1"), (u) => sim.truth(u).alpha[c][1], (u) => or.expert(c, 1, u));
      if (family === "negbin") check(curve(f, "theta", perm[c], "theta"), (u) => sim.truth(u).theta![c], (u) => or.theta(c, u));
    }
    check(curve(f, "gating", perm[0], "(Intercept)"), (u) => sim.truth(u).gamma[0][0], (u) => or.gating(0, u));
    check(curve(f, "gating", perm[0], "x1"), (u) => sim.truth(u).gamma[0][1], (u) => or.gating(1, u));
    // dispersion curves: only where the family has one
    expect(f.curves.some((c) => c.part === "sigma")).toBe(family === "gaussian");
    expect(f.curves.some((c) => c.part === "theta")).toBe(family === "negbin");
    for (const c of f.curves) expect(c.values.every(Number.isFinite)).toBe(true);
  }, 60_000);

  test("wasm and js backends give the same fit (to 1e-9; bit-identical by construction)", async () => {
    const sim = await simulate({ family, K: 2, n: 500, seed: 3 });
    const opts = { family, K: 2, bandwidth: 0.3, grid: 15, seed: 2, starts: 4 };
    const a = await fit(sim.data, { ...opts, backend: "wasm" });
    const b = await fit(sim.data, { ...opts, backend: "js" });
    expect(b.iterations).toBe(a.iterations);
    expect(Math.abs(a.logLik - b.logLik)).toBeLessThanOrEqual(1e-9 * Math.abs(a.logLik));
    a.curves.forEach((c, k) => c.values.forEach((v, j) => expect(Math.abs(v - b.curves[k].values[j])).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(v)))));
    expect(b.logLik).toBe(a.logLik);
  }, 60_000);
});

test("negative binomial with one θ per component ('constant' dispersion) recovers θ_c", async () => {
  const sim = await simulate({ family: "negbin", K: 2, n: 2000, seed: 4, dispersion: "constant" });
  const f = await fit(sim.data, { family: "negbin", K: 2, bandwidth: H, dispersion: "constant" });
  expect(f.model.dispersion).toBe("constant");
  const perm = matchComponents(f, sim.truth, 2);
  for (let c = 0; c < 2; c++) {
    const th = curve(f, "theta", perm[c], "theta");
    expect(new Set(th).size).toBe(1); // one value along u
    // θ_c = 3 + c; a constant θ is estimated from all ~1000 rows of its component: its
    // standard error is about θ·sqrt(2/n_c)·(1 + θ/μ) ≈ 0.2–0.4 here, and the bound is 4 of those
    expect(Math.abs(th[0] - (3 + c))).toBeLessThan(4 * 0.35 * (1 + c / 3));
  }
  const v = await fit(sim.data, { family: "negbin", K: 2, bandwidth: H });
  // the varying-θ model contains the constant one: its log-likelihood is not far below
  expect(v.logLik).toBeGreaterThan(f.logLik - 5);
}, 60_000);
