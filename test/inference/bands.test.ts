// confidenceBands(): the three critical values, their properties, the Gaussian
// multiplier against a direct simulation, and the bootstrap's reproducibility
// across worker counts and backends.
import { beforeAll, describe, expect, test } from "vitest";
import { curve } from "../../src/model/result.js";
import { confidenceBands, extremeValueCritical, fit, simulate, standardErrors, VCMoEInputError, type VCMoEFit } from "../../src/index.js";
import { mulberry32, normalGenerator } from "../helpers/random.js";

type Data = Awaited<ReturnType<typeof simulate>>["data"];
let data: Data;
let res: VCMoEFit;

beforeAll(async () => {
  ({ data } = await simulate({ n: 400, seed: 21 }));
  res = await fit(data, { K: 2, bandwidth: 0.2, grid: 15, seed: 2 });
}, 60_000);

/** Lower Cholesky factor with a tiny jitter (plain JS, independent of the core's). */
function cholesky(A: number[][]): number[][] {
  const m = A.length, L = A.map(() => new Array<number>(m).fill(0));
  for (let j = 0; j < m; j++) {
    let s = A[j][j] * (1 + 1e-9);
    for (let k = 0; k < j; k++) s -= L[j][k] ** 2;
    L[j][j] = Math.sqrt(Math.max(s, 1e-300));
    for (let i = j + 1; i < m; i++) {
      let t = A[i][j];
      for (let k = 0; k < j; k++) t -= L[i][k] * L[j][k];
      L[i][j] = t / L[j][j];
    }
  }
  return L;
}

