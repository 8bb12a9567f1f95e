// The label-consistent EM as an ascent method: the smoothed E-step against a direct
// computation of its formula, the objective path of fits in every family, the
// refinement's identity guard, and the "crossing" scenario (intercepts that cross at
// mid-u), where labels must not switch and curves must not zig-zag.
import { describe, expect, test } from "vitest";
import { fit, integratedSquaredError, simulate, type FitOptions, type VCMoEFit } from "../src/index.js";
import { prepareData } from "../src/data/dataset.js";
import { createCore, type BackendName } from "../src/core/backend.js";
import { CoreData, GridState } from "../src/fit/workspace.js";
import { keepsIdentity } from "../src/fit/refine.js";
import { makeSpec } from "../src/model/spec.js";
import { applyFamily, FAMILIES } from "../src/model/families/index.js";
import { localGrid } from "../src/model/grid.js";

/** log n! by summation (independent of the core's lgamma). */
const logFactorial = (y: number) => { let s = 0; for (let k = 2; k <= y; k++) s += Math.log(k); return s; };

async function smallState(family: "gaussian" | "poisson", backend: BackendName) {
  const sim = await simulate({ family, K: 2, n: 200, seed: 4, ...(family === "gaussian" ? {} : { scenario: "mix" as const }) });
  const opts: FitOptions = { K: 2, bandwidth: 0.3, grid: 9, family };
  const ds = prepareData(sim.data, opts);
  applyFamily(ds, FAMILIES[family]);
  const spec = makeSpec(opts, ds);
  const cd = new CoreData(await createCore(backend), ds, 2, FAMILIES[family]);
  const state = new GridState(cd, localGrid(ds, spec.grid, spec.h, spec.kernel));
  // arbitrary, smoothly varying parameters (the formula holds for any)
  const { m } = state, K = 2, q = ds.q, p = ds.p;
  const a = state.alpha.view(), aS = state.alphaS.view(), ph = state.phi.view(), g = state.gamma.view(), gS = state.gammaS.view();
  for (let j = 0; j < m; j++) {
    for (let c = 0; c < K; c++) {
      for (let k = 0; k < q; k++) { a[(j * K + c) * q + k] = (c ? -0.6 : 0.7) + 0.3 * Math.sin(j + k) + (family === "poisson" ? 1 : 0); aS[(j * K + c) * q + k] = 0.1 * Math.cos(j - c + k); }
      ph[j * K + c] = 0.4 + 0.05 * c + 0.02 * j;
      for (let k = 0; k < p; k++) { g[(j * K + c) * p + k] = c === 0 ? 0 : 0.3 - 0.1 * j + 0.2 * k; gS[(j * K + c) * p + k] = c === 0 ? 0 : 0.05 * (k + 1); }
    }
  }
  return { state, ds, family };
}

