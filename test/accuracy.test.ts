// Accuracy against the truth on data simulated from known curves (the "ws"
// scenario of method.md): integrated squared error (ISE) per curve, bounded by
// the asymptotic theory of helpers/theory.ts evaluated at the truth; and label
// switching along u (label-consistent EM: none; per-grid-point baseline: raw
// labels switch and need the alignment step).
//
// ISE: trapezoid rule over the fit's own 50-point grid, over the WHOLE range of u
// (no boundary region excluded: the bound uses the boundary-corrected equivalent
// kernel, whose variance is 7.5× larger at the ends for a local-linear fit).
// Bound: ISE ≤ (√B + √Q)², B the integrated squared asymptotic bias
// (½h²β''m2 for local-linear experts and gating; h·(σ²)'m1 + ½h²(σ²)''m2 mapped
// through 1/(2σ) for the locally constant σ), Q the 99.9% quantile (Satterthwaite
// + Wilson–Hilferty) of the integrated asymptotic variance, whose pointwise value
// is ∫K*² · [I(u)⁻¹] / (n h) with I(u) the mixture's Fisher information at u,
// computed by quadrature from the true curves. Nothing in the bound comes from
// the fitted data.
import { describe, expect, test } from "vitest";
import { fit, wsTruth, type VCMoEFit } from "../src/index.js";
import { bestPermutation, readExample, readReference, report, wsData } from "./helpers/data.js";
import { chiSquareQuantile, equivalentKernel, fisherInverse } from "./helpers/theory.js";
import { CURVE_TYPES, curveIse, fittedCurve, matchToTruth, trueValue, wsInfluenceVariances, wsIseBounds } from "./helpers/wsAccuracy.js";

describe("the theory behind the bound (checked against closed forms)", () => {
  test("equivalent kernels: interior and boundary moments of the Epanechnikov local fits", () => {
    const mid = equivalentKernel(0.5, 0.25, 1);
    expect(mid.nu).toBeCloseTo(0.6, 5); // ∫K²
    expect(mid.m2).toBeCloseTo(0.2, 5); // ∫s²K
    expect(Math.abs(mid.m1)).toBeLessThan(1e-9);
    // at the end point the local-linear kernel lives on [−1, 0]: μ0 = 1/2, μ1 = −3/16, μ2 = 1/10, μ3 = −1/16,
    // ∫K² = 3/10, ∫sK² = −3/32, ∫s²K² = 3/70; m2 = (μ2² − μ1μ3)/D, ∫K*² = (μ2²·3/10 − 2μ1μ2·(−3/32) + μ1²·3/70)/D²
    const edge = equivalentKernel(0, 0.25, 1);
    const [mu1, mu2, mu3] = [-3 / 16, 1 / 10, -1 / 16];
    const D = 0.5 * mu2 - mu1 * mu1;
    expect(edge.m2).toBeCloseTo((mu2 * mu2 - mu1 * mu3) / D, 5); // −0.1158: a negative lobe
    expect(edge.nu).toBeCloseTo((mu2 * mu2 * 0.3 - 2 * mu1 * mu2 * (-3 / 32) + mu1 * mu1 * (3 / 70)) / (D * D), 4); // 4.498 = 7.5 × 0.6
    expect(Math.abs(edge.m1)).toBeLessThan(1e-9);
    const lc = equivalentKernel(0, 0.25, 0);
    expect(lc.m1).toBeCloseTo(3 / 8, 5); // local-constant boundary bias factor ∫_0^1 sK / ∫_0^1 K
    expect(lc.nu).toBeCloseTo(1.2, 5);
  });

  test("Wilson–Hilferty χ² quantiles", () => {
    // exact 99.9% quantiles: χ²₃ 16.266, χ²₅ 20.515, χ²₁₀ 29.588
    expect(chiSquareQuantile(3, 3.090232306167813) / 16.266).toBeGreaterThan(1);
    expect(chiSquareQuantile(3, 3.090232306167813) / 16.266).toBeLessThan(1.03);
    expect(chiSquareQuantile(5, 3.090232306167813) / 20.515).toBeLessThan(1.02);
    expect(Math.abs(chiSquareQuantile(10, 3.090232306167813) / 29.588 - 1)).toBeLessThan(0.01);
  });

  test("Fisher information: well-separated components give the complete-data information", () => {
    // means 100 apart: no missing information; Var(α_c) = σ_c²/π_c, Var(σ_c) = σ_c²/(2π_c), Var(η0) = 1/(π(1−π))
    const V = fisherInverse({ alpha: [[-50, 0.5], [50, -0.3]], sigma: [0.4, 0.7], eta: [0, 0] });
    expect(V[0][0]).toBeCloseTo(0.16 / 0.5, 4);
    expect(V[1][1]).toBeCloseTo(0.16 / 0.5, 4); // E[z²] = 1
    expect(V[2][2]).toBeCloseTo(0.49 / 0.5, 4);
    expect(V[4][4]).toBeCloseTo(0.16 / 1, 4);
    expect(V[5][5]).toBeCloseTo(0.49 / 1, 4);
    expect(V[6][6]).toBeCloseTo(4, 3);
    // and overlapping components lose information (larger variances)
    const tr = wsTruth(0.5);
    const W = fisherInverse({ alpha: tr.alpha, sigma: [tr.sigma[0], tr.sigma[1]], eta: [2 * tr.gamma[0][0], 2 * tr.gamma[0][1]] });
    const pi1 = 1 / (1 + Math.exp(-2 * tr.gamma[0][0]));
    expect(W[0][0]).toBeGreaterThan(tr.sigma[0] ** 2 / pi1);
  });
});

