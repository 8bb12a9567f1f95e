// Hybrid fits and the GLRT for the GLM families (assembly/hybridGlm.ts): an all-constant
// hybrid Poisson fit of the seizure data is the constant mixture (flexmix −376.1762), its
// model-based standard errors are those of the observed information of the mixture
// log-likelihood (computed here independently by finite differences and checked to be at
// a stationary point), and hybrid fits with a constant slope or a constant θ, and the
// GLRT, run for every GLM family on both backends alike.
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { fit, fitConstant, glrt, parseCsvColumns, simulate } from "../src/index.js";
import { logDensityRef } from "./helpers/glm.js";
import { solve } from "./helpers/oracle.js";

function seizure() {
  const text = readFileSync(new URL("../data/seizure.csv", import.meta.url), "utf8");
  const c = parseCsvColumns(text);
  const treat = text.trim().split("\n").slice(1).map((line) => (line.split(",")[2].includes("Yes") ? 1 : 0));
  const logDay = c.Day.map(Math.log);
  return {
    y: c.Seizures, u: c.Day, offset: c.Hours.map(Math.log),
    z: { Treatment: treat, logDay, "Treatment:logDay": treat.map((t, i) => t * logDay[i]) },
  };
}

const TERMS = ["(Intercept)", "Treatment", "logDay", "Treatment:logDay"];

describe("hybrid fits with GLM experts", { timeout: 120_000 }, () => {
  test("seizure: an all-constant hybrid Poisson fit is the constant mixture (flexmix −376.1762); its SEs are the observed information's", async () => {
    const data = seizure();
    const constant = [1, 2].flatMap((component) => TERMS.map((term) => ({ part: "expert" as const, component, term })));
    constant.push({ part: "gating", term: "(Intercept)" } as never);
    const [a, b] = await Promise.all((["wasm", "js"] as const).map((backend) => fit(data, { family: "poisson", K: 2, bandwidth: 0.3, constant, backend })));
    expect(b.constants).toEqual(a.constants);
    expect(b.logLik).toBe(a.logLik);
    const cst = await fitConstant(data, { family: "poisson", K: 2 });
    expect(Math.abs(a.logLik - cst.logLik)).toBeLessThan(1e-7);
    expect(a.logLik).toBeGreaterThanOrEqual(-376.1762 - 5e-5);
    expect(a.logLik).toBeLessThan(-376.17);
    // θ = [α_1 (4), α_2 (4), γ (logit of component 2 vs 1)] in the hybrid's labels
    const est = a.constants!.estimates;
    const th0 = est.map((e) => e.estimate);
    const n = data.y.length;
    const Z = Array.from({ length: n }, (_, i) => [1, data.z.Treatment[i], data.z.logDay[i], data.z["Treatment:logDay"][i]]);
    const ll = (th: number[]) => {
      let s = 0;
      const p2 = 1 / (1 + Math.exp(-th[8]));
      for (let i = 0; i < n; i++) {
        const eta = (c: number) => data.offset[i] + Z[i].reduce((acc, z, k) => acc + z * th[4 * c + k], 0);
        s += Math.log((1 - p2) * Math.exp(logDensityRef("poisson", data.y[i], eta(0))) + p2 * Math.exp(logDensityRef("poisson", data.y[i], eta(1))));
      }
      return s;
    };
    const D = th0.length, step = th0.map((v) => 1e-4 * Math.max(1, Math.abs(v)));
    const grad = th0.map((_, k) => { const p = th0.slice(), m = th0.slice(); p[k] += step[k]; m[k] -= step[k]; return (ll(p) - ll(m)) / (2 * step[k]); });
    const H = Array.from({ length: D }, () => new Array<number>(D).fill(0));
    for (let u = 0; u < D; u++) for (let v = 0; v <= u; v++) {
      const f = (du: number, dv: number) => { const t = th0.slice(); t[u] += du * step[u]; t[v] += dv * step[v]; return ll(t); };
      H[u][v] = H[v][u] = -(f(1, 1) - f(1, -1) - f(-1, 1) + f(-1, -1)) / (4 * step[u] * step[v]);
    }
    const cov = Array.from({ length: D }, (_, k) => solve(H, Array.from({ length: D }, (_, j) => (j === k ? 1 : 0))));
    // a Newton step from the estimate moves it by a negligible fraction of its standard error: it is the MLE
    const newton = solve(H, grad);
    est.forEach((e, k) => {
      const se = Math.sqrt(cov[k][k]);
      expect(Math.abs(newton[k]) / se, `${e.component} ${e.term}`).toBeLessThan(1e-3);
      expect(Math.abs(e.seInformation - se) / se, `${e.component} ${e.term}: ${e.seInformation} vs ${se}`).toBeLessThan(2e-4);
      expect(e.se).toBeGreaterThan(0);
    });
  });

  test.each(["poisson", "binomial", "negbin"] as const)("%s: a constant expert slope (and, negbin, constant θ) is constant along u, with a standard error, alike on both backends", async (family) => {
    const { data } = await simulate({ family, K: 2, n: 500, seed: 9, ...(family === "negbin" ? { dispersion: "constant" as const } : {}) });
    const opts = { family, K: 2, bandwidth: 0.3, grid: 12, constant: [{ part: "expert" as const, component: 1, term: "z1" }], ...(family === "negbin" ? { dispersion: "constant" as const } : {}) };
    const [a, b] = await Promise.all((["wasm", "js"] as const).map((backend) => fit(data, { ...opts, backend })));
    expect(b.curves).toEqual(a.curves);
    expect(b.constants).toEqual(a.constants);
    const slope = a.curves.find((c) => c.part === "expert" && c.component === 1 && c.term === "z1")!;
    expect(new Set(slope.values).size).toBe(1);
    expect(a.constants!.estimates[0].estimate).toBe(slope.values[0]);
    expect(a.constants!.estimates[0].se).toBeGreaterThan(0);
    if (family === "negbin") for (const c of a.curves.filter((c) => c.part === "theta")) expect(new Set(c.values).size).toBe(1);
    // the null model is nested in the full one: its likelihood is not (much) higher
    const full = await fit(data, { ...opts, constant: undefined });
    expect(a.logLik).toBeLessThan(full.logLik + 1e-6 * Math.abs(full.logLik));
  });

  test("a Poisson expert has no dispersion to hold constant", async () => {
    const { data } = await simulate({ family: "poisson", K: 2, n: 200, seed: 1 });
    await expect(fit(data, { family: "poisson", K: 2, bandwidth: 0.3, constant: [{ part: "sigma", component: 1 }] })).rejects.toThrow(/options\.constant/);
  });

  test("GLRT for a negative-binomial expert slope: the same statistic and bootstrap on both backends and worker counts", async () => {
    const { data } = await simulate({ family: "negbin", K: 2, n: 300, seed: 5 });
    const runs = [];
    for (const [backend, workers] of [["wasm", 2], ["js", 0]] as const) {
      runs.push(await glrt(data, { family: "negbin", K: 2, bandwidth: 0.35, grid: 8, backend }, { coefficient: { part: "expert", component: 2, term: "z1" }, B: 4, seed: 3, workers }));
    }
    expect(runs[0].statistic).toBe(runs[1].statistic);
    expect(runs[0].bootstrap!.replicates.map((r) => r.lambda)).toEqual(runs[1].bootstrap!.replicates.map((r) => r.lambda));
    expect(runs[0].bootstrap!.failed).toBe(0);
    expect(runs[0].pValueAsymptotic).toBeGreaterThan(0);
  });
});
