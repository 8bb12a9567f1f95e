// GLRT: kernel constants, χ² tail, the statistic and its nesting, and the
// bootstrap's reproducibility and independence from execution order.
import { describe, expect, test } from "vitest";
import { curve } from "../src/model/result.js";
import { chiSquareUpper, fit, glrt, glrtReplicate, glrtKernelConstants, simulate, VCMoEInputError, type GlrtReplicateContext } from "../src/index.js";
import { glrtDegreesOfFreedom } from "../src/inference/glrtConstants.js";

describe("kernel constants (Fan, Zhang & Zhang 2001)", () => {
  test("Epanechnikov: r_K ≈ 2.1153 and K(0) − ½∫K² = 0.45", () => {
    const kc = glrtKernelConstants("epanechnikov");
    expect(kc.k0).toBe(0.75);
    expect(kc.intK2).toBeCloseTo(0.6, 9);
    expect(kc.numerator).toBeCloseTo(0.45, 9);
    expect(kc.rK).toBeCloseTo(2.1153, 4);
  });

  test("Gaussian: integrals match their closed forms", () => {
    // K*K is the N(0, 2) density; ∫K² = 1/(2√π), ∫K·(K*K) = φ_3(0), ∫(K*K)² = φ_4(0)
    const kc = glrtKernelConstants("gaussian");
    const phi0 = (v: number) => 1 / Math.sqrt(2 * Math.PI * v);
    expect(kc.intK2).toBeCloseTo(phi0(2), 10);
    const denom = phi0(2) - phi0(3) + 0.25 * phi0(4);
    expect(kc.denominator).toBeCloseTo(denom, 9);
    expect(kc.rK).toBeCloseTo((phi0(1) - 0.5 * phi0(2)) / denom, 8);
    expect(kc.rK).toBeCloseTo(2.5375, 4);
  });

  test("degrees of freedom μ_n = r_K c_p |U| [K(0) − ½∫K²] / h", () => {
    const kc = glrtKernelConstants("epanechnikov");
    expect(glrtDegreesOfFreedom(kc, 1, 1, 0.25)).toBeCloseTo((2.1152736 * 0.45) / 0.25, 5);
    expect(glrtDegreesOfFreedom(kc, 2, 0.5, 0.1)).toBeCloseTo(2 * 0.5 * 2.1152736 * 0.45 / 0.1, 5);
  });
});

test("χ² upper tail against closed forms", () => {
  // df = 2: P(X ≥ x) = exp(−x/2); df = 1: 3.841459 is the 95% quantile
  for (const x of [0.1, 1, 5, 20, 200]) expect(chiSquareUpper(x, 2) / Math.exp(-x / 2)).toBeCloseTo(1, 12);
  expect(chiSquareUpper(3.841459, 1)).toBeCloseTo(0.05, 7);
  expect(chiSquareUpper(-1, 3)).toBe(1);
});

const SLOPE_1 = { part: "expert" as const, component: 1, term: "z1" };

