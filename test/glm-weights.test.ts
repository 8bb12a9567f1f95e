// Observation weights in every family and in the gating: integer frequency weights
// give the same fit as replicating the rows.
import { describe, expect, test } from "vitest";
import { curve } from "../src/model/result.js";
import { fit, fitConstant, simulate } from "../src/index.js";

const FAMILIES = ["gaussian", "binomial", "poisson", "negbin"] as const;

type Data = Awaited<ReturnType<typeof simulate>>["data"];

/** Row i repeated w_i times (the copies follow it directly). */
function replicate(d: Data, w: number[]) {
  const idx: number[] = [];
  w.forEach((k, i) => { idx.push(i); for (let r = 1; r < k; r++) idx.push(i); });
  const pick = (a: number[] | undefined) => (a ? idx.map((i) => a[i]) : undefined);
  return {
    y: pick(d.y)!, u: pick(d.u)!, z: { z1: pick(d.z.z1)! }, x: { x1: pick(d.x.x1)! },
    ...(d.trials ? { trials: pick(d.trials) } : {}), ...(d.offset ? { offset: pick(d.offset) } : {}),
  };
}

describe.each(FAMILIES)("%s", (family) => {
  test("integer frequency weights = replicated rows (constant and varying-coefficient fits)", async () => {
    const sim = await simulate({ family, K: 2, n: 500, seed: 14 });
    const w = sim.data.y.map((_, i) => 1 + ((i * 7919) % 3)); // 1, 2 or 3
    const weighted = { ...sim.data, weights: w };
    const replicated = replicate(sim.data, w);
    const ca = await fitConstant(weighted, { family, K: 2, tol: 1e-12 });
    const cb = await fitConstant(replicated, { family, K: 2, tol: 1e-12 });
    expect(Math.abs(ca.logLik - cb.logLik)).toBeLessThan(1e-9 * Math.abs(cb.logLik));
    const byLevel = (r: typeof ca) => [...r.experts].sort((a, b) => a.coefficients["(Intercept)"] - b.coefficients["(Intercept)"]);
    byLevel(ca).forEach((e, c) => {
      const o = byLevel(cb)[c];
      for (const k of Object.keys(e.coefficients)) expect(Math.abs(e.coefficients[k] - o.coefficients[k])).toBeLessThan(1e-6);
      expect(Math.abs(e.weight - o.weight)).toBeLessThan(1e-7);
    });
    // tight tolerance: the two fits start from different screening runs (the random starts
    // differ with n), so at the default tolerance their EM stopping points differ by ~1e-5
    const opts = { family, K: 2, bandwidth: 0.3, grid: 20, tol: 1e-12 } as const;
    const va = await fit(weighted, opts);
    const vb = await fit(replicated, opts);
    expect(va.converged && vb.converged).toBe(true);
    expect(Math.abs(va.logLik - vb.logLik)).toBeLessThan(1e-9 * Math.abs(vb.logLik));
    // same component order is not guaranteed: match by the intercept curve at the middle
    const order = (f: typeof va) => [1, 2].sort((a, b) => curve(f, "expert", a, "(Intercept)").values[10]
      - curve(f, "expert", b, "(Intercept)").values[10]);
    const oa = order(va), ob = order(vb);
    for (const c of va.curves) {
      if (c.part === "gating") continue; // centred logits flip sign with the order; checked through the posteriors below
      const o = curve(vb, c.part, ob[oa.indexOf(c.component)], c.term);
      c.values.forEach((v, j) => expect(Math.abs(v - o.values[j])).toBeLessThan(1e-6 * (1 + Math.abs(v))));
    }
    // the posteriors of the original rows agree (gating and experts together)
    // row i of the weighted data is row Σ_{j<i} w_j of the replicated data
    const origIndex = sim.data.y.map((_, i) => i + w.slice(0, i).reduce((s, k) => s + k - 1, 0));
    va.posteriors.forEach((r, i) => {
      const rb = vb.posteriors[origIndex[i]];
      expect(Math.abs(r[oa[0] - 1] - rb[ob[0] - 1])).toBeLessThan(1e-6);
    });
  }, 60_000);
});
