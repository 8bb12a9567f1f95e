// Effective degrees of freedom (trace of the smoother) and the K = 1 path.
import { describe, expect, test } from "vitest";
import { effectiveDegreesOfFreedom, fit, predict, simulate, VCMoEInputError } from "../src/index.js";
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