describe("glrt", () => {
  test("statistic, nesting and calibration on the ws scenario (slope of component 1 varies)", async () => {
    const { data } = await simulate({ n: 500, seed: 11 });
    const opts = { K: 2, bandwidth: 0.25 };
    // labels are arbitrary: test the slope of the fitted component that is ws component 1 (lower intercept)
    const plain = await fit(data, { ...opts, refine: false });
    const ic = (c: number) => curve(plain, "expert", c, "(Intercept)").values.reduce((a, b) => a + b);
    const c1 = ic(1) < ic(2) ? 1 : 2;
    const res = await glrt(data, opts, { coefficient: { ...SLOPE_1, component: c1 }, B: 0 });
    expect(res.statistic).toBe(res.fullFit.logLik - res.nullFit.logLik);
    // nested: the null can not beat the full model (up to EM tolerance), and here it clearly loses
    expect(res.statistic).toBeGreaterThan(1);
    expect(res.df).toBeCloseTo((res.rK * 0.45) / 0.25, 6);
    expect(res.scaledStatistic).toBeCloseTo(res.rK * res.statistic, 10);
    expect(res.pValueAsymptotic).toBeCloseTo(chiSquareUpper(res.rK * res.statistic, res.df), 14);
    expect(res.pValueAsymptotic).toBeLessThan(0.05);
    expect(res.pValueBootstrap).toBeNull();
    expect(res.tested).toEqual([{ part: "expert", component: c1, term: "z1" }]);
    // the null fit holds exactly that slope constant, and it equals the fit's own estimate
    const cv = curve(res.nullFit, "expert", c1, "z1").values;
    expect(new Set(cv).size).toBe(1);
    expect(res.nullFit.constants!.estimates[0].estimate).toBe(cv[0]);
    // the full fit is the ordinary label-consistent fit (the GLRT compares fits without local refinement)
    expect(res.fullFit.logLik).toBe(plain.logLik);
  }, 60000);

  test("under a constant slope the statistic is small and non-negative", async () => {
    for (const seed of [1, 2, 3]) {
      const s = await simulate({ n: 400, seed });
      const y = s.data.y.map((yi, i) => {
        if (s.component[i] !== 1) return yi;
        const tr = s.truth(s.data.u[i]), z = s.data.z.z1[i];
        return tr.alpha[0][0] + 0.675 * z + (yi - tr.alpha[0][0] - tr.alpha[0][1] * z);
      });
      const res = await glrt({ ...s.data, y }, { K: 2, bandwidth: 0.3, grid: 30 }, { coefficient: SLOPE_1, B: 0 });
      expect(res.statistic).toBeGreaterThanOrEqual(-1e-6);
      expect(res.statistic).toBeLessThan(20);
    }
  }, 60000);

  test("bootstrap: reproducible from the seed, independent of replicate order, progress reported", async () => {
    const { data } = await simulate({ n: 300, seed: 5 });
    const opts = { K: 2, bandwidth: 0.3, grid: 20 };
    const seen: number[] = [];
    const a = await glrt(data, opts, { coefficient: SLOPE_1, B: 4, seed: 9, workers: 0, onProgress: (p) => seen.push(p.done) });
    const b = await glrt(data, opts, { coefficient: SLOPE_1, B: 4, seed: 9, workers: 2 });
    const c = await glrt(data, opts, { coefficient: SLOPE_1, B: 4, seed: 10, workers: 1 });
    expect(seen).toEqual([1, 2, 3, 4]);
    const lam = (r: typeof a) => r.bootstrap!.replicates.map((x) => x.lambda);
    // the same seed on 0 (this thread) and 2 workers: identical replicates
    expect(b.bootstrap!.workers).toBe(2);
    expect(b.bootstrap!.replicates).toEqual(a.bootstrap!.replicates);
    expect(lam(a)).toEqual(lam(b));
    expect(lam(a)).not.toEqual(lam(c));
    expect(a.bootstrap!.completed + a.bootstrap!.failed).toBe(4);
    const exceed = a.bootstrap!.replicates.filter((r) => r.ok && r.lambda >= a.statistic).length;
    // the Monte Carlo p-value counts the observed λ among the replicates
    expect(a.pValueBootstrap).toBe((1 + exceed) / (1 + a.bootstrap!.completed));
  }, 60000);

  test("abort between replicates", async () => {
    const { data } = await simulate({ n: 300, seed: 6 });
    const ac = new AbortController();
    const p = glrt(data, { K: 2, bandwidth: 0.3, grid: 20 }, {
      coefficient: SLOPE_1, B: 50, signal: ac.signal,
      onProgress: (pr) => { if (pr.done === 2) ac.abort(); },
    });
    await expect(p).rejects.toMatchObject({ name: "AbortError" });
  }, 60000);

  test("input errors name the argument", async () => {
    const { data } = await simulate({ n: 200, seed: 1 });
    const opts = { K: 2, bandwidth: 0.3 };
    const cases: Array<[Promise<unknown>, string]> = [
      [glrt(data, opts, {} as never), "options.coefficient"],
      [glrt(data, opts, { coefficient: { part: "expert", term: "zz" } }), "options.coefficient[0].term"],
      [glrt(data, opts, { coefficient: SLOPE_1, B: -1 }), "options.B"],
      [glrt(data, opts, { coefficient: SLOPE_1, workers: -1 }), "options.workers"],
      [glrt(data, { ...opts, constant: [SLOPE_1] }, { coefficient: SLOPE_1 }), "options.coefficient"],
      [glrt(data, { ...opts, method: "local-align" }, { coefficient: SLOPE_1 }), "fullOptions.method"],
    ];
    for (const [p, argument] of cases) {
      const err = await p.catch((e) => e);
      expect(err).toBeInstanceOf(VCMoEInputError);
      expect((err as VCMoEInputError).argument).toBe(argument);
    }
  });
});

