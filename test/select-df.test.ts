// Effective degrees of freedom (trace of the smoother) and the K = 1 path.
import { describe, expect, test } from "vitest";
import { AIC, effectiveDegreesOfFreedom, effectiveDf, fit, fitConstant, predict, simulate, VCMoEInputError, type ConstantTerm, type FamilyName } from "../src/index.js";
import { fitModel } from "../src/fit/pipeline.js";

describe("effective degrees of freedom", () => {
  test("flat kernel limit: each part equals its parameter count of a global fit linear in u", async () => {
    // Gaussian kernel with h = 1000: every local fit is the global fit on [z, z·u]
    const sim = await simulate({ n: 300, seed: 4 });
    for (const backend of ["wasm", "js"] as const) {
      const res = await fit(sim.data, { K: 2, bandwidth: 1000, kernel: "gaussian", backend, grid: 20 });
      const df = await effectiveDegreesOfFreedom(res, sim.data);
      // q = 2 (intercept, z1), p = 2 (intercept, x1)
      for (const v of df.expert) expect(v).toBeCloseTo(4, 4);
      for (const v of df.sigma) expect(v).toBeCloseTo(1, 4);
      expect(df.gating).toBeCloseTo(2 * 2 * (2 - 1), 4);
      expect(df.total).toBeCloseTo(14, 3);
    }
  }, 30_000);

  test("K = 1: the expert trace equals Σ_i ∂ŷ_i/∂y_i measured by refitting with perturbed responses", async () => {
    const n = 70;
    const sim = await simulate({ n, seed: 8 });
    const data = { y: sim.data.y, u: sim.data.u, z: sim.data.z };
    const opts = { K: 1, bandwidth: 0.35, grid: 15, starts: 1 };
    const base = await fitModel(data, opts, 1);
    const df = await effectiveDegreesOfFreedom(base, data);
    const fitted = async (y: number[], i: number) => {
      const r = await fitModel({ ...data, y }, opts, 1);
      const pr = await predict(r, { u: [data.u[i]], z: { z1: [data.z.z1[i]] } });
      return pr.mean[0];
    };
    const delta = 1e-3;
    let trace = 0;
    for (let i = 0; i < n; i++) {
      const y = data.y.slice();
      y[i] += delta;
      const up = await fitted(y, i);
      y[i] -= 2 * delta;
      const down = await fitted(y, i);
      trace += (up - down) / (2 * delta);
    }
    expect(df.expert[0]).toBeCloseTo(trace, 6);
    expect(df.gating).toBe(0);
    // local-linear in one covariate pair: between the global linear fit (4) and interpolation (n)
    expect(df.expert[0]).toBeGreaterThan(4);
    expect(df.expert[0]).toBeLessThan(n / 2);
  }, 30_000);

  test("df grows as the bandwidth shrinks and is the same on both backends", async () => {
    const sim = await simulate({ n: 300, seed: 2 });
    let prev = 0;
    for (const h of [0.6, 0.35, 0.2]) {
      const dfs = [];
      for (const backend of ["wasm", "js"] as const) {
        const res = await fit(sim.data, { K: 2, bandwidth: h, backend });
        dfs.push(await effectiveDegreesOfFreedom(res, sim.data));
      }
      expect(dfs[1].total).toBeCloseTo(dfs[0].total, 9);
      expect(dfs[0].total).toBeGreaterThan(prev);
      prev = dfs[0].total;
    }
  }, 30_000);

  test("hybrid fits, flat kernel: a constant coefficient counts 1 (the exact hat trace of the global fit)", async () => {
    // h = 1000, Gaussian kernel: expert 1 with z1 constant is the global linear fit on [1, u, z1] (hat trace 3);
    // the gating contrast with x1 constant is the global logit on [1, u, x1] (3 parameters)
    const sim = await simulate({ n: 300, seed: 4 });
    const res = await fit(sim.data, { K: 2, bandwidth: 1000, kernel: "gaussian", grid: 20,
      constant: [{ part: "expert", component: 1, term: "z1" }, { part: "gating", term: "x1" }, { part: "sigma", component: 2 }] });
    const df = await effectiveDegreesOfFreedom(res, sim.data);
    expect(df.expert[0]).toBeCloseTo(3, 4);
    expect(df.expert[1]).toBeCloseTo(4, 4);
    expect(df.sigma[0]).toBeCloseTo(1, 4);
    expect(df.sigma[1]).toBe(1);
    expect(df.gating).toBeCloseTo(3, 4);
  }, 30_000);

  test("hybrid fits of every family: all constant = the constant mixture's parameter count; one constant lies between", async () => {
    for (const family of ["gaussian", "binomial", "poisson", "negbin"] as FamilyName[]) {
      const sim = await simulate({ family, K: 2, n: 300, seed: 3 });
      const opts = { family, K: 2, bandwidth: 0.3, grid: 12, seed: 1 };
      const dispersion: ConstantTerm[] = family === "gaussian" || family === "negbin" ? [{ part: "sigma" }] : [];
      const allConstant = await fit(sim.data, { ...opts, constant: [{ part: "expert", term: "*" }, { part: "gating", term: "*" }, ...dispersion] });
      const constantFit = await fitConstant(sim.data, { family, K: 2, seed: 1 });
      // independent truth: the constant mixture's own parameter count (and the same likelihood, so the same AIC)
      expect(allConstant.logLik, family).toBeCloseTo(constantFit.logLik, 5);
      expect((await effectiveDegreesOfFreedom(allConstant, sim.data)).total, family).toBeCloseTo(effectiveDf(constantFit), 9);
      expect(effectiveDf(allConstant), family).toBeCloseTo(effectiveDf(constantFit), 9);
      expect(AIC(allConstant), family).toBeCloseTo(AIC(constantFit), 4);
      const varying = await fit(sim.data, opts);
      const one = await fit(sim.data, { ...opts, constant: [{ part: "expert", component: 1, term: "z1" }] });
      const dfV = await effectiveDegreesOfFreedom(varying, sim.data), dfO = await effectiveDegreesOfFreedom(one, sim.data);
      expect(dfO.total, family).toBeGreaterThan(effectiveDf(constantFit) + 5);
      expect(dfO.total, family).toBeLessThan(dfV.total - 1);
      // the constant slope replaces a curve worth more than one parameter
      expect(dfO.expert[0], family).toBeLessThan(dfV.expert[0] - 1);
      expect(dfO.expert[0], family).toBeGreaterThan(3);
    }
  }, 60_000);

  test("rejects data that is not the fit's", async () => {
    const sim = await simulate({ n: 200, seed: 1 });
    const res = await fit(sim.data, { K: 2, bandwidth: 0.3 });
    const other = { ...sim.data, y: sim.data.y.slice(0, 150), u: sim.data.u.slice(0, 150), z: { z1: sim.data.z.z1.slice(0, 150) }, x: { x1: sim.data.x.x1.slice(0, 150) } };
    await expect(effectiveDegreesOfFreedom(res, other)).rejects.toThrow(VCMoEInputError);
  }, 30_000);
});

