// Bandwidth selection: folds, rule of thumb, held-out likelihood, and the CV choice
// against the ISE-optimal bandwidth on simulated data.
import { describe, expect, test } from "vitest";
import { curve } from "../src/model/result.js";
import { fit, integratedSquaredError, ruleOfThumbBandwidth, selectBandwidth, simulate, VCMoEInputError, DEFAULT_BANDWIDTH_MULTIPLIERS } from "../src/index.js";
import { assignFolds } from "../src/select/folds.js";
import { heldOutLogLik } from "../src/select/heldout.js";

describe("folds", () => {
  test("u-stratified, balanced, reproducible from the seed, identical on both backends", async () => {
    const n = 103, F = 5;
    const a = await assignFolds(n, F, 7, "wasm");
    expect(await assignFolds(n, F, 7, "js")).toEqual(a);
    expect(await assignFolds(n, F, 8, "wasm")).not.toEqual(a);
    const counts = new Array(F).fill(0);
    for (const f of a) counts[f]++;
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    for (let b = 0; b + F <= n; b += F) expect(new Set(a.slice(b, b + F)).size).toBe(F);
  });
});

describe("rule of thumb", () => {
  test("equals C·sd(t)·n^(−1/5) and is fit()'s default bandwidth", async () => {
    const n = 201;
    const u = Array.from({ length: n }, (_, i) => 10 + 2 * i); // t = i/(n−1)
    const sdT = Math.sqrt((n * (n + 1)) / 12 / (n - 1) ** 2); // sd of {0, 1/(n−1), ..., 1}
    const sim = await simulate({ n, seed: 3 });
    const data = { ...sim.data, u };
    expect(ruleOfThumbBandwidth(data)).toBeCloseTo(2.34 * sdT * n ** -0.2, 12);
    expect(ruleOfThumbBandwidth(data, { kernel: "gaussian" })).toBeCloseTo(1.06 * sdT * n ** -0.2, 12);
    const res = await fit(data, { K: 2 });
    expect(res.model.bandwidth).toBe(ruleOfThumbBandwidth(data));
  });
});

describe("held-out log-likelihood", () => {
  test("equals the fit's log-likelihood on its own rows, and the mixture density from the curves on new rows (extrapolated too)", async () => {
    const sim = await simulate({ n: 400, seed: 11 });
    const keep = sim.data.u.map((u, i) => (u > 0.1 && u < 0.9 && i % 4 !== 0 ? i : -1)).filter((i) => i >= 0);
    const out = sim.data.u.map((_, i) => i).filter((i) => !keep.includes(i));
    const sub = (rows: number[]) => ({
      y: rows.map((i) => sim.data.y[i]), u: rows.map((i) => sim.data.u[i]),
      z: { z1: rows.map((i) => sim.data.z.z1[i]) }, x: { x1: rows.map((i) => sim.data.x.x1[i]) }, weights: rows.map(() => 1),
    });
    const train = sub(keep), test_ = sub(out);
    const res = await fit(train, { K: 2, bandwidth: 0.3 });
    expect((await heldOutLogLik(res, train)).logLik).toBeCloseTo(res.logLik, 8);
    const ho = await heldOutLogLik(res, test_);
    expect(ho.extrapolated).toBeGreaterThan(50);
    // by hand: curves interpolated/extrapolated linearly in t between the bracketing grid points,
    // except sigma, which is extrapolated geometrically outside the grid (it must stay positive)
    const tg = res.parameters.gridUnit, m = tg.length;
    const values = (part: "expert" | "gating" | "sigma", c: number, term: string) => curve(res, part, c, term).values;
    let ll = 0;
    for (let i = 0; i < test_.y.length; i++) {
      const t = (test_.u[i] - res.model.uMin) / (res.model.uMax - res.model.uMin);
      let j = 0;
      while (j < m - 2 && t > tg[j + 1]) j++;
      const lam = (t - tg[j]) / (tg[j + 1] - tg[j]);
      const at = (v: number[]) => (1 - lam) * v[j] + lam * v[j + 1];
      const logits = [1, 2].map((c) => at(values("gating", c, "(Intercept)")) + at(values("gating", c, "x1")) * test_.x.x1[i]);
      const mx = Math.max(...logits);
      const pis = logits.map((l) => Math.exp(l - mx) / logits.reduce((a, b) => a + Math.exp(b - mx), 0));
      let f = 0;
      for (const c of [1, 2]) {
        const mu = at(values("expert", c, "(Intercept)")) + at(values("expert", c, "z1")) * test_.z.z1[i];
        const sv = values("sigma", c, "sigma");
        const s = lam >= 0 && lam <= 1 ? at(sv) : Math.exp((1 - lam) * Math.log(sv[j]) + lam * Math.log(sv[j + 1]));
        f += (pis[c - 1] * Math.exp(-0.5 * ((test_.y[i] - mu) / s) ** 2)) / (s * Math.sqrt(2 * Math.PI));
      }
      ll += Math.log(f);
    }
    expect(ho.logLik).toBeCloseTo(ll, 8);
  }, 30_000);
});

