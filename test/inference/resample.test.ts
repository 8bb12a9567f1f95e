// Resampling kernels of the core (assembly/resample.ts): the parametric simulator
// reproduces the model it simulates from, row resampling gives multinomial counts,
// and replicate streams depend only on (seed, replicate).
import { describe, expect, test } from "vitest";
import { createCore } from "../../src/core/backend.js";
import { mulberry32, normalGenerator } from "../helpers/random.js";

describe("resampling kernels", () => {
  test("simulateMoE draws labels from the gating and y from the chosen expert", async () => {
    const core = await createCore("wasm");
    const n = 40000, K = 2, q = 2, p = 2;
    const r = mulberry32(3), nrm = normalGenerator(r);
    const Z = new Float64Array(n * q), X = new Float64Array(n * p);
    for (let i = 0; i < n; i++) { Z[i * q] = 1; Z[i * q + 1] = nrm(); X[i * p] = 1; X[i * p + 1] = nrm(); }
    // two grid points with the same parameters: constant curves
    const alpha = Float64Array.of(-1, 0.5, 2, -0.3, -1, 0.5, 2, -0.3), phi = Float64Array.of(0.4, 0.7, 0.4, 0.7);
    const gamma = Float64Array.of(0, 0, 0.3, -0.8, 0, 0, 0.3, -0.8);
    const jl = core.i32(n), jr = core.i32(n), lam = core.f64(n);
    jr.view().fill(1);
    lam.view().set(Float64Array.from({ length: n }, () => r()));
    const y = core.f64(n), labels = core.i32(n), state = core.i32(4), prob = core.f64(K);
    core.kernels.rngSeedStream(state, 9, 0, 0);
    const rows = core.struct("Rows", { n, K, q, p, Z: core.f64From(Z), X: core.f64From(X), aux: core.f64(3 * n) });
    const curves = core.struct("Grid", { jl, jr, lam, alpha: core.f64From(alpha), phi: core.f64From(phi), gamma: core.f64From(gamma) });
    core.kernels.simulateMoE(rows, curves, state, prob, y, labels);
    const Y = y.view(), L = labels.view();
    let expected1 = 0, got1 = 0;
    const res: number[][] = [[], []];
    for (let i = 0; i < n; i++) {
      const l = 0.3 - 0.8 * X[i * p + 1];
      expected1 += 1 / (1 + Math.exp(-l));
      got1 += L[i];
      const c = L[i];
      res[c].push(Y[i] - (alpha[c * q] + alpha[c * q + 1] * Z[i * q + 1]));
    }
    // P(label 2) — binomial sd of the count is about 100
    expect(Math.abs(got1 - expected1)).toBeLessThan(400);
    for (const c of [0, 1]) {
      const m = res[c].reduce((a, b) => a + b, 0) / res[c].length;
      const sd = Math.sqrt(res[c].reduce((a, b) => a + (b - m) ** 2, 0) / (res[c].length - 1));
      expect(Math.abs(m)).toBeLessThan(4 * phi[c] / Math.sqrt(res[c].length));
      expect(Math.abs(sd / phi[c] - 1)).toBeLessThan(0.03);
    }
  });

  test.each([
    { family: 1, name: "binomial" }, { family: 2, name: "poisson" }, { family: 3, name: "negbin" },
  ])("simulateMoE draws $name responses with the expert's mean and variance, offsets and trials included", async ({ family }) => {
    const core = await createCore("wasm");
    const n = 60000, K = 2, q = 1, p = 1;
    const r = mulberry32(5);
    const aux = new Float64Array(3 * n), Z = new Float64Array(n).fill(1), X = new Float64Array(n).fill(1);
    for (let i = 0; i < n; i++) { aux[3 * i] = i % 2 === 0 ? 0 : Math.log(2); aux[3 * i + 1] = 5 + (i % 3); }
    // constant curves on two grid points; component 1 has probability 1/(1 + e^0.4)
    const alpha = Float64Array.of(-0.5, 1.2, -0.5, 1.2), phi = Float64Array.of(2, 5, 2, 5), gamma = Float64Array.of(0, 0.4, 0, 0.4);
    const jl = core.i32(n), jr = core.i32(n), lam = core.f64(n);
    jr.view().fill(1);
    lam.view().set(Float64Array.from({ length: n }, () => r()));
    const y = core.f64(n), labels = core.i32(n), state = core.i32(4), prob = core.f64(K);
    core.kernels.rngSeedStream(state, 4, 0, 0);
    const rows = core.struct("Rows", { n, K, q, p, family, Z: core.f64From(Z), X: core.f64From(X), aux: core.f64From(aux) });
    const curves = core.struct("Grid", { jl, jr, lam, alpha: core.f64From(alpha), phi: core.f64From(phi), gamma: core.f64From(gamma) });
    core.kernels.simulateMoE(rows, curves, state, prob, y, labels);
    const Y = y.view(), L = labels.view();
    // standardised residuals (y − mean)/sd under the drawn label: mean 0, variance 1
    let s1 = 0, s2 = 0, n1 = 0;
    for (let i = 0; i < n; i++) {
      const c = L[i], eta = aux[3 * i] + alpha[c], m = aux[3 * i + 1];
      let mu: number, v: number;
      if (family === 1) { const pr = 1 / (1 + Math.exp(-eta)); mu = m * pr; v = m * pr * (1 - pr); }
      else { mu = Math.exp(eta); v = family === 2 ? mu : mu + (mu * mu) / phi[c]; }
      const z = (Y[i] - mu) / Math.sqrt(v);
      s1 += z; s2 += z * z; n1 += c;
    }
    const p1 = 1 / (1 + Math.exp(-0.4));
    expect(Math.abs(n1 / n - p1)).toBeLessThan(4 * Math.sqrt(p1 * (1 - p1) / n));
    expect(Math.abs(s1 / n)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.04);
  });

  test("resampleCounts: n draws as frequency weights; streams depend on (seed, replicate) only", async () => {
    const [a, b] = [await createCore("wasm"), await createCore("js")];
    const n = 1000;
    const draw = (core: typeof a, replicate: number) => {
      const st = core.i32(4), w = core.f64From(new Float64Array(n).fill(2)), out = core.f64(n);
      core.kernels.rngSeedStream(st, 1234, 0, replicate);
      core.kernels.resampleCounts(n, st, w, out);
      return Array.from(out.view());
    };
    const w0 = draw(a, 5);
    expect(w0.reduce((s, v) => s + v, 0)).toBe(2 * n);
    expect(w0.every((v) => v % 2 === 0)).toBe(true);
    // about e^{-1} of the rows are never drawn
    const zeros = w0.filter((v) => v === 0).length / n;
    expect(Math.abs(zeros - Math.exp(-1))).toBeLessThan(0.05);
    expect(draw(b, 5)).toEqual(w0); // same on the JavaScript backend
    expect(draw(a, 6)).not.toEqual(w0); // another replicate, another stream
  });
});
