// Inference for the GLM families (Binomial, Poisson, negative binomial): standard
// errors and every band method run with offsets, trials and weights, give the same
// numbers on both backends and any number of workers, and a constant negative-binomial
// θ is held fixed in the local sandwich. (The analytic scores and Hessians are checked
// against finite differences in ./sandwich.test.ts.)
import { describe, expect, test } from "vitest";
import { confidenceBands, fit, simulate, standardErrors } from "../../src/index.js";
import type { FamilyName } from "../../src/model/families/index.js";

async function fitted(family: FamilyName, dispersion?: "constant") {
  const { data } = await simulate({ family, K: 2, n: 500, seed: 8, ...(dispersion ? { dispersion } : {}) });
  const d = { ...data, weights: data.y.map((_, i) => 1 + (i % 2)) };
  const res = await fit(d, { family, K: 2, bandwidth: 0.3, grid: 8, seed: 1, ...(dispersion ? { dispersion } : {}) });
  return { d, res };
}

describe("GLM families: standard errors and bands", { timeout: 120_000 }, () => {
  test.each(["poisson", "binomial", "negbin"] as const)("%s: every output identical on wasm and js, 0 or 2 workers", async (family) => {
    const { d, res } = await fitted(family);
    const se = await Promise.all((["wasm", "js"] as const).map((backend) => standardErrors(res, d, { backend, covariance: true })));
    expect(se[1]).toEqual(se[0]);
    // θ at its bound (1e8: no overdispersion) is held fixed there: no local se
    const atBound = new Set((res.diagnostics.thetaAtBound ?? []).map((b) => `${b.u}|${b.component}`));
    for (const c of se[0].curves) {
      c.se.forEach((v, j) => {
        if (c.part === "theta" && atBound.has(`${res.grid[j]}|${c.component}`)) expect(v).toBeNaN();
        else expect(v > 0 && Number.isFinite(v), `${c.part} ${c.component} ${c.term} at ${j}`).toBe(true);
      });
    }
    if (atBound.size) expect(se[0].warnings.some((w) => w.includes("held fixed"))).toBe(true);
    for (const method of ["extreme-value", "multiplier"] as const) {
      const b = await Promise.all((["wasm", "js"] as const).map((backend) => confidenceBands(res, d, { method, backend })));
      expect(b[1]).toEqual(b[0]);
      for (const c of b[0].curves) expect(c.criticalValue).toBeGreaterThan(b[0].details.pointwiseCritical);
    }
    for (const type of ["parametric", "nonparametric"] as const) {
      const runs = [];
      for (const [workers, backend] of [[2, "wasm"], [0, "js"]] as const) {
        const b = await confidenceBands(res, d, { method: "bootstrap", bootstrap: type, B: 4, seed: 5, workers, backend });
        runs.push({ ...b, details: { ...b.details, bootstrap: { ...b.details.bootstrap!, workers: 0 } } });
      }
      expect(runs[0].details.bootstrap.succeeded).toBe(4);
      expect(runs[1]).toEqual(runs[0]);
      for (const c of runs[0].curves) expect(c.criticalValue).toBeGreaterThan(0);
    }
  });

  test("negative binomial with a constant θ: θ held fixed locally (no local se), the other curves have one", async () => {
    const { d, res } = await fitted("negbin", "constant");
    const se = await standardErrors(res, d);
    for (const c of se.curves) {
      if (c.part === "theta") expect(c.se.every(Number.isNaN)).toBe(true);
      else expect(c.se.every((v) => v > 0 && Number.isFinite(v))).toBe(true);
    }
  });
});
