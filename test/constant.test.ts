// fitConstant() against reference maximum-likelihood fits from another
// implementation (mixtools regmixEM / hmeEM, numbers in data/README.md).
// Components are unordered: they are matched to the reference by permutation.
import { describe, expect, test } from "vitest";
import { fitConstant, type ConstantFit } from "../src/index.js";
import { bestPermutation, readReference } from "./helpers/data.js";

interface RefComponent { intercept: number; slope: number; sigma: number; weight?: number }

/** Log-likelihood recomputed from the reported parameters (independent of the core). */
function mixtureLogLik(y: number[], z: number[], x: number[] | null, f: ConstantFit, zName: string): number {
  let ll = 0;
  for (let i = 0; i < y.length; i++) {
    const eta = f.gating.map((g) => (g.coefficients["(Intercept)"] ?? 0) + (x ? g.coefficients[zName] * x[i] : 0));
    const mx = Math.max(...eta);
    const den = eta.reduce((s, e) => s + Math.exp(e - mx), 0);
    let dens = 0;
    f.experts.forEach((e, c) => {
      const mu = e.coefficients["(Intercept)"] + e.coefficients[zName] * z[i];
      const pi = Math.exp(eta[c] - mx) / den;
      dens += pi * Math.exp(-0.5 * ((y[i] - mu) / e.sigma!) ** 2) / (e.sigma! * Math.sqrt(2 * Math.PI));
    });
    ll += Math.log(dens);
  }
  return ll;
}

/** Matches fitted experts to reference components and checks every number to `tol`. */
function expectComponents(f: ConstantFit, ref: RefComponent[], zName: string, tol: number): number[] {
  const { perm } = bestPermutation(2, (a, b) => Math.abs(f.experts[a].coefficients["(Intercept)"] - ref[b].intercept) + Math.abs(f.experts[a].coefficients[zName] - ref[b].slope));
  ref.forEach((r, c) => {
    const e = f.experts[perm[c]];
    expect(Math.abs(e.coefficients["(Intercept)"] - r.intercept), `intercept of reference component ${c + 1}`).toBeLessThanOrEqual(tol);
    expect(Math.abs(e.coefficients[zName] - r.slope), `slope of reference component ${c + 1}`).toBeLessThanOrEqual(tol);
    expect(Math.abs(e.sigma! - r.sigma), `sigma of reference component ${c + 1}`).toBeLessThanOrEqual(tol);
    if (r.weight !== undefined) expect(Math.abs(e.weight - r.weight), `weight of reference component ${c + 1}`).toBeLessThanOrEqual(tol);
  });
  return perm;
}

