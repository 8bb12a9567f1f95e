// Hybrid models: constants estimated inside the label-consistent EM, their
// standard errors, and input checking.
import { describe, expect, test } from "vitest";
import { curve } from "../src/model/result.js";
import { fit, fitConstant, simulate, VCMoEInputError, type FitOptions, type VCMoEData } from "../src/index.js";
import { prepareData } from "../src/data/dataset.js";
import { createCore } from "../src/core/backend.js";
import { CoreData, GridState } from "../src/fit/workspace.js";
import { FAMILIES } from "../src/model/families/index.js";
import { runEM } from "../src/fit/em.js";
import { HybridSteps } from "../src/fit/hybrid.js";
import { resolveConstants } from "../src/model/constants.js";
import { makeSpec } from "../src/model/spec.js";
import { localGrid } from "../src/model/grid.js";
import { readReference } from "./helpers/data.js";

const tone = readReference("tonedata.csv");
const ALL_CONSTANT: FitOptions["constant"] = [{ part: "expert", term: "*" }, { part: "sigma" }, { part: "gating", term: "*" }];
const toneData = (gating: boolean): VCMoEData => ({
  y: tone.tuned, u: tone.tuned.map((_, i) => i), z: { stretchratio: tone.stretchratio },
  ...(gating ? { x: { stretchratio: tone.stretchratio } } : {}),
});

/** The component whose expert looks like mixtools' component A (intercept near 1.9). */
const compA = (est: Array<{ part: string; component: number; term: string; estimate: number }>) =>
  est.find((e) => e.part === "expert" && e.term === "(Intercept)" && e.estimate > 1)!.component;
const pick = (est: Array<{ part: string; component: number; term: string; estimate: number }>, part: string, c: number, term: string) =>
  est.find((e) => e.part === part && e.component === c && e.term === term)!.estimate;

describe("fully constant hybrid = ordinary mixture of experts (tonedata, mixtools references)", () => {
  // data/README.md: regmixEM 141.1984; hmeEM (gating on stretchratio) 142.8480
  const refs = [
    { gating: false, ll: 141.1984, A: [1.91638, 0.042549, 0.046192], B: [-0.019275, 0.992296, 0.132834] },
    { gating: true, ll: 142.848, A: [1.91322, 0.043687, 0.047099], B: [-0.029491, 0.995668, 0.13728], logitAvsB: [2.67797, -0.791828] },
  ];
  for (const ref of refs) {
    test(`gating covariate: ${ref.gating}`, async () => {
      const f = await fit(toneData(ref.gating), { K: 2, bandwidth: 0.3, constant: ALL_CONSTANT, tol: 1e-12 });
      expect(Math.abs(f.logLik - ref.ll)).toBeLessThan(2e-4);
      const est = f.constants!.estimates;
      const a = compA(est), b = 3 - a;
      for (const [c, vals] of [[a, ref.A], [b, ref.B]] as const) {
        expect(pick(est, "expert", c, "(Intercept)")).toBeCloseTo(vals[0], 3);
        expect(pick(est, "expert", c, "stretchratio")).toBeCloseTo(vals[1], 4);
        expect(pick(est, "sigma", c, "sigma")).toBeCloseTo(vals[2], 4);
      }
      if (ref.logitAvsB) {
        // the fit's contrast is component 2 vs component 1
        const sign = a === 1 ? -1 : 1;
        expect(sign * pick(est, "gating", 2, "(Intercept)")).toBeCloseTo(ref.logitAvsB[0], 3);
        expect(sign * pick(est, "gating", 2, "stretchratio")).toBeCloseTo(ref.logitAvsB[1], 3);
      }
      // every curve is flat
      for (const cv of f.curves) expect(Math.max(...cv.values) - Math.min(...cv.values)).toBeLessThan(1e-12);
      const fc = await fitConstant(toneData(ref.gating), { K: 2 });
      expect(Math.abs(f.logLik - fc.logLik)).toBeLessThan(1e-6);
    });
  }

  test("the hybrid steps reach the optimum from a poor start (u = stretchratio)", async () => {
    const data = { ...toneData(true), u: tone.stretchratio };
    const opts: FitOptions = { K: 2, bandwidth: 0.3 };
    const ds = prepareData(data, opts);
    const spec = makeSpec(opts, ds);
    const core = await createCore("wasm");
    const cd = new CoreData(core, ds, 2, FAMILIES.gaussian);
    const st = new GridState(cd, localGrid(ds, spec.grid, spec.h, spec.kernel));
    const m = st.m;
    // start well away from the optimum: lines 1.7 + 0.1x and 0.3 + 0.7x, sigmas 0.2, gating 0
    for (let j = 0; j < m; j++) {
      st.alpha.view().set([1.7, 0.1, 0.3, 0.7], j * 4);
      st.phi.view().set([0.2, 0.2], j * 2);
    }
    const hy = new HybridSteps(st, resolveConstants(ALL_CONSTANT, ds, 2)!);
    const tr = runEM(st, { maxIter: 5000, tol: 1e-13, sigmaFloor: 1e-4, maxNewton: 1 }, () => hy.mstep({ sigmaFloor: 1e-4, maxNewton: 1 }));
    expect(tr.path[0]).toBeLessThan(100); // a genuinely poor start
    expect(tr.converged).toBe(true);
    expect(tr.decreases).toBe(0); // with every coefficient constant this is the ordinary (monotone) EM
    expect(Math.abs(tr.logLik - 142.848)).toBeLessThan(2e-4);
  });
});