describe("selectBandwidth", () => {
  // The candidates are the default multipliers {0.5 … 2} × rule of thumb, a grid of ratio
  // ≈ 10^0.1; "within a factor 2" = at most three grid steps apart (the rounded multipliers
  // make such ratios 2.00–2.013, hence the 1.01 slack).
  test("on 'ws' data (n = 600, seeds 1 and 2) the CV choice is within a factor 2 of the ISE-optimal candidate", async () => {
    for (const seed of [1, 2]) {
      const sim = await simulate({ n: 600, seed });
      let progress = 0;
      const sel = await selectBandwidth(sim.data, { K: 2, onProgress: (p) => { progress = p.done; expect(p.total).toBe(35); } });
      expect(progress).toBe(35);
      expect(sel.candidates).toEqual(DEFAULT_BANDWIDTH_MULTIPLIERS.map((m) => m * sel.ruleOfThumb));
      // the table is consistent with its own definition
      for (const s of sel.scores) {
        expect(s.foldLogLik).toHaveLength(5);
        const v = s.foldLogLik as number[];
        expect(s.totalLogLik).toBeCloseTo(v.reduce((a, b) => a + b, 0), 9);
        expect(s.meanLogLik).toBeCloseTo(s.totalLogLik! / 5, 9);
        expect(s.se).toBeGreaterThan(0);
      }
      const best = Math.max(...sel.scores.map((s) => s.meanLogLik!));
      expect(sel.scores[sel.chosenIndex].meanLogLik).toBe(best);
      // the held-out rows of the 5 folds are all rows, once
      const rows = sel.tasks.filter((t) => t.candidate === 0).reduce((a, t) => a + t.heldOutRows, 0);
      expect(rows).toBe(600);
      // ISE-optimal candidate: expert coefficient curves + sigma, labels matched
      const ise: number[] = [];
      for (const h of sel.candidates) ise.push(integratedSquaredError(await fit(sim.data, { K: 2, bandwidth: h }), sim.truth).total);
      const hIse = sel.candidates[ise.indexOf(Math.min(...ise))];
      const ratio = sel.chosen / hIse;
      expect(ratio).toBeLessThanOrEqual(2 * 1.01);
      expect(ratio).toBeGreaterThanOrEqual(1 / (2 * 1.01));
      expect(sel.undersmoothed).toBeCloseTo(sel.chosen * 600 ** -0.05, 12);
    }
  }, 120_000);

  test("options.accelerate reaches the fold fits: every scheme reaches the same fixed points, along different paths", async () => {
    const sim = await simulate({ n: 300, seed: 4 });
    const held = async (accelerate: boolean | "squarem") =>
      (await selectBandwidth(sim.data, { K: 2, candidates: [0.3], folds: 3, accelerate })).tasks.map((t) => t.heldOutLogLik!);
    const [anderson, squarem, plain] = [await held(true), await held("squarem"), await held(false)];
    expect(anderson).not.toEqual(squarem); // an ignored option would give identical fold fits
    expect(anderson).not.toEqual(plain);
    for (let k = 0; k < plain.length; k++) {
      expect(Math.abs(anderson[k] - plain[k])).toBeLessThan(1e-3 * Math.abs(plain[k]));
      expect(Math.abs(squarem[k] - plain[k])).toBeLessThan(1e-3 * Math.abs(plain[k]));
    }
  });

  test("a candidate too small for the folds' kernel windows is recorded as infeasible, not chosen; aborting stops the run", async () => {
    const sim = await simulate({ n: 200, seed: 2 });
    const sel = await selectBandwidth(sim.data, { K: 2, candidates: [0.004, 0.3], folds: 3 });
    expect(sel.scores[0].meanLogLik).toBeNull();
    expect(sel.scores[0].errors[0]).toMatch(/bandwidth/);
    expect(sel.chosen).toBe(0.3);
    expect(sel.warnings.join(" ")).toMatch(/could not be fitted/);
    const ac = new AbortController();
    const run = selectBandwidth(sim.data, { K: 2, candidates: [0.3, 0.4], folds: 3, signal: ac.signal, onProgress: (p) => { if (p.done === 1) ac.abort(new Error("stop")); } });
    await expect(run).rejects.toThrow("stop");
  }, 30_000);

  test("bad options name their argument", async () => {
    const sim = await simulate({ n: 100, seed: 1 });
    const bad = async (o: object, arg: string) => {
      const e = await selectBandwidth(sim.data, o as never).catch((x) => x);
      expect(e).toBeInstanceOf(VCMoEInputError);
      expect(e.argument).toBe(arg);
    };
    await bad({ K: 2, folds: 1 }, "options.folds");
    await bad({ K: 2, candidates: [0.2, -1] }, "options.candidates");
    await bad({ K: 2, candidates: [] }, "options.candidates");
    await bad({ K: 2, bandwidth: 0.2 }, "options.bandwidth");
    await bad({}, "options.K");
    await bad({ K: 2, foldSeed: 1.5 }, "options.foldSeed");
    await bad({ K: 2, method: "fast" }, "options.method");
    await bad({ K: 11 }, "options.K");
  });
});
