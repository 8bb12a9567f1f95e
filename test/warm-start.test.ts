// The warm start of the label-consistent EM (src/fit/warmStart.ts): coarse local lines
// carried to the fit's grid, and a fit from it reaching the fixed point of a fit from
// the constant start.
import { expect, test } from "vitest";
import { interpolateParams } from "../src/fit/warmStart.js";
import { fit } from "../src/index.js";
import { readReference, wsData } from "./helpers/data.js";

const K = 2, q = 2, p = 1, h = 0.2;
const coarse = Float64Array.from([0, 0.3, 0.55, 0.8, 1]);
const fine = Float64Array.from({ length: 41 }, (_, j) => j / 40);

/** Coarse parameters of curves that are straight lines in u: value c0 + c1·g, slope per s = c1·h. */
function straight(c0: (k: number) => number, c1: (k: number) => number, width: number) {
  const val = new Float64Array(coarse.length * K * width), slope = new Float64Array(coarse.length * K * width);
  coarse.forEach((g, j) => { for (let k = 0; k < K * width; k++) { val[j * K * width + k] = c0(k) + c1(k) * g; slope[j * K * width + k] = c1(k) * h; } });
  return { val, slope };
}

test("straight-line curves are carried exactly; coarse grid points keep their values", () => {
  const a = straight((k) => 0.5 - k, (k) => 2 + 3 * k, q), gm = straight((k) => 0.1 * k, (k) => -1.5 * k, p);
  const phi = Float64Array.from({ length: coarse.length * K }, (_, i) => 1 + i);
  const out = interpolateParams({ grid: coarse, params: { m: coarse.length, alpha: a.val, alphaS: a.slope, phi, gamma: gm.val, gammaS: gm.slope } }, fine, h, K, q, p);
  fine.forEach((u, j) => {
    for (let k = 0; k < K * q; k++) {
      expect(out.alpha[j * K * q + k]).toBeCloseTo(0.5 - k + (2 + 3 * k) * u, 13);
      expect(out.alphaS[j * K * q + k]).toBeCloseTo((2 + 3 * k) * h, 13);
    }
    for (let k = 0; k < K * p; k++) expect(out.gamma[j * K * p + k]).toBeCloseTo(0.1 * k - 1.5 * k * u, 13);
    // dispersions: linear between coarse points, the end values beyond them
    const c = Math.min(coarse.length - 2, coarse.findIndex((g, i) => i + 1 < coarse.length && coarse[i + 1] >= u));
    const t = (u - coarse[c]) / (coarse[c + 1] - coarse[c]);
    for (let k = 0; k < K; k++) expect(out.phi[j * K + k]).toBeCloseTo((1 - t) * phi[c * K + k] + t * phi[(c + 1) * K + k], 13);
  });
  // at a coarse grid point the coarse values themselves (fine grid point 12 is u = 0.3)
  for (let k = 0; k < K * q; k++) expect(out.alpha[12 * K * q + k]).toBe(a.val[1 * K * q + k]);
});

test("the warm-started fit reaches the fixed point of the fit from the constant start, in fewer EM iterations", async () => {
  const data = wsData(readReference("sim_ws_n1000.csv"));
  const warm = await fit(data, { K: 2, bandwidth: 0.25, tol: 1e-12 });
  const cold = await fit(data, { K: 2, bandwidth: 0.25, tol: 1e-12, initScreening: 0 });
  // the EM creeps near its fixed point: equal objectives (ℓ_S) to 1e-12 relative leave ~1e-7 in the curves
  const obj = (f: typeof warm) => f.diagnostics.objectivePath!.at(-1)!;
  expect(Math.abs(obj(warm) - obj(cold))).toBeLessThan(1e-12 * Math.abs(obj(cold)));
  expect(Math.abs(warm.logLik - cold.logLik)).toBeLessThan(1e-5);
  warm.curves.forEach((c, i) => c.values.forEach((v, j) => expect(Math.abs(v - cold.curves[i].values[j])).toBeLessThan(1e-5)));
  const iters = (f: typeof warm) => f.diagnostics.stages.find((s) => s.stage === "label-consistent EM")!.iterations;
  const warmDefault = await fit(data, { K: 2, bandwidth: 0.25 }), coldDefault = await fit(data, { K: 2, bandwidth: 0.25, initScreening: 0 });
  expect(iters(warmDefault)).toBeLessThan(iters(coldDefault));
  expect(iters(warm)).toBeLessThan(iters(cold));
});