describe("K = 1 (no mixture)", () => {
  test("fitModel(K = 1) is the kernel-weighted local-linear regression; its log-likelihood is the Gaussian one at the curves", async () => {
    const sim = await simulate({ n: 300, seed: 5 });
    const res = await fitModel(sim.data, { K: 1, bandwidth: 0.3 }, 1);
    expect(res.model.K).toBe(1);
    expect(res.converged).toBe(true);
    const pr = await predict(res, { u: sim.data.u, z: sim.data.z, x: sim.data.x });
    const sig = res.curves.find((c) => c.part === "sigma")!.values;
    const tg = res.parameters.gridUnit;
    let ll = 0;
    for (let i = 0; i < sim.data.y.length; i++) {
      const t = (sim.data.u[i] - res.model.uMin) / (res.model.uMax - res.model.uMin);
      let j = 0;
      while (j < tg.length - 2 && t > tg[j + 1]) j++;
      const lam = (t - tg[j]) / (tg[j + 1] - tg[j]);
      const s = (1 - lam) * sig[j] + lam * sig[j + 1];
      const r = (sim.data.y[i] - pr.mean[i]) / s;
      ll += -0.5 * Math.log(2 * Math.PI) - Math.log(s) - 0.5 * r * r;
    }
    expect(res.logLik).toBeCloseTo(ll, 6);
    expect(res.posteriors.every((r) => r.length === 1 && r[0] === 1)).toBe(true);
  }, 30_000);

  test("the public fit() still requires K >= 2", async () => {
    const sim = await simulate({ n: 100, seed: 1 });
    await expect(fit(sim.data, { K: 1, bandwidth: 0.3 })).rejects.toThrow(/options\.K/);
  });
});
