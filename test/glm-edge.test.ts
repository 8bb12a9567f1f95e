// Clear behaviour at the edges of the GLM families: all-zero / all-success windows,
// trials = 0, huge counts, Bernoulli data, predict() on the response scale, and
// typed errors naming the argument for invalid input.
import { describe, expect, test } from "vitest";
import { curve } from "../src/model/result.js";
import { fit, fitConstant, predict, selectBandwidth, selectK, simulate, VCMoEInputError, type VCMoEFit } from "../src/index.js";
import { testRng } from "./helpers/glm.js";

const allFinite = (f: VCMoEFit) =>
  f.curves.every((c) => c.values.every(Number.isFinite)) && f.posteriors.every((r) => r.every(Number.isFinite)) && Number.isFinite(f.logLik);

async function rejects(p: Promise<unknown> | (() => unknown), argument: string): Promise<void> {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    expect(e).toBeInstanceOf(VCMoEInputError);
    expect((e as VCMoEInputError).argument).toBe(argument);
    return;
  }
  throw new Error(`expected a VCMoEInputError naming ${argument}`);
}

describe("windows where the local MLE is at infinity", () => {
  test("Poisson: all-zero counts for u < 0.25 give finite curves, negligible means there, and a boundary report", async () => {
    const sim = await simulate({ family: "poisson", K: 2, n: 1500, seed: 8 });
    const y = sim.data.y.map((v, i) => (sim.data.u[i] < 0.25 ? 0 : v));
    const f = await fit({ ...sim.data, y }, { family: "poisson", K: 2, bandwidth: 0.1 });
    expect(allFinite(f)).toBe(true);
    const b = f.diagnostics.boundary!;
    expect(b.length).toBeGreaterThan(0);
    // flagged only where the window holds zeros alone: grid points within h of u < 0.25
    expect(Math.max(...b.map((e) => e.u))).toBeLessThan(0.25 + 0.1);
    expect(f.diagnostics.warnings.some((w) => w.includes("all-zero counts"))).toBe(true);
    // fitted means at u = 0 are negligible (the MLE there is a mean of 0)
    for (const c of [1, 2]) {
      const a0 = curve(f, "expert", c, "(Intercept)").values[0];
      expect(Math.exp(a0)).toBeLessThan(1e-3);
    }
  }, 60_000);

  test("binomial: all successes for u > 0.75 give finite curves and a boundary report", async () => {
    const sim = await simulate({ family: "binomial", K: 2, n: 1500, seed: 8 });
    const y = sim.data.y.map((v, i) => (sim.data.u[i] > 0.75 ? sim.data.trials![i] : v));
    const f = await fit({ ...sim.data, y }, { family: "binomial", K: 2, bandwidth: 0.1 });
    expect(allFinite(f)).toBe(true);
    expect(f.diagnostics.boundary!.length).toBeGreaterThan(0);
    expect(Math.min(...f.diagnostics.boundary!.map((e) => e.u))).toBeGreaterThan(0.75 - 0.1);
  }, 60_000);
});

test("binomial separation by a covariate (y = 1 exactly when z1 > 0): finite estimates, reported", async () => {
  const rng = testRng(11);
  const n = 400;
  const z1 = Array.from({ length: n }, () => 4 * rng.unif() - 2), u = Array.from({ length: n }, () => rng.unif());
  const y = z1.map((z) => (z > 0 ? 1 : 0));
  const c = await fitConstant({ y, z: { z1 } }, { family: "binomial", K: 2 });
  for (const e of c.experts) for (const v of Object.values(e.coefficients)) expect(Number.isFinite(v)).toBe(true);
  expect(c.warnings.some((w) => w.includes("separation"))).toBe(true);
  const f = await fit({ y, u, z: { z1 } }, { family: "binomial", K: 2, bandwidth: 0.3 });
  expect(allFinite(f)).toBe(true);
  expect(f.diagnostics.boundary!.length).toBeGreaterThan(0);
  // the separated fit classifies every row: log-likelihood near 0
  expect(f.logLik).toBeGreaterThan(-5);
}, 60_000);