describe("smoothed E-step (assembly/estep.ts estepSmoothed)", () => {
  for (const family of ["gaussian", "poisson"] as const) {
    test(`${family}: posteriors and ℓ_S equal the kernel-weighted average of the local fits' log densities`, async () => {
      for (const backend of ["wasm", "js"] as const) {
        const { state, ds } = await smallState(family, backend);
        const lS = state.estepSmoothed();
        const R = state.data.R.view();
        const K = 2, { q, p } = ds, grid = state.g.view(), h = state.local.h;
        const a = state.alpha.view(), aS = state.alphaS.view(), ph = state.phi.view(), g = state.gamma.view(), gS = state.gammaS.view();
        let expected = 0, worst = 0;
        for (let i = 0; i < ds.n; i++) {
          const acc = [0, 0];
          let S = 0;
          for (let j = 0; j < state.m; j++) {
            const s = (ds.t[i] - grid[j]) / h;
            if (Math.abs(s) >= 1) continue;
            const kw = 0.75 * (1 - s * s);
            S += kw;
            const logits = [0, 1].map((c) => { let l = 0; for (let k = 0; k < p; k++) l += ds.X[i * p + k] * (g[(j * K + c) * p + k] + gS[(j * K + c) * p + k] * s); return l; });
            const lse = Math.log(Math.exp(logits[0]) + Math.exp(logits[1]));
            for (let c = 0; c < K; c++) {
              let eta = ds.offset ? ds.offset[i] : 0;
              for (let k = 0; k < q; k++) eta += ds.Z[i * q + k] * (a[(j * K + c) * q + k] + aS[(j * K + c) * q + k] * s);
              const y = ds.y[i];
              const logf = family === "gaussian"
                ? -0.5 * Math.log(2 * Math.PI) - Math.log(ph[j * K + c]) - 0.5 * ((y - eta) / ph[j * K + c]) ** 2
                : y * eta - Math.exp(eta) - logFactorial(y);
              acc[c] += kw * (logits[c] - lse + logf);
            }
          }
          expect(S).toBeGreaterThan(0);
          const av = acc.map((v) => v / S), mx = Math.max(...av);
          const den = Math.exp(av[0] - mx) + Math.exp(av[1] - mx);
          expected += ds.w[i] * S * (mx + Math.log(den));
          for (let c = 0; c < K; c++) worst = Math.max(worst, Math.abs(R[i * K + c] - Math.exp(av[c] - mx) / den));
        }
        expect(worst, `${backend}: largest posterior difference`).toBeLessThan(1e-12);
        expect(Math.abs(lS - expected) / Math.abs(expected), `${backend}: ℓ_S ${lS} vs ${expected}`).toBeLessThan(1e-12);
      }
    });
  }
});

/** Every step's objective at least the previous one's (up to roundoff). */
function expectAscent(res: VCMoEFit, label: string): void {
  const path = res.diagnostics.objectivePath;
  expect(path.length, label).toBeGreaterThan(2);
  for (let k = 1; k < path.length; k++) {
    expect(path[k] - path[k - 1], `${label}: objective fell at step ${k} (${path[k - 1]} -> ${path[k]})`).toBeGreaterThanOrEqual(-1e-10 * Math.abs(path[k - 1]));
  }
  expect(res.diagnostics.objectiveDecreases, label).toBe(0);
  expect(res.converged, label).toBe(true);
}

describe("the label-consistent EM increases its objective at every iteration", () => {
  const cases: Array<[string, Parameters<typeof simulate>[0], FitOptions]> = [
    ["gaussian ws", { n: 600, seed: 3 }, { K: 2, bandwidth: 0.25 }],
    ["gaussian crossing", { n: 600, seed: 3, scenario: "crossing" }, { K: 2, bandwidth: 0.25 }],
    ["gaussian K = 3", { n: 900, seed: 3, scenario: "sep3" }, { K: 3, bandwidth: 0.25 }],
    ["binomial", { family: "binomial", K: 2, n: 600, seed: 3 }, { family: "binomial", K: 2, bandwidth: 0.3 }],
    ["poisson", { family: "poisson", K: 2, n: 600, seed: 3 }, { family: "poisson", K: 2, bandwidth: 0.3 }],
    ["negative binomial", { family: "negbin", K: 2, n: 600, seed: 3 }, { family: "negbin", K: 2, bandwidth: 0.3 }],
  ];
  for (const [label, sim, opts] of cases) {
    test(label, async () => {
      const { data } = await simulate(sim);
      // accelerated (Anderson) and plain EM: both must ascend (an extrapolation that would not is rejected)
      expectAscent(await fit(data, opts), `${label}, accelerated`);
      expectAscent(await fit(data, { ...opts, accelerate: false }), `${label}, plain EM`);
    });
  }
});

