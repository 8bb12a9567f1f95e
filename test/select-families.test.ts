// Model choice for the GLM families: the smoother traces with IRLS working weights
// (flat-kernel limit: the parameter counts of a global fit, no dispersion part for
// Poisson and binomial), offsets carried through the cross-validation folds (a shifted
// offset is absorbed by the intercept: identical scores), and BIC choosing the true K.
import { describe, expect, test } from "vitest";
import { effectiveDegreesOfFreedom, fit, selectBandwidth, selectK, simulate } from "../src/index.js";

describe("model choice for the GLM families", { timeout: 120_000 }, () => {
  test.each([
    { family: "poisson" as const, dispersion: 0 }, { family: "binomial" as const, dispersion: 0 }, { family: "negbin" as const, dispersion: 1 },
  ])("$family: flat kernel limit, each part equals its parameter count", async ({ family, dispersion }) => {
    const { data } = await simulate({ family, K: 2, n: 400, seed: 4 });
    const res = await fit(data, { family, K: 2, bandwidth: 1000, kernel: "gaussian", grid: 10 });
    const df = await effectiveDegreesOfFreedom(res, data);
    for (const v of df.expert) expect(v).toBeCloseTo(4, 4);
    for (const v of df.sigma) expect(v).toBeCloseTo(dispersion, 4);
    expect(df.gating).toBeCloseTo(2 * 2 * (2 - 1), 4);
  });

  test("poisson with weights: the dispersion-free expert trace lies between the global count (4) and the weighted rows", async () => {
    const { data } = await simulate({ family: "poisson", K: 2, n: 400, seed: 6 });
    const d = { ...data, weights: data.y.map((_, i) => 1 + (i % 2)) };
    const res = await fit(d, { family: "poisson", K: 2, bandwidth: 0.25 });
    const df = await effectiveDegreesOfFreedom(res, d);
    for (const v of df.expert) { expect(v).toBeGreaterThan(4); expect(v).toBeLessThan(60); }
    expect(df.sigma).toEqual([0, 0]);
  });

  test("selectBandwidth: offsets reach the fold fits and the held-out scores (a shifted offset changes nothing)", async () => {
    const { data } = await simulate({ family: "poisson", K: 2, n: 500, seed: 3 });
    const opts = { family: "poisson" as const, K: 2, candidates: [0.2, 0.4], folds: 3, grid: 10, starts: 3 };
    const a = await selectBandwidth(data, opts);
    const b = await selectBandwidth({ ...data, offset: data.offset!.map((o) => o + 0.7) }, opts);
    a.scores.forEach((s, k) => {
      expect(s.meanLogLik).not.toBeNull();
      expect(Math.abs(s.meanLogLik! - b.scores[k].meanLogLik!)).toBeLessThan(1e-6 * Math.abs(s.meanLogLik!));
    });
    // without the offset the model is wrong and predicts worse
    const c = await selectBandwidth({ ...data, offset: undefined }, opts);
    expect(c.scores[a.chosenIndex].meanLogLik!).toBeLessThan(a.scores[a.chosenIndex].meanLogLik!);
  });

  test("selectK: BIC chooses the two components of binomial (trials 10–30) and negative-binomial data; ICL those of the well-separated binomial", async () => {
    for (const family of ["binomial", "negbin"] as const) {
      const { data } = await simulate({ family, K: 2, n: 800, seed: 12 });
      const sel = await selectK(data, { family, candidates: [1, 2, 3], bandwidth: 0.3, grid: 10, starts: 3 });
      expect(sel.chosen.bic, `${family}: ${JSON.stringify(sel.scores.map((s) => s.bic))}`).toBe(2);
      // overlapping negative-binomial experts: ICL's entropy penalty prefers K = 1 (its known bias towards separated clusters)
      if (family === "binomial") expect(sel.chosen.icl).toBe(2);
    }
  });
});