describe("binomial trials", () => {
  test("rows with 0 trials carry no information: the fit equals the fit without them", async () => {
    const sim = await simulate({ family: "binomial", K: 2, n: 900, seed: 9 });
    const d = sim.data;
    const zero = d.y.map((_, i) => i % 7 === 3);
    const trials = d.trials!.map((m, i) => (zero[i] ? 0 : m));
    const y = d.y.map((v, i) => (zero[i] ? 0 : v));
    const keep = (a: number[]) => a.filter((_, i) => !zero[i]);
    const withZero = { y, u: d.u, z: d.z, x: d.x, trials };
    const without = { y: keep(y), u: keep(d.u), z: { z1: keep(d.z.z1) }, x: { x1: keep(d.x.x1) }, trials: keep(trials) };
    const a = await fitConstant(withZero, { family: "binomial", K: 2 });
    const b = await fitConstant(without, { family: "binomial", K: 2 });
    expect(a.model.zeroTrialRows).toBe(zero.filter(Boolean).length);
    expect(Math.abs(a.logLik - b.logLik)).toBeLessThan(1e-8 * Math.abs(b.logLik));
    const va = await fit(withZero, { family: "binomial", K: 2, bandwidth: 0.25 });
    const vb = await fit(without, { family: "binomial", K: 2, bandwidth: 0.25 });
    expect(Math.abs(va.logLik - vb.logLik)).toBeLessThan(1e-6 * Math.abs(vb.logLik));
    va.curves.forEach((c, k) => c.values.forEach((v, j) => expect(Math.abs(v - vb.curves[k].values[j])).toBeLessThan(1e-4)));
    // their posteriors are the gating probabilities (the likelihood of 0 trials is 1)
    const pr = await predict(va, { u: d.u.filter((_, i) => zero[i]), x: { x1: d.x.x1.filter((_, i) => zero[i]) }, z: { z1: d.z.z1.filter((_, i) => zero[i]) } });
    const post = va.posteriors.filter((_, i) => zero[i]);
    post.forEach((r, i) => r.forEach((v, c) => expect(Math.abs(v - pr.gating[i][c])).toBeLessThan(1e-12)));
  }, 60_000);

  test("Bernoulli: omitting trials is the same as trials = 1", async () => {
    const sim = await simulate({ family: "binomial", K: 2, n: 600, seed: 10, trials: 1 });
    expect(sim.data.y.every((v) => v === 0 || v === 1)).toBe(true);
    const { trials, ...rest } = sim.data;
    const a = await fit(rest, { family: "binomial", K: 2, bandwidth: 0.35 });
    const b = await fit({ ...rest, trials }, { family: "binomial", K: 2, bandwidth: 0.35 });
    expect(a.logLik).toBe(b.logLik);
    expect(a.curves).toEqual(b.curves);
    expect(allFinite(a)).toBe(true);
  }, 60_000);
});

test("huge counts (means around 5e8) are fitted to their own precision", async () => {
  // two Poisson components with log-means 20 + 0.5u + 0.2z and 21 − 0.1z (normal approximation
  // of the Poisson draws; relative noise ~ 5e-5, and a local-linear fit has no bias for linear curves)
  const rng = testRng(3);
  const n = 1200;
  const u: number[] = [], z1: number[] = [], y: number[] = [], comp: number[] = [];
  for (let i = 0; i < n; i++) {
    const ui = rng.unif(), zi = rng.normal(), c = rng.unif() < 0.5 ? 0 : 1;
    const mu = Math.exp(c === 0 ? 20 + 0.5 * ui + 0.2 * zi : 21 - 0.1 * zi);
    u.push(ui); z1.push(zi); comp.push(c);
    y.push(Math.round(mu + Math.sqrt(mu) * rng.normal()));
  }
  const f = await fit({ y, u, z: { z1 } }, { family: "poisson", K: 2, bandwidth: 0.25 });
  expect(allFinite(f)).toBe(true);
  const i0 = f.curves.filter((c) => c.part === "expert" && c.term === "(Intercept)").map((c) => c.values);
  const lowFirst = i0[0][25] < i0[1][25] ? [0, 1] : [1, 0];
  f.grid.forEach((g, j) => {
    expect(Math.abs(i0[lowFirst[0]][j] - (20 + 0.5 * g))).toBeLessThan(2e-3);
    expect(Math.abs(i0[lowFirst[1]][j] - 21)).toBeLessThan(2e-3);
  });
  await rejects(fit({ y: y.map((v, i) => (i === 5 ? 2 ** 60 : v)), u, z: { z1 } }, { family: "poisson", K: 2, bandwidth: 0.25 }), "data.y");
}, 60_000);