describe("simultaneous bands", { timeout: 120_000 }, () => {
  test("every method: bands contain the estimate, are β̂ ± c·se, and c exceeds the pointwise z", async () => {
    for (const method of ["extreme-value", "multiplier", "bootstrap"] as const) {
      const b = await confidenceBands(res, data, { method, B: 20, workers: 2, seed: 3 });
      expect(b.curves.length).toBe(10);
      for (const c of b.curves) {
        expect(c.criticalValue).toBeGreaterThan(b.details.pointwiseCritical);
        c.estimate.forEach((v, j) => {
          expect(c.lower[j]).toBeLessThan(v);
          expect(c.upper[j]).toBeGreaterThan(v);
          expect(c.upper[j] - c.lower[j]).toBeCloseTo(2 * c.criticalValue * c.se[j], 10);
        });
      }
      // estimates are the fit's curves
      const fc = curve(res, "expert", 2, "z1");
      expect(curve(b, "expert", 2, "z1").estimate).toEqual(fc.values);
    }
  });

  test("extreme-value: the formula with h relative to the grid span, same for every curve", async () => {
    const b = await confidenceBands(res, data, { method: "extreme-value", level: 0.9 });
    const span = res.parameters.gridUnit[14] - res.parameters.gridUnit[0];
    const cv = extremeValueCritical("epanechnikov", 0.2 / span, 0.9).criticalValue;
    for (const c of b.curves) expect(c.criticalValue).toBe(cv);
    expect(b.details.extremeValue!.hRelative).toBeCloseTo(0.2 / span, 12);
  });

  test("multiplier critical value = direct simulation of max|N(0, R)| within Monte Carlo error", async () => {
    const se = await standardErrors(res, data, { covariance: true });
    const b = await confidenceBands(res, data, { method: "multiplier", draws: 20000, seed: 5 });
    const nrm = normalGenerator(mulberry32(99));
    for (const e of [0, 2, 6]) {
      const C = se.curves[e].covariance!;
      const m = C.length;
      // the diagonal of the cross-grid covariance is se²
      C.forEach((row, j) => expect(Math.sqrt(row[j])).toBeCloseTo(se.curves[e].se[j], 12));
      const R = C.map((row, j) => row.map((v, k) => v / Math.sqrt(C[j][j] * C[k][k])));
      const L = cholesky(R);
      const N = 20000, maxes = new Float64Array(N), xi = new Array<number>(m);
      for (let d = 0; d < N; d++) {
        for (let k = 0; k < m; k++) xi[k] = nrm();
        let mx = 0;
        for (let j = 0; j < m; j++) {
          let v = 0;
          for (let k = 0; k <= j; k++) v += L[j][k] * xi[k];
          mx = Math.max(mx, Math.abs(v));
        }
        maxes[d] = mx;
      }
      maxes.sort();
      const direct = maxes[Math.ceil(0.95 * N) - 1];
      // each 95% quantile from 20000 draws has a Monte Carlo sd of about 0.01
      expect(Math.abs(b.curves[e].criticalValue - direct), `curve ${e}: ${b.curves[e].criticalValue} vs ${direct}`).toBeLessThan(0.045);
    }
  });

  test("bootstrap: the same seed gives the same band on 1 or 2 workers, in this thread, and on the wasm and js backends", async () => {
    for (const type of ["parametric", "nonparametric"] as const) {
      const runs = [];
      for (const [workers, backend] of [[1, "wasm"], [2, "wasm"], [2, "js"], [0, "js"]] as const) {
        const b = await confidenceBands(res, data, { method: "bootstrap", bootstrap: type, B: 6, seed: 77, workers, backend });
        runs.push({ ...b, details: { ...b.details, bootstrap: { ...b.details.bootstrap!, workers: 0 } } });
      }
      expect(runs[0].details.bootstrap.succeeded).toBe(6);
      for (const r of runs.slice(1)) expect(r).toEqual(runs[0]);
      // a different seed changes the band
      const other = await confidenceBands(res, data, { method: "bootstrap", bootstrap: type, B: 6, seed: 78, workers: 2 });
      expect(other.curves[0].criticalValue).not.toBe(runs[0].curves[0].criticalValue);
    }
  });

  test("bootstrap progress reaches B; an abort rejects promptly", async () => {
    const seen: number[] = [];
    const b = await confidenceBands(res, data, { method: "bootstrap", B: 8, workers: 2, onProgress: (p) => { seen.push(p.done); expect(p.total).toBe(8); } });
    expect(Math.max(...seen)).toBe(8);
    expect(b.details.bootstrap!.statistics[0].length).toBe(8);
    const ac = new AbortController();
    const t0 = performance.now();
    const run = confidenceBands(res, data, { method: "bootstrap", B: 2000, workers: 2, signal: ac.signal, onProgress: () => ac.abort() });
    await expect(run).rejects.toThrow();
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  test("input errors name the argument", async () => {
    const bad: Array<[object, string]> = [
      [{ method: "bogus" }, "options.method"], [{ level: 1.2 }, "options.level"], [{ method: "bootstrap", B: 0 }, "options.B"],
      [{ bootstrap: "jackknife" }, "options.bootstrap"], [{ workers: -2 }, "options.workers"], [{ seed: 1.5 }, "options.seed"],
      [{ draws: 5 }, "options.draws"], [{ method: "bootstrap", B: 2, accelerate: "quick" }, "options.accelerate"],
    ];
    for (const [opts, arg] of bad) {
      await expect(confidenceBands(res, data, opts)).rejects.toSatisfy((e: unknown) => e instanceof VCMoEInputError && e.argument === arg);
    }
    // a fit saved before the accelerator had a name stored accelerate: true; its refits are Anderson's, as today's default
    const saved = { ...res, model: { ...res.model, settings: { ...res.model.settings!, accelerate: true } } } as unknown as VCMoEFit;
    const boot = { method: "bootstrap", B: 3, workers: 0 } as const;
    expect((await confidenceBands(saved, data, boot)).curves).toEqual((await confidenceBands(res, data, boot)).curves);
    const other = (await simulate({ n: 300, seed: 1 })).data;
    await expect(confidenceBands(res, other)).rejects.toSatisfy((e: unknown) => e instanceof VCMoEInputError && e.argument === "data");
    await expect(standardErrors({} as VCMoEFit, data)).rejects.toSatisfy((e: unknown) => e instanceof VCMoEInputError && e.argument === "fitResult");
    // nothing the caller passed was mutated
    const copy = JSON.stringify(data);
    await confidenceBands(res, data, { method: "bootstrap", bootstrap: "nonparametric", B: 3, workers: 0 });
    expect(JSON.stringify(data)).toBe(copy);
  });

  test("a local-align fit gets bands too", async () => {
    const la = await fit(data, { K: 2, bandwidth: 0.25, grid: 10, method: "local-align", seed: 2 });
    const m = await confidenceBands(la, data, { method: "multiplier" });
    const b = await confidenceBands(la, data, { method: "bootstrap", B: 6, workers: 2 });
    expect(m.curves.every((c) => Number.isFinite(c.criticalValue))).toBe(true);
    expect(b.details.bootstrap!.succeeded).toBe(6);
  });
});