describe("standard errors of the constants", () => {
  test("fully constant model: inverse information = finite-difference Hessian of the mixture log-likelihood", async () => {
    const data = toneData(true);
    const f = await fit(data, { K: 2, bandwidth: 0.3, constant: ALL_CONSTANT, tol: 1e-13 });
    const est = f.constants!.estimates;
    // θ = (a10, a11, a20, a21, s1, s2, g0, g1) in the order of `est`
    const theta = est.map((e) => e.estimate);
    const x = tone.stretchratio, y = tone.tuned;
    const ll = (th: number[]) => {
      let s = 0;
      for (let i = 0; i < y.length; i++) {
        const l2 = th[6] + th[7] * x[i];
        const p2 = 1 / (1 + Math.exp(-l2)), p1 = 1 - p2;
        const d = (mu: number, sg: number) => Math.exp(-0.5 * ((y[i] - mu) / sg) ** 2) / (sg * Math.sqrt(2 * Math.PI));
        s += Math.log(p1 * d(th[0] + th[1] * x[i], th[4]) + p2 * d(th[2] + th[3] * x[i], th[5]));
      }
      return s;
    };
    const D = theta.length;
    const H = new Float64Array(D * D);
    for (let a = 0; a < D; a++) {
      for (let b = 0; b <= a; b++) {
        const ha = 1e-4 * Math.max(1e-2, Math.abs(theta[a])), hb = 1e-4 * Math.max(1e-2, Math.abs(theta[b]));
        const at = (da: number, db: number) => { const t = theta.slice(); t[a] += da; t[b] += db; return ll(t); };
        const v = -(at(ha, hb) - at(ha, -hb) - at(-ha, hb) + at(-ha, -hb)) / (4 * ha * hb);
        H[a * D + b] = v; H[b * D + a] = v;
      }
    }
    // invert by Gauss-Jordan
    const A = Array.from({ length: D }, (_, r) => [...Array.from(H.subarray(r * D, (r + 1) * D)), ...Array.from({ length: D }, (_, c) => (c === r ? 1 : 0))]);
    for (let c = 0; c < D; c++) {
      let piv = c;
      for (let r = c + 1; r < D; r++) if (Math.abs(A[r][c]) > Math.abs(A[piv][c])) piv = r;
      [A[c], A[piv]] = [A[piv], A[c]];
      const d = A[c][c];
      for (let k = 0; k < 2 * D; k++) A[c][k] /= d;
      for (let r = 0; r < D; r++) if (r !== c) { const fct = A[r][c]; for (let k = 0; k < 2 * D; k++) A[r][k] -= fct * A[c][k]; }
    }
    est.forEach((e, a) => {
      expect(Math.abs(e.seInformation / Math.sqrt(A[a][D + a]) - 1)).toBeLessThan(2e-3);
      expect(e.se).toBeGreaterThan(0);
    });
  });

  test("a truly constant expert slope is recovered at root-n accuracy, SE consistent with the Monte Carlo spread", async () => {
    // ws scenario (method.md) with the slope of component 1 held at its average over u, 0.675
    const truth = 0.675, ests: number[] = [], ses: number[] = [];
    for (let seed = 1; seed <= 8; seed++) {
      const s = await simulate({ n: 500, seed });
      const y = s.data.y.map((yi, i) => {
        if (s.component[i] !== 1) return yi;
        const tr = s.truth(s.data.u[i]), z = s.data.z.z1[i];
        const eps = (yi - tr.alpha[0][0] - tr.alpha[0][1] * z) / tr.sigma[0];
        return tr.alpha[0][0] + truth * z + tr.sigma[0] * eps;
      });
      const data = { ...s.data, y };
      // the component with the lower intercept is true component 1 (labels are arbitrary)
      const probe = await fit(data, { K: 2, bandwidth: 0.25, constant: [{ part: "expert", term: "(Intercept)" }] });
      const c1 = pick(probe.constants!.estimates, "expert", 1, "(Intercept)") < pick(probe.constants!.estimates, "expert", 2, "(Intercept)") ? 1 : 2;
      const f = await fit(data, { K: 2, bandwidth: 0.25, constant: [{ part: "expert", component: c1, term: "z1" }] });
      const e = f.constants!.estimates[0];
      expect(e).toMatchObject({ part: "expert", component: c1, term: "z1" });
      expect(Math.abs(e.estimate - truth)).toBeLessThan(3.5 * e.se);
      // the constant curve is flat and equals the estimate; the other slope still varies
      const cv = curve(f, "expert", c1, "z1").values;
      expect(Math.max(...cv.map((v) => Math.abs(v - e.estimate)))).toBeLessThan(1e-12);
      const other = curve(f, "expert", 3 - c1, "z1").values;
      expect(Math.max(...other) - Math.min(...other)).toBeGreaterThan(0.01);
      ests.push(e.estimate); ses.push(e.se);
    }
    const mean = ests.reduce((a, b) => a + b) / ests.length;
    const sd = Math.sqrt(ests.reduce((a, b) => a + (b - mean) ** 2, 0) / (ests.length - 1));
    const meanSE = ses.reduce((a, b) => a + b) / ses.length;
    expect(Math.abs(mean - truth)).toBeLessThan(3 * meanSE / Math.sqrt(ests.length));
    // 8 replications: the sd estimate itself has ~25% relative error
    expect(meanSE / sd).toBeGreaterThan(0.5);
    expect(meanSE / sd).toBeLessThan(2);
  }, 60000);

  test("an indefinite local information (label-consistent fixed point) does not blow up the SE", async () => {
    // ws with the component-1 slope constant, seed 70: the local observed information of the
    // varying coefficients is indefinite at several grid points (found in the GLRT study)
    const s = await simulate({ n: 500, seed: 70 });
    const y = s.data.y.map((yi, i) => {
      if (s.component[i] !== 1) return yi;
      const tr = s.truth(s.data.u[i]), z = s.data.z.z1[i];
      return tr.alpha[0][0] + 0.675 * z + (yi - tr.alpha[0][0] - tr.alpha[0][1] * z);
    });
    // labels are arbitrary: hold constant the slope of the fitted component that is ws component 1 (lower intercept)
    const plain = await fit({ ...s.data, y }, { K: 2, bandwidth: 0.25, refine: false });
    const ic = (k: number) => curve(plain, "expert", k, "(Intercept)").values.reduce((a, b) => a + b);
    const c1 = ic(1) < ic(2) ? 1 : 2;
    const f = await fit({ ...s.data, y }, { K: 2, bandwidth: 0.25, refine: false, constant: [{ part: "expert", component: c1, term: "z1" }] });
    const c = f.constants!;
    expect(c.scoreCovarianceGridPoints).toBeGreaterThan(0);
    expect(c.estimates[0].se).toBeGreaterThan(0.015);
    expect(c.estimates[0].se).toBeLessThan(0.06);
    expect(Math.abs(c.estimates[0].estimate - 0.675)).toBeLessThan(3 * c.estimates[0].se);
  });

  test("a truly constant gating slope is recovered (contrast scale)", async () => {
    // labels drawn with logit(1 vs 2) = η(u) + 0.175·x1 (0.175 = average of the ws η_x(u))
    let state = 12345;
    const rand = () => { state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) | 0; return ((state >>> 0) + 0.5) / 4294967296; };
    const ests: number[] = [], ses: number[] = [];
    for (let seed = 1; seed <= 4; seed++) {
      const s = await simulate({ n: 800, seed });
      const comp: number[] = [];
      const y = s.data.u.map((u, i) => {
        const tr = s.truth(u), x = s.data.x.x1[i], z = s.data.z.z1[i];
        const logit = -0.2 + 0.7 * (u - 0.5) + 0.175 * x;
        const c = rand() < 1 / (1 + Math.exp(-logit)) ? 0 : 1;
        comp.push(c);
        const e = Math.sqrt(-2 * Math.log(rand())) * Math.cos(2 * Math.PI * rand());
        return tr.alpha[c][0] + tr.alpha[c][1] * z + tr.sigma[c] * e;
      });
      const data = { ...s.data, y };
      const f = await fit(data, { K: 2, bandwidth: 0.25, constant: [{ part: "gating", term: "x1" }] });
      // fitted component 1 = true component 1 when its posterior agrees with the true labels
      let agree = 0;
      f.posteriors.forEach((r, i) => { if ((r[0] > 0.5 ? 0 : 1) === comp[i]) agree++; });
      const sign = agree > y.length / 2 ? -1 : 1; // contrast 2 vs 1 is −(logit 1 vs 2) when labels match
      const e = f.constants!.estimates[0];
      expect(e).toMatchObject({ part: "gating", component: 2, term: "x1" });
      expect(Math.abs(sign * e.estimate - 0.175)).toBeLessThan(3.5 * e.se);
      ests.push(sign * e.estimate); ses.push(e.se);
    }
    const mean = ests.reduce((a, b) => a + b) / ests.length;
    expect(Math.abs(mean - 0.175)).toBeLessThan(3 * (ses.reduce((a, b) => a + b) / ses.length) / 2);
  }, 60000);
});