describe("the refinement's identity guard", () => {
  test("parameters with two components' experts swapped at a grid point change identity; the same parameters do not", async () => {
    const { data } = await simulate({ n: 500, seed: 2 });
    const opts: FitOptions = { K: 2, bandwidth: 0.25, grid: 15 };
    const res = await fit(data, opts);
    const ds = prepareData(data, opts);
    const spec = makeSpec(opts, ds);
    const cd = new CoreData(await createCore("wasm"), ds, 2, FAMILIES.gaussian);
    const state = new GridState(cd, localGrid(ds, spec.grid, spec.h, spec.kernel));
    const P = { m: state.m, ...Object.fromEntries(["alpha", "alphaS", "phi", "gamma", "gammaS"].map((k) => [k, Float64Array.from((res.parameters as any)[k])])) } as any;
    state.write(P);
    const swapped = structuredClone(P);
    const j = 7, q = ds.q;
    for (const key of ["alpha", "alphaS"] as const) {
      for (let k = 0; k < q; k++) {
        const a = swapped[key][(j * 2) * q + k];
        swapped[key][(j * 2) * q + k] = swapped[key][(j * 2 + 1) * q + k];
        swapped[key][(j * 2 + 1) * q + k] = a;
      }
    }
    [swapped.phi[j * 2], swapped.phi[j * 2 + 1]] = [swapped.phi[j * 2 + 1], swapped.phi[j * 2]];
    expect(keepsIdentity(state, j, P, P)).toBe(true);
    expect(keepsIdentity(state, j, P, swapped)).toBe(false);
    expect(keepsIdentity(state, j + 1, P, swapped)).toBe(true); // other grid points untouched
  });
});

describe("crossing scenario: expert intercepts cross at mid-u (simulate({ scenario: 'crossing' }))", () => {
  const SEEDS = [1, 4, 6]; // 4 and 6 fitted "bouncing" curves when the start was screened for 3 iterations only

  /** Largest change of any curve between neighbouring grid points. */
  const largestJump = (res: VCMoEFit) => Math.max(...res.curves.map((c) => Math.max(...c.values.slice(1).map((v, j) => Math.abs(v - c.values[j])))));

  test("labels follow the true components along the whole range, no curve zig-zags, and refinement does not beat the default", async () => {
    let iseDefault = 0, iseRefined = 0;
    for (const seed of SEEDS) {
      const sim = await simulate({ n: 1000, seed, scenario: "crossing" });
      const res = await fit(sim.data, { K: 2, bandwidth: 0.25 });
      // each fitted component matches the same true component at every grid point
      const cur = (c: number, term: string) => res.curves.find((x) => x.part === "expert" && x.component === c && x.term === term)!.values;
      const matched = res.grid.map((u, j) => {
        const tr = sim.truth(u);
        const cost = (perm: number[]) => perm.reduce((s, t, c) => s + (cur(c + 1, "(Intercept)")[j] - tr.alpha[t][0]) ** 2 + (cur(c + 1, "z1")[j] - tr.alpha[t][1]) ** 2, 0);
        return cost([0, 1]) <= cost([1, 0]) ? 0 : 1;
      });
      expect(new Set(matched).size, `seed ${seed}: fitted labels swap true components along u`).toBe(1);
      // the truth changes by at most 0.032 between neighbouring grid points; a zig-zag (a label switch at one grid point) would jump by 0.3 or more
      expect(largestJump(res), `seed ${seed}`).toBeLessThan(0.1);
      const refined = await fit(sim.data, { K: 2, bandwidth: 0.25, refine: true });
      expect(largestJump(refined), `seed ${seed}, refined`).toBeLessThan(0.15);
      // refinement holds the gating and the dispersion at their label-consistent values
      for (const c of res.curves.filter((x) => x.part !== "expert")) {
        expect(refined.curves.find((x) => x.part === c.part && x.component === c.component && x.term === c.term)!.values).toEqual(c.values);
      }
      iseDefault += integratedSquaredError(res, sim.truth, ["expert"]).total;
      iseRefined += integratedSquaredError(refined, sim.truth, ["expert"]).total;
      expect(integratedSquaredError(res, sim.truth, ["expert"]).total, `seed ${seed}`).toBeLessThan(0.02);
    }
    expect(iseDefault).toBeLessThanOrEqual(iseRefined);
  }, 60_000);
});
