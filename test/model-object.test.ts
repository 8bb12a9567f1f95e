// The fit result as a model object (issue 10, section 6): coef(), fitted(), residuals(),
// logLik(), AIC/BIC/ICL and the effective df on every fit() and fitConstant() result;
// formatSummary() on both, with standard errors. Truths: fitted values recomputed from
// the curves by hand, selectK()'s BIC, the effective df of effectiveDegreesOfFreedom(),
// a flat kernel's exact trace, and for fitConstant()'s standard errors a finite-
// difference Hessian (and per-row scores) of the mixture log-likelihood.
import { describe, expect, test } from "vitest";
import {
  AIC, BIC, ICL, coef, effectiveDegreesOfFreedom, effectiveDf, fit, fitConstant, fitted, formatSummary, logLik, nobs, residuals,
  selectK, simulate, standardErrors, confidenceBands, type ConstantFit, type VCMoEFit,
} from "../src/index.js";
import { readExample, readReference, wsData } from "./helpers/data.js";

describe("fit(): coefficients, fitted values, residuals and information criteria", async () => {
  const cols = readExample();
  const data = wsData(cols);
  const res = await fit(data, { K: 2, bandwidth: 0.25 });

  test("fitted() is the mixture mean Σ_c π_c(x, u) zᵀα_c(u) with the curves interpolated at each row's u; residuals() is y − fitted", () => {
    const f = fitted(res), r = residuals(res);
    expect(f).toHaveLength(1000);
    for (const i of [0, 1, 250, 777, 999]) {
      const at = coef(res, cols.u[i]);
      const value = (part: string, c: number, term: string) => at.find((x) => x.part === part && x.component === c && x.term === term)!.value;
      // centred gating logits give the same softmax as the baseline logits
      const g = [1, 2].map((c) => value("gating", c, "(Intercept)") + value("gating", c, "x1") * cols.x1[i]);
      const pi = g.map((v) => Math.exp(v) / (Math.exp(g[0]) + Math.exp(g[1])));
      const mu = [1, 2].map((c) => value("expert", c, "(Intercept)") + value("expert", c, "z1") * cols.z1[i]);
      expect(f[i]).toBeCloseTo(pi[0] * mu[0] + pi[1] * mu[1], 12);
      expect(r[i]).toBe(cols.y[i] - f[i]);
    }
  });

  test("coef(): the curves at the grid, interpolated between grid points, refused outside the grid", () => {
    const all = coef(res);
    expect(all.map((c) => c.values)).toEqual(res.curves.map((c) => c.values));
    const [g3, g4] = [res.grid[3], res.grid[4]];
    const mid = coef(res, (g3 + g4) / 2);
    res.curves.forEach((c, k) => {
      expect(coef(res, g3)[k].value).toBeCloseTo(c.values[3], 14);
      expect(mid[k].value).toBeCloseTo((c.values[3] + c.values[4]) / 2, 12);
    });
    expect(coef(res, [g3, g4])[0].values).toEqual([coef(res, g3)[0].value, coef(res, g4)[0].value]);
    expect(() => coef(res, res.grid[49] + 0.01)).toThrow(/outside the fitted grid/);
  });

  test("logLik, df, AIC, BIC and ICL: BIC and ICL as selectK computes them, df as effectiveDegreesOfFreedom", async () => {
    const sel = await selectK(data, { candidates: [2], bandwidth: 0.25 });
    const df = await effectiveDegreesOfFreedom(res, data);
    expect(logLik(res)).toBe(res.logLik);
    expect(nobs(res)).toBe(1000);
    expect(effectiveDf(res)).toBe(df.total);
    expect(BIC(res)).toBe(sel.scores[0].bic);
    expect(ICL(res)).toBeCloseTo(sel.scores[0].icl!, 8);
    expect(AIC(res)).toBe(-2 * res.logLik + 2 * df.total);
    const parts = res.statistics!.dfParts!;
    expect(parts.expert.reduce((a, b) => a + b) + parts.dispersion.reduce((a, b) => a + b) + parts.gating).toBeCloseTo(df.total, 10);
  });

  test("a JSON round trip keeps every method working", () => {
    const back = JSON.parse(JSON.stringify(res)) as VCMoEFit;
    expect(BIC(back)).toBe(BIC(res));
    expect(fitted(back)).toEqual(fitted(res));
    expect(coef(back, 0.5)).toEqual(coef(res, 0.5));
  });

  test("formatSummary: standard errors under the estimates, df and criteria, columns that line up", async () => {
    const se = await standardErrors(res, data);
    const text = formatSummary(res, { se });
    expect(text).toContain(`on ${Number(res.statistics!.df.toPrecision(4))} effective df (n = 1000)`);
    const table = text.split("\n").filter((l) => /^ {2}(u |expert|sigma|gating| {10})/.test(l));
    expect(table.length).toBe(1 + 2 * res.curves.length);
    // right-aligned columns: every row ends at the same column, and no cell runs into its neighbour
    const width = table[0].length;
    for (const l of table) expect(l.length).toBe(width);
    for (const l of table.slice(1)) expect(l).not.toMatch(/\d-\d|\d\(/);
    const c = se.curves.find((x) => x.part === "expert" && x.component === 1 && x.term === "z1")!;
    expect(text).toContain(`(${Number(c.se[0].toPrecision(3))})`);
    const bands = await confidenceBands(res, data, { method: "multiplier", draws: 2000 });
    expect(formatSummary(res, { se: bands })).toMatch(/95% simultaneous bands \(multiplier\): critical values \S+ to \S+/);
  });
});

/** Mixture-of-regressions log-likelihood of tonedata at θ = (α_11, α_12, α_21, α_22, σ_1, σ_2, γ_2), row by row. */
function rowLogLiks(theta: number[], y: number[], z: number[]): number[] {
  const [a11, a12, a21, a22, s1, s2, g2] = theta;
  const p2 = 1 / (1 + Math.exp(-g2)), p1 = 1 - p2;
  const dens = (e: number, s: number) => Math.exp(-0.5 * (e / s) ** 2) / (s * Math.sqrt(2 * Math.PI));
  return y.map((yi, i) => Math.log(p1 * dens(yi - a11 - a12 * z[i], s1) + p2 * dens(yi - a21 - a22 * z[i], s2)));
}

function invert(A: number[][]): number[][] {
  const n = A.length, M = A.map((r, i) => [...r, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    const d = M[c][c];
    for (let k = 0; k < 2 * n; k++) M[c][k] /= d;
    for (let r = 0; r < n; r++) if (r !== c) { const f = M[r][c]; for (let k = 0; k < 2 * n; k++) M[r][k] -= f * M[c][k]; }
  }
  return M.map((r) => r.slice(n));
}

describe("fitConstant(): standard errors, statistics and summary", async () => {
  const tone = readReference("tonedata.csv");
  const res: ConstantFit = await fitConstant({ y: tone.tuned, z: { stretchratio: tone.stretchratio } }, { K: 2 });

  test("standard errors equal those from a finite-difference Hessian (model-based) and per-row scores (sandwich)", () => {
    const e = res.experts;
    const theta = [e[0].coefficients["(Intercept)"], e[0].coefficients.stretchratio, e[1].coefficients["(Intercept)"], e[1].coefficients.stretchratio,
      e[0].sigma!, e[1].sigma!, res.gating[1].coefficients["(Intercept)"]];
    const y = tone.tuned, z = tone.stretchratio;
    const total = (t: number[]) => rowLogLiks(t, y, z).reduce((a, b) => a + b, 0);
    const h = theta.map((v) => 1e-4 * Math.max(1e-2, Math.abs(v)));
    const shift = (t: number[], a: number, da: number, b = -1, db = 0) => t.map((v, k) => v + (k === a ? da : 0) + (k === b ? db : 0));
    const H = theta.map((_, a) => theta.map((__, b) => (total(shift(theta, a, h[a], b, h[b])) - total(shift(theta, a, h[a], b, -h[b]))
      - total(shift(theta, a, -h[a], b, h[b])) + total(shift(theta, a, -h[a], b, -h[b]))) / (4 * h[a] * h[b])));
    const Vinfo = invert(H.map((r) => r.map((v) => -v)));
    // per-row scores by central differences, for the sandwich H⁻¹ S H⁻¹
    const grads = theta.map((_, a) => {
      const up = rowLogLiks(shift(theta, a, h[a]), y, z), dn = rowLogLiks(shift(theta, a, -h[a]), y, z);
      return up.map((v, i) => (v - dn[i]) / (2 * h[a]));
    });
    const S = theta.map((_, a) => theta.map((__, b) => grads[a].reduce((s, g, i) => s + g * grads[b][i], 0)));
    const Vs = Vinfo.map((r) => theta.map((_, b) => r.reduce((s, v, k) => s + v * theta.reduce((t, __, l) => t + S[k][l] * Vinfo[l][b], 0), 0)));
    const ids: Array<[string, number, string]> = [["expert", 1, "(Intercept)"], ["expert", 1, "stretchratio"], ["expert", 2, "(Intercept)"], ["expert", 2, "stretchratio"],
      ["sigma", 1, "sigma"], ["sigma", 2, "sigma"], ["gating", 2, "(Intercept)"]];
    ids.forEach(([part, component, term], k) => {
      const est = res.standardErrors!.estimates.find((x) => x.part === part && x.component === component && x.term === term)!;
      expect(est.estimate).toBeCloseTo(theta[k], 12);
      expect(est.seInformation / Math.sqrt(Vinfo[k][k])).toBeCloseTo(1, 3);
      expect(est.se / Math.sqrt(Vs[k][k])).toBeCloseTo(1, 3);
    });
  });

  test("df is the parameter count; AIC, BIC, ICL; fitted values from the constants", () => {
    expect(effectiveDf(res)).toBe(7);
    expect(nobs(res)).toBe(150);
    expect(AIC(res)).toBe(-2 * res.logLik + 14);
    expect(BIC(res)).toBe(-2 * res.logLik + 7 * Math.log(150));
    expect(ICL(res)).toBeGreaterThan(BIC(res));
    const p2 = 1 / (1 + Math.exp(-res.gating[1].coefficients["(Intercept)"]));
    const i = 17, s = tone.stretchratio[i];
    const mean = (1 - p2) * (res.experts[0].coefficients["(Intercept)"] + res.experts[0].coefficients.stretchratio * s)
      + p2 * (res.experts[1].coefficients["(Intercept)"] + res.experts[1].coefficients.stretchratio * s);
    expect(fitted(res)[i]).toBeCloseTo(mean, 12);
    expect(residuals(res)[i]).toBe(tone.tuned[i] - fitted(res)[i]);
    expect(coef(res).find((c) => c.part === "sigma" && c.component === 2)!.value).toBe(res.experts[1].sigma);
  });

  test("formatSummary prints every coefficient with its standard error, z and p (not for σ)", () => {
    const text = formatSummary(res);
    expect(text).toContain("Mixture of experts (constant coefficients): gaussian experts, K = 2, n = 150");
    expect(text).toContain("on 7 df (n = 150)");
    const se = res.standardErrors!.estimates.find((x) => x.part === "expert" && x.component === 2 && x.term === "stretchratio")!;
    expect(text).toMatch(new RegExp(`stretchratio\\s+${Number(se.estimate.toPrecision(4))}\\s+${Number(se.se.toPrecision(4))}\\s+${(se.estimate / se.se).toFixed(2)}\\s+<2e-16`));
    expect(text).toMatch(/\n {2}sigma\s+\S+\s+\S+\n/); // no z value or p-value for σ
    expect(text).toContain("Gating: log-odds of component c against component 1");
  });

  test("a GLM fitConstant: statistics and a summary with standard errors of the experts and the gating (no dispersion)", async () => {
    const sim = await simulate({ family: "poisson", K: 2, n: 300, seed: 3 });
    const c = await fitConstant(sim.data, { K: 2, family: "poisson" });
    expect(c.standardErrors!.estimates.map((e) => e.part)).toEqual(["expert", "expert", "expert", "expert", "gating", "gating"]);
    expect(c.standardErrors!.estimates.every((e) => e.se > 0 && e.seInformation > 0)).toBe(true);
    expect(effectiveDf(c)).toBe(2 * 2 + 1 * 2);
    expect(formatSummary(c)).toContain("Standard errors: sandwich");
  });
});

describe("effective df of GLM fits", () => {
  test("Poisson: with a flat kernel each expert's df is exactly its 2q coefficients whatever the working weights; no dispersion df", async () => {
    const sim = await simulate({ family: "poisson", K: 2, n: 400, seed: 6 });
    const flat = await fit(sim.data, { K: 2, family: "poisson", bandwidth: 1e4, grid: 11 });
    const parts = flat.statistics!.dfParts!;
    for (const e of parts.expert) expect(e).toBeCloseTo(4, 6);
    expect(parts.dispersion).toEqual([0, 0]);
    expect(flat.statistics!.notes.join(" ")).toMatch(/IRLS hat matrices/);
    const local = await fit(sim.data, { K: 2, family: "poisson", bandwidth: 0.3, grid: 21 });
    const lp = local.statistics!.dfParts!;
    for (const e of lp.expert) expect(e).toBeGreaterThan(4);
    expect(local.statistics!.df).toBeCloseTo(lp.expert[0] + lp.expert[1] + lp.gating, 10);
  });

  test("negative binomial with constant θ: one df per component for θ", async () => {
    const sim = await simulate({ family: "negbin", K: 2, n: 400, seed: 2, dispersion: "constant" });
    const res = await fit(sim.data, { K: 2, family: "negbin", dispersion: "constant", bandwidth: 0.4, grid: 15 });
    expect(res.statistics!.dfParts!.dispersion).toEqual([1, 1]);
  });
});
