// The negative-binomial kernels' shortcuts (assembly/families/negbin.ts): the memo of
// the θ-only terms of log f (log θ and lΓ(y+θ) − lΓ(θ) for counts below 256, shared by
// every E-step) and the rational lower bound that accepts θ steps without a logarithm
// per row (thetaTrialBound). Checked against the reference density and the reference
// θ optimum of test/helpers/glm.ts on data with counts on both sides of the memo's range,
// K = 3 components (three θ in the memo at once) and two backends.
import { describe, expect, test } from "vitest";
import { fitConstant } from "../src/index.js";
import { glmLogLik, logDensityRef, testRng, type GlmRows } from "./helpers/glm.js";

/** Three count regimes: means ~3, ~40 and ~270 (about half of those counts above 255), sizes 1, 4 and 20. */
function countData() {
  const rng = testRng(17);
  const n = 1500;
  const y: number[] = [], z1: number[] = [], x1: number[] = [];
  for (let i = 0; i < n; i++) {
    const z = rng.normal(), x = rng.normal(), c = i % 3;
    const eta = [1 + 0.3 * z, 3.7 - 0.2 * z, 5.6 + 0.1 * z][c];
    z1.push(z); x1.push(x);
    y.push(rng.negbin(Math.exp(eta), [1, 4, 20][c]));
  }
  return { y, z: { z1 }, x: { x1 } };
}

describe("negative-binomial kernels", () => {
  test("K = 3 with counts inside and beyond the memo's range: logLik = Σ log Σ π f by the reference density, θ maximises each component's weighted likelihood, both backends alike", async () => {
    const d = countData();
    expect(Math.max(...d.y)).toBeGreaterThan(350);
    expect(d.y.filter((v) => v < 256).length).toBeGreaterThan(900);
    const [r, rj] = await Promise.all((["wasm", "js"] as const).map((backend) => fitConstant(d, { family: "negbin", K: 3, tol: 1e-12, maxIter: 20000, seed: 2, backend })));
    expect(rj.logLik).toBe(r.logLik);
    expect(rj.experts.map((e) => e.theta)).toEqual(r.experts.map((e) => e.theta));
    const n = d.y.length;
    let ll = 0;
    for (let i = 0; i < n; i++) {
      const l = r.gating.map((g) => g.coefficients["(Intercept)"] + g.coefficients.x1 * d.x.x1[i]);
      const mx = Math.max(...l);
      const lse = mx + Math.log(l.reduce((s, v) => s + Math.exp(v - mx), 0));
      const terms = r.experts.map((e, c) => l[c] - lse + logDensityRef("negbin", d.y[i], e.coefficients["(Intercept)"] + e.coefficients.z1 * d.z.z1[i], e.theta!));
      const m2 = Math.max(...terms);
      ll += m2 + Math.log(terms.reduce((s, v) => s + Math.exp(v - m2), 0));
    }
    expect(Math.abs(ll - r.logLik)).toBeLessThan(1e-9 * Math.abs(ll));
    // the θ steps (accepted by the bound or by the exact check) end at each component's optimum
    const X = d.z.z1.map((z) => [1, z]);
    for (let c = 0; c < 3; c++) {
      const e = r.experts[c];
      const rows: GlmRows = { y: d.y, X, w: r.posteriors.map((p) => p[c]) };
      const beta = [e.coefficients["(Intercept)"], e.coefficients.z1];
      const q = (th: number) => glmLogLik("negbin", rows, beta, th);
      expect(q(e.theta!)).toBeGreaterThan(q(e.theta! * 1.001));
      expect(q(e.theta!)).toBeGreaterThan(q(e.theta! / 1.001));
    }
  }, 60_000);
});
