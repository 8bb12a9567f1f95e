// Anderson acceleration (src/fit/anderson.ts), the label-consistent EM's and the bootstrap
// refits' accelerator. On a linear map x ↦ Ax + b it is a Krylov method: with at least
// d differences it lands on the fixed point (I − A)⁻¹b; on the EM it must reach the fixed
// point plain EM maps reach, in fewer maps.
import { describe, expect, test } from "vitest";
import { Anderson } from "../src/fit/anderson.js";
import { fit, simulate } from "../src/index.js";

/** x ↦ Ax + b for a fixed 4×4 contraction with eigenvalues 0.95, 0.9, 0.5, 0.2 (slow, like a mixture EM). */
function linearMap() {
  // A = V diag(λ) V⁻¹ with V upper triangular (unit diagonal): a non-normal A
  const lam = [0.95, 0.9, 0.5, 0.2];
  const V = [[1, 0.5, -0.3, 0.2], [0, 1, 0.4, -0.1], [0, 0, 1, 0.6], [0, 0, 0, 1]];
  const Vinv = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]].map((r) => r.slice());
  for (let c = 0; c < 4; c++) for (let r = 3; r >= 0; r--) {
    let s = r === c ? 1 : 0;
    for (let k = r + 1; k < 4; k++) s -= V[r][k] * Vinv[k][c];
    Vinv[r][c] = s;
  }
  const A = V.map((row) => [0, 1, 2, 3].map((c) => row.reduce((s, v, k) => s + v * lam[k] * Vinv[k][c], 0)));
  const b = [1, -2, 0.5, 3];
  const G = (x: Float64Array) => Float64Array.from(A.map((row, r) => row.reduce((s, a, c) => s + a * x[c], b[r])));
  // the fixed point in closed form: x* = V diag(1/(1−λ)) V⁻¹ b
  const w = Vinv.map((row, k) => row.reduce((s, v, c) => s + v * b[c], 0) / (1 - lam[k]));
  const fixed = V.map((row) => row.reduce((s, v, k) => s + v * w[k], 0));
  return { G, fixed };
}

describe("Anderson acceleration", () => {
  test("on a linear contraction it reaches the closed-form fixed point within d + 2 maps; plain iteration does not", () => {
    const { G, fixed } = linearMap();
    const aa = new Anderson(5, 2, 1e6);
    let x = new Float64Array(4), plain = new Float64Array(4);
    for (let it = 0; it < 6; it++) {
      x = aa.propose(x, G(x)) as Float64Array<ArrayBuffer>;
      plain = G(plain);
    }
    const err = (v: Float64Array) => Math.max(...fixed.map((f, k) => Math.abs(v[k] - f)));
    expect(err(x)).toBeLessThan(1e-9);
    expect(err(plain)).toBeGreaterThan(0.1);
  });

  test("no proposal before minHistory differences, and none farther from G(x) than cap·‖G(x) − x‖", () => {
    const { G } = linearMap();
    const aa = new Anderson(5, 2, 0.5);
    let x = new Float64Array(4);
    const g0 = G(x);
    expect(aa.propose(x, g0)).toBe(g0);
    x = g0;
    const g1 = G(x);
    expect(aa.propose(x, g1)).toBe(g1); // one difference only
    x = g1;
    const g2 = G(x);
    const p = aa.propose(x, g2);
    expect(p).not.toBe(g2);
    const dist = Math.hypot(...p.map((v, k) => v - g2[k])), step = Math.hypot(...g2.map((v, k) => v - x[k]));
    expect(dist).toBeLessThanOrEqual(0.5 * step * (1 + 1e-12));
    aa.reset();
    expect(aa.propose(g2, G(g2))).toEqual(G(g2));
  });

  test("a σ held at its floor does not stall the accelerator (its proposals keep the floored value's exact bits)", async () => {
    // a spike of equal responses along all of u: one component's σ sits at its floor at every grid point;
    // exp(log σ) can differ from σ in the last bit, which made every proposal inadmissible (20 maps, plain EM 17)
    const { data } = await simulate({ n: 600, seed: 2 });
    const y = Array.from(data.y);
    for (let i = 0; i < 600; i += 6) y[i] = 3;
    for (const f of [1, 1.77]) {
      const d = { ...data, y: y.map((v) => v * f) };
      const iters = async (accelerate: boolean) => {
        const m = await fit(d, { K: 3, bandwidth: 0.3, accelerate });
        expect(m.diagnostics.sigmaFloored.length, `factor ${f}`).toBeGreaterThan(0);
        return m.diagnostics.stages.find((s) => s.stage === "label-consistent EM")!.iterations;
      };
      expect(await iters(true), `factor ${f}`).toBeLessThan(await iters(false));
    }
  });

  test("the accelerated label-consistent EM reaches plain EM's fixed point, with fewer maps and a non-decreasing objective", async () => {
    for (const family of ["gaussian", "poisson"] as const) {
      const { data } = await simulate({ family, n: 600, K: 2, seed: 5 });
      const opts = { family, K: 2, bandwidth: 0.3, grid: 21, tol: 1e-13, maxIter: 3000 };
      const acc = await fit(data, opts);
      const squarem = await fit(data, { ...opts, accelerate: "squarem" });
      const plain = await fit(data, { ...opts, accelerate: false });
      const iters = (f: typeof acc) => f.diagnostics.stages.find((s) => s.stage === "label-consistent EM")!.iterations;
      expect(iters(acc), family).toBeLessThan(iters(plain));
      expect(iters(squarem), family).toBeLessThan(iters(plain));
      const path = acc.diagnostics.objectivePath;
      for (let k = 1; k < path.length; k++) expect(path[k] - path[k - 1], family).toBeGreaterThanOrEqual(-1e-10 * Math.abs(path[k - 1]));
      for (const [label, other] of [["anderson", acc], ["squarem", squarem]] as const) {
        for (let e = 0; e < other.curves.length; e++) {
          const a = other.curves[e].values, b = plain.curves[e].values;
          const scale = Math.max(1, ...b.map(Math.abs));
          const diff = Math.max(...a.map((v, j) => Math.abs(v - b[j])));
          expect(diff / scale, `${family} ${label} curve ${e}`).toBeLessThan(1e-5);
        }
      }
    }
  });
});
