// A three-component varying-coefficient data set built from known curves, for
// tests that need K = 3 (the shared data are two-component).
import { testRng } from "./data.js";

export interface ThreeTruth {
  /** Expert [intercept, slope on z1] per component at u in [0, 1]. */
  alpha(u: number): Array<[number, number]>;
  sigma(u: number): number[];
  /** Gating logits (baseline component 1 = 0): [intercept, coefficient on x1] per component. */
  gamma(u: number): Array<[number, number]>;
}

export const threeTruth: ThreeTruth = {
  alpha: (u) => [
    [-1.5 + 0.4 * Math.sin(2 * Math.PI * u), 0.5 + 0.3 * u],
    [0.2 * Math.cos(Math.PI * u), -0.6 + 0.2 * u],
    [1.6 - 0.5 * u, 0.1 + 0.4 * (u - 0.5) ** 2],
  ],
  sigma: (u) => [0.3 + 0.05 * u, 0.25, 0.35 - 0.1 * u],
  gamma: (u) => [[0, 0], [0.3 - 0.6 * u, 0.5], [-0.2 + 0.8 * u, -0.4 + 0.3 * u]],
};

/** n rows drawn from threeTruth: u ~ U(0,1), z1, x1 ~ N(0,1). */
export function threeComponentData(n: number, seed: number): { y: number[]; u: number[]; z: { z1: number[] }; x: { x1: number[] }; component: number[] } {
  const r = testRng(seed);
  const y: number[] = [], u: number[] = [], z1: number[] = [], x1: number[] = [], component: number[] = [];
  for (let i = 0; i < n; i++) {
    const ui = r.uniform(), zi = r.normal(), xi = r.normal();
    const eta = threeTruth.gamma(ui).map(([a, b]) => a + b * xi);
    const mx = Math.max(...eta);
    const w = eta.map((e) => Math.exp(e - mx));
    const tot = w.reduce((s, v) => s + v, 0);
    let v = r.uniform() * tot, c = 0;
    while (c < 2 && v >= w[c]) { v -= w[c]; c++; }
    const [a0, a1] = threeTruth.alpha(ui)[c];
    y.push(a0 + a1 * zi + threeTruth.sigma(ui)[c] * r.normal());
    u.push(ui); z1.push(zi); x1.push(xi); component.push(c + 1);
  }
  return { y, u, z: { z1 }, x: { x1 }, component };
}