test("predict(): response-scale means with the offset, and the fit's own posteriors at the training rows", async () => {
  for (const family of ["poisson", "negbin", "binomial"] as const) {
    const sim = await simulate({ family, K: 2, n: 500, seed: 6 });
    const f = await fit(sim.data, { family, K: 2, bandwidth: 0.3 });
    const d = sim.data;
    const pr = await predict(f, { u: d.u, z: d.z, x: d.x, y: d.y, offset: d.offset, trials: d.trials });
    pr.posteriors!.forEach((r, i) => r.forEach((v, c) => expect(Math.abs(v - f.posteriors[i][c])).toBeLessThan(1e-12)));
    pr.componentMeans.forEach((mu, i) => mu.forEach((m, c) => {
      const eta = pr.linearPredictors[i][c];
      expect(m).toBeCloseTo(family === "binomial" ? 1 / (1 + Math.exp(-eta)) : Math.exp(eta), 12);
    }));
    pr.mean.forEach((m, i) => expect(m).toBeCloseTo(pr.gating[i][0] * pr.componentMeans[i][0] + pr.gating[i][1] * pr.componentMeans[i][1], 10));
  }
}, 60_000);

describe("invalid input names the argument", () => {
  const base = { y: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], u: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] };
  const opts = { K: 2, bandwidth: 0.5 } as const;
  test.each([
    ["unknown family", { ...base }, { ...opts, family: "poison" }, "options.family"],
    ["non-integer count", { ...base, y: [0.5, ...base.y.slice(1)] }, { ...opts, family: "poisson" }, "data.y"],
    ["negative count", { ...base, y: [-1, ...base.y.slice(1)] }, { ...opts, family: "negbin" }, "data.y"],
    ["successes above trials", { ...base, trials: base.y.map(() => 5) }, { ...opts, family: "binomial" }, "data.y"],
    ["Bernoulli responses outside {0, 1}", { ...base }, { ...opts, family: "binomial" }, "data.y"],
    ["fractional trials", { ...base, y: base.y.map(() => 0), trials: base.y.map(() => 2.5) }, { ...opts, family: "binomial" }, "data.trials"],
    ["negative trials", { ...base, y: base.y.map(() => 0), trials: base.y.map(() => -1) }, { ...opts, family: "binomial" }, "data.trials"],
    ["all trials 0", { ...base, y: base.y.map(() => 0), trials: base.y.map(() => 0) }, { ...opts, family: "binomial" }, "data.trials"],
    ["offset for the Gaussian family", { ...base, offset: base.y.map(() => 0) }, { ...opts }, "data.offset"],
    ["trials for a count family", { ...base, trials: base.y.map(() => 10) }, { ...opts, family: "poisson" }, "data.trials"],
    ["non-finite offset", { ...base, offset: base.y.map((_, i) => (i === 2 ? NaN : 0)) }, { ...opts, family: "poisson" }, "data.offset"],
    ["dispersion for a family without θ", { ...base }, { ...opts, family: "poisson", dispersion: "constant" }, "options.dispersion"],
    ["constant θ with the per-grid-point baseline", { ...base }, { ...opts, family: "negbin", dispersion: "constant", method: "local-align" }, "options.dispersion"],
    ["a constant dispersion for a family without one", { ...base }, { ...opts, family: "poisson", constant: [{ part: "sigma", component: 1 }] }, "options.constant"],
  ] as const)("%s", async (_name, data, options, argument) => {
    await rejects(fit(data as never, options as never), argument);
  });

  test("fitConstant, predict and simulate check theirs too", async () => {
    await rejects(fitConstant({ y: [0.5, 1, 2, 3, 4, 5, 6] }, { K: 2, family: "poisson" }), "data.y");
    await rejects(fitConstant({ y: [1, 2, 3, 4, 5, 6, 7] }, { K: 2, family: "gamma" as never }), "options.family");
    const sim = await simulate({ family: "poisson", K: 2, n: 300, seed: 1 });
    const f = await fit(sim.data, { family: "poisson", K: 2, bandwidth: 0.4, grid: 10 });
    await rejects(predict(f, { u: [0.5], z: { z1: [0] }, x: { x1: [0] }, trials: [3] }), "newData.trials");
    await rejects(predict(f, { u: [0.5], z: { z1: [0] }, x: { x1: [0] }, y: [2.5] }), "newData.y");
    await rejects(simulate({ family: "poisson", n: 10, scenario: "ws" }), "options.scenario");
    await rejects(simulate({ family: "poisson", n: 10, K: 11 }), "options.K");
    await rejects(simulate({ family: "poisson", n: 10, trials: 5 }), "options.trials");
    // model choice checks the family and its data
    await rejects(selectBandwidth(sim.data, { K: 2, family: "poison" as never }), "options.family");
    await rejects(selectK({ ...sim.data, y: sim.data.y.map((v, i) => (i === 3 ? 0.5 : v)) }, { family: "poisson" }), "data.y");
  }, 60_000);
});