test("glrtReplicate is a pure function of a JSON context and the replicate index", async () => {
  const { data } = await simulate({ n: 300, seed: 5 });
  const opts = { K: 2, bandwidth: 0.3, grid: 20 };
  const res = await glrt(data, opts, { coefficient: SLOPE_1, B: 3, seed: 21 });
  const ctx = res.bootstrap!.context;
  const copy: GlrtReplicateContext = JSON.parse(JSON.stringify(ctx));
  // replicates in reverse order on a fresh copy (another "worker")
  const r2 = await glrtReplicate(copy, 2);
  const r0 = await glrtReplicate(copy, 0);
  expect(r2).toEqual(res.bootstrap!.replicates[2]);
  expect(r0).toEqual(res.bootstrap!.replicates[0]);
  const js = await glrtReplicate({ ...copy, backend: "js" }, 1);
  expect(js).toEqual(res.bootstrap!.replicates[1]);
}, 60000);

test("simulateMoE (the null-model simulator) draws labels and responses from the model at each row's u", async () => {
  // two grid points (u = 0, 1): curves linear in u; every row's u is its own interpolation weight
  const { createCore } = await import("../src/core/backend.js");
  const core = await createCore("wasm");
  const n = 40000, K = 2, q = 2, p = 2;
  const Z = core.f64(n * q), X = core.f64(n * p), jl = core.i32(n), jr = core.i32(n), lam = core.f64(n), aux = core.f64(3 * n);
  const zv = Z.view(), xv = X.view(), lv = lam.view();
  jr.view().fill(1);
  for (let i = 0; i < n; i++) {
    zv[i * 2] = 1; zv[i * 2 + 1] = ((i * 7919) % 1000) / 500 - 1;
    xv[i * 2] = 1; xv[i * 2 + 1] = ((i * 104729) % 997) / 498.5 - 1;
    lv[i] = (i + 0.5) / n;
  }
  // grid j: alpha[(j*K+c)*q+k], phi[j*K+c], gamma[(j*K+c)*p+k] (component 0 = baseline)
  const alpha = core.f64From([0, 1, 2, -1, /* j=1 */ 1, 1, 2, 0]);
  const phi = core.f64From([0.5, 1, 1, 1]);
  const gamma = core.f64From([0, 0, 0.5, -1, /* j=1 */ 0, 0, -0.5, 1]);
  const rng = core.i32(4), y = core.f64(n), labels = core.i32(n), work = core.f64(K);
  core.kernels.rngSeed(rng, 17, 0);
  const rows = core.struct("Rows", { n, K, q, p, Z, X, aux }), curves = core.struct("Grid", { jl, jr, lam, alpha, phi, gamma });
  core.kernels.simulateMoE(rows, curves, rng, work, y, labels);
  const yv = y.view(), lab = labels.view();
  let expected1 = 0, got1 = 0, sumR = 0, sumR2 = 0, sumZ2 = 0;
  for (let i = 0; i < n; i++) {
    const u = lv[i], x = xv[i * 2 + 1], z = zv[i * 2 + 1];
    const l1 = (1 - u) * (0.5 - x) + u * (-0.5 + x);
    expected1 += 1 / (1 + Math.exp(-l1));
    const c = lab[i];
    if (c === 1) got1++;
    const mu = c === 0 ? u + z : 2 + (u - 1) * z;
    const sd = c === 0 ? 0.5 + 0.5 * u : 1;
    const r = (yv[i] - mu) / sd;
    sumR += r; sumR2 += r * r; sumZ2 += r * z;
  }
  const sdCount = Math.sqrt(expected1 * (1 - expected1 / n));
  expect(Math.abs(got1 - expected1)).toBeLessThan(4 * sdCount);
  expect(Math.abs(sumR / n)).toBeLessThan(4 / Math.sqrt(n));
  expect(Math.abs(sumR2 / n - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
  expect(Math.abs(sumZ2 / n)).toBeLessThan(4 / Math.sqrt(n));
});