describe("ISE per curve against the truth (K = 2, bandwidth 0.25)", async () => {
  const Vu = wsInfluenceVariances();
  const files: Array<[string, Record<string, number[]>]> = [
    ["examples/data/ws_n1000.csv", readExample()],
    ["data/sim_ws_n1000.csv", readReference("sim_ws_n1000.csv")],
  ];

  for (const [name, cols] of files) {
    test(`${name}: every curve's ISE is below its bound`, async () => {
      const f = await fit(wsData(cols), { K: 2, bandwidth: 0.25, seed: 1 });
      expect(f.converged).toBe(true);
      expect(f.grid.length).toBe(50);
      const I = curveIse(f), B = wsIseBounds(f, Vu);
      for (const type of CURVE_TYPES) {
        for (const c of [0, 1]) {
          report(`ISE ${name} ${type} c${c + 1}`, { ise: +I[type][c].toPrecision(3), expected: +B[type][c].expected.toPrecision(3), bias2: +B[type][c].bias2.toPrecision(3), bound: +B[type][c].bound.toPrecision(3), df: +B[type][c].df.toFixed(1) });
          expect(I[type][c], `${type}, true component ${c + 1}`).toBeLessThanOrEqual(B[type][c].bound);
        }
      }
    });
  }

  test("the truth columns of sim_ws_n1000.csv are wsTruth(u)", () => {
    const cols = readReference("sim_ws_n1000.csv");
    let maxDiff = 0;
    cols.u.forEach((u, i) => {
      for (const type of CURVE_TYPES) for (const c of [1, 2]) maxDiff = Math.max(maxDiff, Math.abs(cols[`true_${type}_c${c}`][i] - trueValue(type, c, u)));
    });
    expect(maxDiff).toBeLessThan(1e-12);
  });
});

/** Best matching of fitted to true components at grid point j, by (α0, α1, log σ). */
function pointwiseMatch(f: VCMoEFit, j: number): { perm: number[]; margin: number } {
  const u = f.grid[j];
  const cost = (fc: number, tc: number) => (["alpha0", "alpha1"] as const).reduce((s, t) => s + (fittedCurve(f, t, fc + 1)[j] - trueValue(t, tc + 1, u)) ** 2, 0)
    + (Math.log(fittedCurve(f, "sigma", fc + 1)[j]) - Math.log(trueValue("sigma", tc + 1, u))) ** 2;
  const b = bestPermutation(2, cost);
  return { perm: b.perm, margin: b.secondCost - b.cost };
}

describe("label switching along u (data/sim_ws_n1000.csv, K = 2, bandwidth 0.25, seed 1)", async () => {
  const data = wsData(readReference("sim_ws_n1000.csv"));

  for (const refine of [true, false]) {
    test(`label-consistent EM${refine ? " + local refinement (default)" : ", refine: false"}: each fitted component matches the same true component at every grid point`, async () => {
      const f = await fit(data, { K: 2, bandwidth: 0.25, seed: 1, refine });
      const global = matchToTruth(f);
      let minMargin = Infinity;
      f.grid.forEach((_, j) => {
        const { perm, margin } = pointwiseMatch(f, j);
        expect(perm, `grid point ${j}`).toEqual(global);
        minMargin = Math.min(minMargin, margin);
      });
      report(`label-consistent (refine ${refine}) pointwise matching margin (min over grid)`, minMargin);
      if (refine) report("refinement reverted grid points", f.diagnostics.refinement?.reverted);
      expect(f.diagnostics.alignment).toBeUndefined(); // no alignment step exists or is needed
    });
  }

  test("per-grid-point baseline: raw labels switch along u; the alignment step restores consistent curves", async () => {
    const f = await fit(data, { K: 2, bandwidth: 0.25, seed: 1, method: "local-align" });
    const al = f.diagnostics.alignment!;
    report("local-align switches (grid indices)", al.switches);
    expect(al.switches.length).toBeGreaterThan(0);
    // raw component r at grid point j became aligned component c with perms[j][c] = r
    const global = matchToTruth(f);
    const trueOfRaw1 = new Set<number>();
    f.grid.forEach((_, j) => {
      const { perm } = pointwiseMatch(f, j);
      expect(perm, `aligned curves at grid point ${j}`).toEqual(global); // after alignment: consistent
      const alignedOfRaw0 = al.permutations[j].indexOf(0);
      trueOfRaw1.add(global.indexOf(alignedOfRaw0)); // true component that raw component 1 estimates at j
      expect(al.switches.includes(j)).toBe(al.permutations[j][0] !== 0);
    });
    expect([...trueOfRaw1].sort()).toEqual([0, 1]); // the raw component 1 estimates true component 1 somewhere and 2 elsewhere
  });
});
