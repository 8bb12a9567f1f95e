// predict(): checked against quantities recomputed here from the fit's reported
// curves (linear interpolation along the grid, softmax of the centred logits,
// Gaussian densities), and against the fit's own posteriors at the training data.
import { describe, expect, test } from "vitest";
import { fit, predict, type VCMoEFit } from "../src/index.js";
import { readExample, wsData } from "./helpers/data.js";

/** A curve's value at u by linear interpolation (linear extrapolation outside the grid). */
function curveAt(f: VCMoEFit, part: string, component: number, term: string, u: number): number {
  const c = f.curves.find((k) => k.part === part && k.component === component && k.term === term);
  if (!c) throw new Error(`no curve ${part}/${component}/${term}`);
  const g = f.grid, m = g.length;
  let j = 0;
  while (j < m - 2 && u > g[j + 1]) j++;
  const lam = (u - g[j]) / (g[j + 1] - g[j]);
  return (1 - lam) * c.values[j] + lam * c.values[j + 1];
}

describe("predict", async () => {
  const cols = readExample();
  const data = wsData(cols);
  const res = await fit(data, { K: 2, bandwidth: 0.25, seed: 1 });
  const K = 2;

  test("at the training data with y, reproduces the fit's posteriors", async () => {
    const pr = await predict(res, { u: cols.u, z: { z1: cols.z1 }, x: { x1: cols.x1 }, y: cols.y });
    expect(pr.posteriors!.length).toBe(cols.y.length);
    expect(pr.extrapolated).toBe(0);
    let maxDiff = 0;
    pr.posteriors!.forEach((row, i) => row.forEach((v, c) => { maxDiff = Math.max(maxDiff, Math.abs(v - res.posteriors[i][c])); }));
    expect(maxDiff).toBeLessThan(1e-12);
    // and the local-align baseline too
    const la = await fit(data, { K: 2, bandwidth: 0.25, seed: 1, method: "local-align", grid: 20 });
    const pl = await predict(la, { u: cols.u, z: { z1: cols.z1 }, x: { x1: cols.x1 }, y: cols.y });
    let maxLa = 0;
    pl.posteriors!.forEach((row, i) => row.forEach((v, c) => { maxLa = Math.max(maxLa, Math.abs(v - la.posteriors[i][c])); }));
    expect(maxLa).toBeLessThan(1e-12);
  });

  test("gating, component means, mixture mean and posteriors agree with the reported curves", async () => {
    const u = [0.03, 0.2, 0.41, 0.5, 0.66, 0.9, 0.97], z1 = [1.2, -0.4, 0, 2, -1.5, 0.3, 0.8], x1 = [-1, 0.5, 2, 0, -0.7, 1.1, -2];
    const y = [0.2, -0.5, 1.4, 0.1, -1, 0.6, 0.9];
    const pr = await predict(res, { u, z: { z1 }, x: { x1 }, y });
    u.forEach((ui, i) => {
      const eta = [1, 2].map((c) => curveAt(res, "gating", c, "(Intercept)", ui) + curveAt(res, "gating", c, "x1", ui) * x1[i]);
      const pi = eta.map((e) => Math.exp(e) / (Math.exp(eta[0]) + Math.exp(eta[1])));
      const mu = [1, 2].map((c) => curveAt(res, "expert", c, "(Intercept)", ui) + curveAt(res, "expert", c, "z1", ui) * z1[i]);
      const sd = [1, 2].map((c) => curveAt(res, "sigma", c, "sigma", ui));
      const dens = mu.map((m, c) => pi[c] * Math.exp(-0.5 * ((y[i] - m) / sd[c]) ** 2) / sd[c]);
      for (let c = 0; c < K; c++) {
        expect(pr.gating[i][c]).toBeCloseTo(pi[c], 12);
        expect(pr.componentMeans[i][c]).toBeCloseTo(mu[c], 12);
        expect(pr.posteriors![i][c]).toBeCloseTo(dens[c] / (dens[0] + dens[1]), 10);
      }
      expect(pr.gating[i][0] + pr.gating[i][1]).toBeCloseTo(1, 14);
      expect(pr.mean[i]).toBeCloseTo(pr.gating[i][0] * pr.componentMeans[i][0] + pr.gating[i][1] * pr.componentMeans[i][1], 13);
    });
  });

  test("every gating row sums to 1 and the mixture mean is Σ gating × component means (1000 rows)", async () => {
    const pr = await predict(res, { u: cols.u, z: { z1: cols.z1 }, x: { x1: cols.x1.map((v) => 3 * v) } });
    expect(pr.posteriors).toBeUndefined();
    pr.gating.forEach((g, i) => {
      expect(Math.abs(g[0] + g[1] - 1)).toBeLessThan(1e-14);
      expect(g.every((v) => v >= 0 && v <= 1)).toBe(true);
      expect(Math.abs(pr.mean[i] - (g[0] * pr.componentMeans[i][0] + g[1] * pr.componentMeans[i][1]))).toBeLessThan(1e-13);
    });
  });

  test("u outside the fitted range: counted as extrapolated, curves extended linearly", async () => {
    const umin = Math.min(...cols.u), umax = Math.max(...cols.u);
    const u = [umin - 0.2, umin, (umin + umax) / 2, umax, umax + 0.01, umax + 0.5];
    const n = u.length;
    const pr = await predict(res, { u, z: { z1: new Array(n).fill(1) }, x: { x1: new Array(n).fill(0) } });
    expect(pr.extrapolated).toBe(3);
    // beyond the ends the component means continue the straight line through the last two grid points
    for (const [i, ui] of [[0, u[0]], [4, u[4]], [5, u[5]]] as const) {
      for (let c = 1; c <= K; c++) {
        const want = curveAt(res, "expert", c, "(Intercept)", ui) + curveAt(res, "expert", c, "z1", ui);
        expect(pr.componentMeans[i][c - 1]).toBeCloseTo(want, 12);
      }
      expect(Math.abs(pr.gating[i][0] + pr.gating[i][1] - 1)).toBeLessThan(1e-14);
    }
    const inside = await predict(res, { u: [umin, umax], z: { z1: [0, 0] }, x: { x1: [0, 0] } });
    expect(inside.extrapolated).toBe(0);
  });
});
