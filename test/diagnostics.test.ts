// Fit diagnostics: convergence per stage and degenerate fits.
import { describe, expect, test } from "vitest";
import { fit, simulate } from "../src/index.js";

describe("diagnostics", () => {
  test("a healthy fit reports converged stages and is not flagged degenerate", async () => {
    const sim = await simulate({ n: 600, seed: 1 });
    const res = await fit(sim.data, { K: 2, bandwidth: 0.2 });
    const d = res.diagnostics;
    expect(d.stages.map((s) => s.stage)).toEqual(["initialisation", "label-consistent EM"]);
    expect(d.stages.every((s) => s.converged)).toBe(true);
    expect(d.degenerate).toBe(false);
    expect(d.degeneracy).toEqual([]);
    expect(d.effectiveRows).toHaveLength(res.grid.length);
    expect(Math.min(...d.effectiveRows.flat())).toBeGreaterThan(10);
    const refined = await fit(sim.data, { K: 2, bandwidth: 0.2, refine: true });
    expect(refined.diagnostics.stages.map((s) => s.stage)).toEqual(["initialisation", "label-consistent EM", "local refinement"]);
    expect(refined.diagnostics.stages.every((s) => s.converged)).toBe(true);
  }, 30_000);

  test("a component collapsing onto a few identical responses is flagged (sigma floor, few effective rows)", async () => {
    const sim = await simulate({ n: 400, seed: 1 });
    const d = structuredClone(sim.data);
    for (let k = 0; k < 6; k++) { d.y.push(6); d.u.push(0.4 + 0.02 * k); d.z.z1.push(0.1 * k); d.x.x1.push(0); }
    // without start screening: screening reaches another (also floored) solution of higher likelihood
    const res = await fit(d, { K: 2, bandwidth: 0.2, initScreening: 0 });
    const diag = res.diagnostics;
    expect(diag.degenerate).toBe(true);
    expect(diag.degeneracy).toContain("sigma-floor");
    expect(diag.degeneracy).toContain("few-effective-rows");
    expect(diag.sigmaFloored.length).toBeGreaterThan(0);
    expect(diag.warnings.some((w) => /collapsed onto a few points/.test(w))).toBe(true);
    // the collapsed component: its smallest effective sample size is about the six planted rows or fewer
    expect(Math.min(...diag.effectiveRows.flat())).toBeLessThan(6);
  }, 30_000);

  test("an EM stopped by the iteration limit is reported per stage and warned about", async () => {
    const sim = await simulate({ n: 300, seed: 2 });
    const res = await fit(sim.data, { K: 2, bandwidth: 0.3, maxIter: 2 });
    expect(res.diagnostics.stages[1]).toEqual({ stage: "label-consistent EM", converged: false, iterations: 2 });
    const plain = await fit(sim.data, { K: 2, bandwidth: 0.3, maxIter: 2, accelerate: false });
    expect(plain.diagnostics.stages[1]).toEqual({ stage: "label-consistent EM", converged: false, iterations: 2 });
    expect(res.diagnostics.warnings.some((w) => /did not converge/.test(w))).toBe(true);
    const la = await fit(sim.data, { K: 2, bandwidth: 0.3, method: "local-align", maxIter: 1, grid: 10 });
    const st = la.diagnostics.stages[1];
    expect(st.stage).toBe("local EM");
    expect(st.notConverged).toBeGreaterThan(0);
  }, 30_000);
});
