// Choice of the number of components by BIC / ICL on the three-component scenario.
import { describe, expect, test } from "vitest";
import { selectK, simulate, sep3Truth, VCMoEInputError } from "../src/index.js";

describe("sep3 scenario", () => {
  test("draws three components in proportion to the gating probabilities", async () => {
    const n = 6000;
    const sim = await simulate({ n, seed: 2, scenario: "sep3" });
    const got = [0, 0, 0];
    const expected = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      got[sim.component[i] - 1]++;
      const g = sep3Truth(sim.data.u[i]).gamma.map(([a, b]) => Math.exp(a + b * sim.data.x.x1[i]));
      const s = g.reduce((a, b) => a + b, 0);
      g.forEach((v, c) => (expected[c] += v / s));
    }
    // multinomial sd ≈ sqrt(n·π(1−π)) ≈ 35; allow 4 sd
    for (let c = 0; c < 3; c++) expect(Math.abs(got[c] - expected[c])).toBeLessThan(140);
    // residuals of the true component's mean have the true sd
    let ss = 0, sv = 0;
    for (let i = 0; i < n; i++) {
      const tr = sep3Truth(sim.data.u[i]), c = sim.component[i] - 1;
      ss += ((sim.data.y[i] - tr.alpha[c][0] - tr.alpha[c][1] * sim.data.z.z1[i]) / tr.sigma[c]) ** 2;
      sv++;
    }
    expect(Math.sqrt(ss / sv)).toBeCloseTo(1, 1);
  });
});

describe("selectK", () => {
  test("BIC chooses K = 3 from {1,…,5} on sep3 data (n = 600) in at least 4 of 5 seeds", async () => {
    let bic3 = 0;
    const chosen: number[] = [];
    for (const seed of [1, 2, 3, 4, 5]) {
      const sim = await simulate({ n: 600, seed, scenario: "sep3" });
      const sel = await selectK(sim.data, { candidates: [1, 2, 3, 4, 5] });
      chosen.push(sel.chosen.bic);
      if (sel.chosen.bic === 3) bic3++;
      // the table is consistent with its definitions
      for (const s of sel.scores) {
        expect(s.error).toBeNull();
        expect(s.bic).toBeCloseTo(-2 * s.logLik! + s.df!.total * Math.log(600), 6);
        expect(s.icl).toBeCloseTo(s.bic! + 2 * s.entropy!, 6);
      }
      expect(sel.scores[0].entropy).toBe(0); // K = 1: no mixture, crisp "labels"
      // df grows with K (more curves at the same bandwidth)
      for (let k = 1; k < 5; k++) expect(sel.scores[k].df!.total).toBeGreaterThan(sel.scores[k - 1].df!.total);
    }
    console.log(`BIC choices over seeds 1..5: ${chosen.join(", ")}`);
    expect(bic3).toBeGreaterThanOrEqual(4);
  }, 180_000);

  test("bad options name their argument; progress and abort", async () => {
    const sim = await simulate({ n: 150, seed: 1 });
    const bad = async (o: object, arg: string) => {
      const e = await selectK(sim.data, o as never).catch((x) => x);
      expect(e).toBeInstanceOf(VCMoEInputError);
      expect(e.argument).toBe(arg);
    };
    await bad({ candidates: [0, 2] }, "options.candidates");
    await bad({ candidates: [2, 2] }, "options.candidates");
    await bad({ candidates: [2.5] }, "options.candidates");
    await bad({ K: 2 }, "options.K");
    await bad({ bandwidth: -1 }, "options.bandwidth");
    await bad({ kernel: "box" }, "options.kernel");
    await bad({ maxIter: 0 }, "options.maxIter");
    const ac = new AbortController();
    const seen: number[] = [];
    const run = selectK(sim.data, { candidates: [1, 2, 3], bandwidth: 0.4, signal: ac.signal, onProgress: (p) => { seen.push(p.result.K); if (p.done === 2) ac.abort(new Error("enough")); } });
    await expect(run).rejects.toThrow("enough");
    expect(seen).toEqual([1, 2]);
    // a K the data cannot support is recorded in the table, not thrown
    const few = await simulate({ n: 40, seed: 3 });
    const sel = await selectK(few.data, { candidates: [1, 5], bandwidth: 0.6 });
    expect(sel.scores[1].error).toMatch(/K = 5 needs at least 41 observations/);
    expect(sel.scores[1].bic).toBeNull();
    expect(sel.chosen.bic).toBe(1);
    expect(sel.warnings.join(" ")).toMatch(/K = 5 could not be fitted/);
  }, 60_000);
});