describe("tonedata (mixtools reference)", () => {
  const d = readReference("tonedata.csv");

  test("mixture of regressions, constant weights: log-lik 141.1984, coefficients to 1e-3", async () => {
    const f = await fitConstant({ y: d.tuned, z: { stretchratio: d.stretchratio } }, { K: 2 });
    expect(f.converged).toBe(true);
    expect(Math.abs(f.logLik - 141.1984)).toBeLessThanOrEqual(1e-4);
    expect(Math.abs(mixtureLogLik(d.tuned, d.stretchratio, null, f, "stretchratio") - f.logLik)).toBeLessThan(1e-9);
    expectComponents(f, [
      { intercept: 1.91638, slope: 0.042549, sigma: 0.046192, weight: 0.69772 },
      { intercept: -0.019275, slope: 0.992296, sigma: 0.132834, weight: 0.30228 },
    ], "stretchratio", 1e-3);
    expect(f.experts[0].weight + f.experts[1].weight).toBeCloseTo(1, 12);
  });

  test("mixture of experts, gating logit on stretchratio: log-lik 142.8480, logit A vs B = 2.67797 − 0.791828·stretchratio", async () => {
    const f = await fitConstant({ y: d.tuned, z: { stretchratio: d.stretchratio }, x: { stretchratio: d.stretchratio } }, { K: 2 });
    expect(f.converged).toBe(true);
    expect(Math.abs(f.logLik - 142.848)).toBeLessThanOrEqual(1e-4);
    expect(Math.abs(mixtureLogLik(d.tuned, d.stretchratio, d.stretchratio, f, "stretchratio") - f.logLik)).toBeLessThan(1e-9);
    const [a, b] = expectComponents(f, [
      { intercept: 1.91322, slope: 0.043687, sigma: 0.047099 },
      { intercept: -0.029491, slope: 0.995668, sigma: 0.13728 },
    ], "stretchratio", 1e-3);
    const ga = f.gating[a].coefficients, gb = f.gating[b].coefficients;
    expect(Math.abs(ga["(Intercept)"] - gb["(Intercept)"] - 2.67797)).toBeLessThanOrEqual(1e-3);
    expect(Math.abs(ga.stretchratio - gb.stretchratio - -0.791828)).toBeLessThanOrEqual(1e-3);
    // centred logits carry ± half of the contrast
    const ca = f.gatingCentred[a].coefficients, cb = f.gatingCentred[b].coefficients;
    expect(ca.stretchratio + cb.stretchratio).toBeCloseTo(0, 12);
    expect(ca.stretchratio - cb.stretchratio).toBeCloseTo(ga.stretchratio - gb.stretchratio, 12);
  });

  test("the maximum is a maximum: no small move of any parameter raises the likelihood", async () => {
    const f = await fitConstant({ y: d.tuned, z: { stretchratio: d.stretchratio }, x: { stretchratio: d.stretchratio } }, { K: 2 });
    const ll0 = mixtureLogLik(d.tuned, d.stretchratio, d.stretchratio, f, "stretchratio");
    const knobs: Array<(g: ConstantFit, e: number) => void> = [];
    for (const c of [0, 1]) {
      knobs.push((g, e) => { g.experts[c].coefficients["(Intercept)"] += e; });
      knobs.push((g, e) => { g.experts[c].coefficients.stretchratio += e; });
      knobs.push((g, e) => { g.experts[c].sigma! += e; });
    }
    knobs.push((g, e) => { g.gating[1].coefficients["(Intercept)"] += e; });
    knobs.push((g, e) => { g.gating[1].coefficients.stretchratio += e; });
    for (const move of knobs) {
      for (const e of [1e-4, -1e-4]) {
        const g = structuredClone(f);
        move(g, e);
        expect(mixtureLogLik(d.tuned, d.stretchratio, d.stretchratio, g, "stretchratio")).toBeLessThan(ll0);
      }
    }
  });
});

describe("NOdata and CO2data (mixtools references)", () => {
  test("NOdata: 122.0383 without gating covariate (components to 1e-3), 123.6206 with gating on NO", async () => {
    const d = readReference("NOdata.csv");
    const f = await fitConstant({ y: d.Equivalence, z: { NO: d.NO } }, { K: 2 });
    expect(Math.abs(f.logLik - 122.0383)).toBeLessThanOrEqual(1e-4);
    expectComponents(f, [
      { intercept: 0.564958, slope: 0.085043, sigma: 0.043331, weight: 0.48973 },
      { intercept: 1.247131, slope: -0.083041, sigma: 0.024144, weight: 0.51027 },
    ], "NO", 1e-3);
    const g = await fitConstant({ y: d.Equivalence, z: { NO: d.NO }, x: { NO: d.NO } }, { K: 2 });
    expect(Math.abs(g.logLik - 123.6206)).toBeLessThanOrEqual(1e-4);
    expect(Math.abs(mixtureLogLik(d.Equivalence, d.NO, d.NO, g, "NO") - g.logLik)).toBeLessThan(1e-9);
  });

  test("CO2data: −66.9398 (components to 1e-3)", async () => {
    const d = readReference("CO2data.csv");
    const f = await fitConstant({ y: d.CO2, z: { GNP: d.GNP } }, { K: 2 });
    expect(Math.abs(f.logLik - -66.9398)).toBeLessThanOrEqual(1e-4);
    expectComponents(f, [
      { intercept: 8.678987, slope: -0.023344, sigma: 2.049315, weight: 0.754921 },
      { intercept: 1.41515, slope: 0.676596, sigma: 0.809389 },
    ], "GNP", 1e-3);
  });
});
