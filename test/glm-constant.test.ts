// Constant-coefficient GLM mixtures against computations done another way here:
// every component's coefficients solve its posterior-weighted GLM (Newton written in
// the test), the reported log-likelihood is Σ log Σ π f evaluated directly (Lanczos
// lgamma), a dominant well-separated component equals the plain GLM on its rows, and
// the flexmix reference on the seizure data is reached.
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { fitConstant, simulate, parseCsvColumns } from "../src/index.js";
import { fitGlmRef, fitNegbinRef, glmLogLik, logDensityRef, testRng, type GlmFamily, type GlmRows } from "./helpers/glm.js";

const FAMILIES: GlmFamily[] = ["binomial", "poisson", "negbin"];
const rel = (a: number, b: number) => Math.abs(a - b) / (1 + Math.abs(b));

describe.each(FAMILIES)("%s, K = 2", (family) => {
  test("each component solves its posterior-weighted GLM, θ maximises its weighted likelihood, and logLik = Σ log Σ π f", async () => {
    const sim = await simulate({ family, K: 2, n: 1500, seed: 21 });
    const d = sim.data;
    const r = await fitConstant(d, { family, K: 2, tol: 1e-13, maxIter: 20000 });
    expect(r.converged).toBe(true);
    const n = d.y.length;
    const X = d.z.z1.map((z) => [1, z]);
    for (let c = 0; c < 2; c++) {
      const e = r.experts[c];
      const theta = family === "negbin" ? e.theta! : 1;
      const rows: GlmRows = { y: d.y, X, w: r.posteriors.map((p) => p[c]), offset: d.offset, trials: d.trials };
      const ref = fitGlmRef(family, rows, theta);
      expect(rel(e.coefficients["(Intercept)"], ref[0])).toBeLessThan(1e-6);
      expect(rel(e.coefficients.z1, ref[1])).toBeLessThan(1e-6);
      if (family === "negbin") {
        const q = (th: number) => glmLogLik("negbin", rows, ref, th);
        expect(q(theta)).toBeGreaterThan(q(theta * 1.001));
        expect(q(theta)).toBeGreaterThan(q(theta / 1.001));
      } else expect(e.theta).toBeUndefined();
      expect(e.sigma).toBeUndefined();
    }
    // mixture log-likelihood by direct evaluation (gating logits relative to component 1)
    let ll = 0;
    for (let i = 0; i < n; i++) {
      const l = r.gating.map((g) => g.coefficients["(Intercept)"] + g.coefficients.x1 * d.x.x1[i]);
      const mx = Math.max(...l);
      const lse = mx + Math.log(l.reduce((s, v) => s + Math.exp(v - mx), 0));
      const terms = r.experts.map((e, c) => {
        const eta = e.coefficients["(Intercept)"] + e.coefficients.z1 * d.z.z1[i] + (d.offset?.[i] ?? 0);
        return l[c] - lse + logDensityRef(family, d.y[i], eta, e.theta ?? 1, d.trials?.[i] ?? 1);
      });
      const m2 = Math.max(...terms);
      ll += m2 + Math.log(terms.reduce((s, v) => s + Math.exp(v - m2), 0));
    }
    expect(Math.abs(ll - r.logLik)).toBeLessThan(1e-9 * Math.abs(ll));
  }, 60_000);

  test("a dominant, well-separated component equals the plain GLM fitted by Newton on its rows", async () => {
    // 95% of rows from component A, 5% from a far-away component B; posteriors are crisp
    const rng = testRng(5);
    const n = 1200;
    const y: number[] = [], z1: number[] = [], offset: number[] = [], trials: number[] = [];
    for (let i = 0; i < n; i++) {
      const z = rng.normal(), b = rng.unif() < 0.05;
      z1.push(z);
      if (family === "binomial") {
        trials.push(20);
        y.push(rng.binomial(20, 1 / (1 + Math.exp(-(b ? 6 : -1.5 + 0.5 * z)))));
      } else {
        const off = Math.log(0.5 + 1.5 * rng.unif());
        offset.push(off);
        const eta = (b ? 5 : 1 + 0.4 * z) + off;
        y.push(family === "poisson" ? rng.poisson(Math.exp(eta)) : rng.negbin(Math.exp(eta), b ? 20 : 4));
      }
    }
    const data = family === "binomial" ? { y, z: { z1 }, trials } : { y, z: { z1 }, offset };
    const r = await fitConstant(data, { family, K: 2, tol: 1e-13, maxIter: 20000 });
    const a = r.experts[0].weight > r.experts[1].weight ? 0 : 1;
    const mine = r.posteriors.map((p) => p[a] > 0.5 ? 1 : 0);
    // crisp labels (a posterior δ away from 0/1 moves β by about δ/n: far below the tolerance)
    expect(Math.max(...r.posteriors.map((p) => Math.min(p[0], p[1])))).toBeLessThan(1e-4);
    const rows: GlmRows = { y, X: z1.map((z) => [1, z]), w: mine, offset: family === "binomial" ? undefined : offset, trials: family === "binomial" ? trials : undefined };
    const e = r.experts[a];
    if (family === "negbin") {
      const ref = fitNegbinRef(rows);
      expect(rel(e.theta!, ref.theta)).toBeLessThan(1e-5);
      expect(rel(e.coefficients["(Intercept)"], ref.beta[0])).toBeLessThan(1e-6);
      expect(rel(e.coefficients.z1, ref.beta[1])).toBeLessThan(1e-6);
    } else {
      const ref = fitGlmRef(family, rows);
      expect(rel(e.coefficients["(Intercept)"], ref[0])).toBeLessThan(1e-6);
      expect(rel(e.coefficients.z1, ref[1])).toBeLessThan(1e-6);
    }
  }, 60_000);
});

test("seizure data: two-component Poisson with offset log(Hours), Seizures ~ Treatment * log(Day), reaches flexmix's −376.1762", async () => {
  const text = readFileSync(new URL("../data/seizure.csv", import.meta.url), "utf8");
  const c = parseCsvColumns(text); // numeric columns; Treatment ("No"/"Yes") is read from the text
  const treat = text.trim().split("\n").slice(1).map((line) => (line.split(",")[2].includes("Yes") ? 1 : 0));
  const logDay = c.Day.map(Math.log);
  const data = {
    y: c.Seizures, z: { Treatment: treat, logDay, "Treatment:logDay": treat.map((t, i) => t * logDay[i]) }, offset: c.Hours.map(Math.log),
  };
  for (const backend of ["wasm", "js"] as const) {
    const r = await fitConstant(data, { family: "poisson", K: 2, backend });
    expect(r.logLik).toBeGreaterThanOrEqual(-376.1762 - 5e-5);
    expect(r.logLik).toBeLessThan(-376.17); // the same optimum, not a degenerate one
    const w = r.experts.map((e) => e.weight).sort();
    expect(w[0]).toBeCloseTo(0.2761, 3);
  }
  // intercept-only experts with the gating logit linear in Day: flexmix −655.9147
  const g = await fitConstant({ y: c.Seizures, x: { Day: c.Day }, offset: c.Hours.map(Math.log) }, { family: "poisson", K: 2 });
  expect(g.logLik).toBeGreaterThanOrEqual(-655.9147 - 5e-5);
}, 60_000);