describe("hybrid fits: backends and inputs", () => {
  test("wasm and js give identical hybrid fits", async () => {
    const { data } = await simulate({ n: 300, seed: 4 });
    const opts: FitOptions = { K: 2, bandwidth: 0.3, grid: 20, constant: [{ part: "expert", component: 1, term: "z1" }, { part: "sigma" }, { part: "gating", term: "x1" }] };
    const a = await fit(data, { ...opts, backend: "wasm" });
    const b = await fit(data, { ...opts, backend: "js" });
    expect(a.logLik).toBe(b.logLik);
    expect(a.constants!.estimates).toEqual(b.constants!.estimates);
    expect(a.parameters).toEqual(b.parameters);
  });

  test("bad constant specifications name the argument", async () => {
    const { data } = await simulate({ n: 200, seed: 1 });
    const bad: Array<[unknown, string]> = [
      [[{ part: "expert", term: "nope" }], "options.constant[0].term"],
      [[{ part: "expert" }], "options.constant[0].term"],
      [[{ part: "gating", component: 1, term: "x1" }], "options.constant[0].component"],
      [[{ part: "sigma", component: 3 }], "options.constant[0].component"],
      [[{ part: "weights" }], "options.constant[0].part"],
      [[{ part: "sigma", comp: 1 }], "options.constant[0].comp"],
      [{ part: "sigma" }, "options.constant"],
    ];
    for (const [constant, argument] of bad) {
      const err = await fit(data, { K: 2, bandwidth: 0.3, constant: constant as FitOptions["constant"] }).catch((e) => e);
      expect(err).toBeInstanceOf(VCMoEInputError);
      expect(err.argument).toBe(argument);
    }
    const err = await fit(data, { K: 2, bandwidth: 0.3, method: "local-align", constant: [{ part: "sigma" }] }).catch((e) => e);
    expect(err).toBeInstanceOf(VCMoEInputError);
    expect(err.argument).toBe("options.constant");
  });

  test("the caller's constant list is not mutated", async () => {
    const { data } = await simulate({ n: 200, seed: 2 });
    const constant: FitOptions["constant"] = [{ part: "sigma", component: "all" }];
    const copy = JSON.parse(JSON.stringify(constant));
    await fit(data, { K: 2, bandwidth: 0.3, grid: 10, constant });
    expect(constant).toEqual(copy);
  });
});
