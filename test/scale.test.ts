// Units: results are equivariant to the units of y, z, x and u (src/fit/scaling.ts).
// A fit on data with one column multiplied by a factor must give, after the curves are
// divided by what the units predict, the curves of the fit on the original data; logLik
// moves by −Σw·log(factor) when y is rescaled (the Jacobian of the density) and not at all
// otherwise; standard errors scale like their curves; statistics without units (GLRT λ,
// posteriors) do not move.
//
// Tolerance 1e-6 (relative to each curve's largest magnitude): a factor such as 1e9 is not a
// power of two, so the internal data (src/fit/scaling.ts) are the original ones times a
// residual factor in [√½, √2) (1e9 = 0.93·2³⁰). Plain EM maps are equivariant, and those fits
// agree to rounding (1e-12 below); the accelerators' steps (Anderson's least-squares combination
// in the label-consistent EM, SQUAREM's step length ‖r‖/‖v‖ in the initialisation) mix the
// coefficients' units, so the accelerated EM (the default) takes another path to the same fixed
// point and stops elsewhere within its convergence accuracy: it stops when the objective gained
// less than tol·(|ℓ| + 1) over three EM steps, which
// leaves the parameters within about √(tol·|ℓ|/curvature) of the fixed point (measured
// 1e-7..7e-7 at tol = 1e-12 here, with SQUAREM). Factors that are powers of two change nothing but
// exponents, and those fits agree exactly.
import { describe, expect, test } from "vitest";
import { confidenceBands, fit, fitConstant, glrt, selectBandwidth, selectK, simulate, standardErrors } from "../src/index.js";
import type { Curve, VCMoEFit } from "../src/model/result.js";
import type { FitOptions } from "../src/model/spec.js";
import { nearestPowerOfTwo } from "../src/fit/scaling.js";
import { rescaled, unitFactor, type Column } from "../bench/units.mjs";

type Data = Awaited<ReturnType<typeof simulate>>["data"] & { weights?: number[] };

/** Largest difference of the back-scaled curves, relative to each curve's largest magnitude. */
function curveDifference(a: Array<Curve & { values: number[] }>, b: typeof a, col: Column, f: number, gaussian = true): number {
  let worst = 0;
  a.forEach((ca, e) => {
    const cb = b[e];
    expect([cb.part, cb.component, cb.term]).toEqual([ca.part, ca.component, ca.term]);
    const s = unitFactor(ca, col, f, gaussian);
    const size = Math.max(...ca.values.map(Math.abs));
    ca.values.forEach((v, j) => { worst = Math.max(worst, Math.abs(cb.values[j] / s - v) / size); });
  });
  return worst;
}

function weightSum(d: Data): number {
  return d.weights ? d.weights.reduce((a, b) => a + b, 0) : d.y.length;
}

const OPTS = { K: 2, bandwidth: 0.3, grid: 8, tol: 1e-12, maxIter: 5000 } as const;

describe("units (Gaussian)", async () => {
  const sim = await simulate({ n: 300, seed: 3 });
  const d: Data = sim.data;
  const base = await fit(d, OPTS);

  test.each([
    ["y", 1e-9], ["y", 1e9], ["z1", 1e-9], ["z1", 1e9], ["x1", 1e-9], ["x1", 1e9], ["u", 1e-9], ["u", 1e9],
  ] as Array<[Column, number]>)("%s × %s: same curves after back-scaling, logLik shifted by the Jacobian only", async (col, f) => {
    const r = await fit(rescaled(d, col, f), OPTS);
    expect(r.converged).toBe(true);
    expect(curveDifference(base.curves, r.curves, col, f)).toBeLessThan(1e-6);
    const shift = col === "y" ? -d.y.length * Math.log(f) : 0;
    expect(Math.abs(r.logLik - shift - base.logLik)).toBeLessThan(1e-8 * Math.abs(base.logLik));
    expect(r.diagnostics.warnings).toEqual(base.diagnostics.warnings);
    // σ floor and u grid in the caller's units
    expect(r.model.sigmaFloor / (col === "y" ? f : 1)).toBeCloseTo(base.model.sigmaFloor, 12);
    r.grid.forEach((g, j) => expect(g / (col === "u" ? f : 1)).toBeCloseTo(base.grid[j], 12));
  });

  test("plain EM maps (no SQUAREM): the paths are equivariant, curves agree to rounding", async () => {
    const o = { ...OPTS, accelerate: false };
    const a = await fit(d, o);
    for (const [col, f] of [["y", 1e9], ["z1", 1e-9], ["x1", 1e9]] as Array<[Column, number]>) {
      const r = await fit(rescaled(d, col, f), o);
      expect(r.iterations).toBe(a.iterations);
      expect(curveDifference(a.curves, r.curves, col, f)).toBeLessThan(1e-12);
    }
  });

  test("the WebAssembly and JavaScript backends agree bit for bit on standardised fits", async () => {
    const e = rescaled(rescaled(d, "y", 1e9), "x1", 1e-9);
    const a = await fit(e, { ...OPTS, tol: 1e-8, backend: "wasm" }), b = await fit(e, { ...OPTS, tol: 1e-8, backend: "js" });
    expect(b.curves).toEqual(a.curves);
    expect(b.logLik).toBe(a.logLik);
    expect(b.diagnostics.objectivePath).toEqual(a.diagnostics.objectivePath);
  });

  test("powers of two: bit-identical fits after back-scaling (the scales absorb them exactly)", async () => {
    for (const [col, f] of [["y", 2 ** 30], ["z1", 2 ** -30], ["x1", 2 ** 30]] as Array<[Column, number]>) {
      const r = await fit(rescaled(d, col, f), OPTS);
      expect(curveDifference(base.curves, r.curves, col, f)).toBe(0);
      expect(r.posteriors).toEqual(base.posteriors);
      expect(r.logLik - (col === "y" ? -d.y.length * Math.log(f) : 0)).toBeCloseTo(base.logLik, 9);
    }
  });

  test("weighted rows: y × 1e-9 shifts logLik by −Σw·log(1e-9)", async () => {
    const wd: Data = { ...d, weights: d.y.map((_, i) => 0.5 + (i % 4)) };
    const a = await fit(wd, OPTS);
    const b = await fit(rescaled(wd, "y", 1e-9), OPTS);
    expect(curveDifference(a.curves, b.curves, "y", 1e-9)).toBeLessThan(1e-6);
    const shift = -weightSum(wd) * Math.log(1e-9);
    expect(Math.abs(b.logLik - shift - a.logLik)).toBeLessThan(1e-8 * Math.abs(a.logLik));
    // the EM's objective (smoothed log-likelihood) and the initialisation's log-likelihoods move too
    const p0 = a.diagnostics.objectivePath, p1 = b.diagnostics.objectivePath;
    // ℓ_S = Σ_i w_i S_i log Σ_c exp(a_ic) with S_i = Σ_j K((t_i − g_j)/h): its Jacobian counts row i S_i times
    const uMin = Math.min(...wd.u), uRange = Math.max(...wd.u) - uMin;
    let wS = 0;
    wd.u.forEach((u, i) => {
      for (const g of a.parameters.gridUnit) { const s = ((u - uMin) / uRange - g) / OPTS.bandwidth; if (Math.abs(s) < 1) wS += wd.weights![i] * 0.75 * (1 - s * s); }
    });
    const pathShift = p1[p1.length - 1] - p0[p0.length - 1];
    expect(Math.abs(pathShift + wS * Math.log(1e-9))).toBeLessThan(1e-6 * Math.abs(pathShift));
    expect(Math.abs(b.diagnostics.initialisation.logLik - shift - a.diagnostics.initialisation.logLik)).toBeLessThan(1e-6 * Math.abs(shift));
  });

  test("standard errors and bands scale with their curves; critical values do not move", async () => {
    const se0 = await standardErrors(base, d);
    const b0 = await confidenceBands(base, d, { method: "multiplier", draws: 2000 });
    for (const [col, f] of [["y", 1e9], ["z1", 1e-9], ["x1", 1e9]] as Array<[Column, number]>) {
      const dd = rescaled(d, col, f);
      const r = await fit(dd, OPTS);
      const se = await standardErrors(r, dd);
      const b = await confidenceBands(r, dd, { method: "multiplier", draws: 2000 });
      se0.curves.forEach((c, e) => {
        const s = unitFactor(c, col, f), size = Math.max(...c.se);
        c.se.forEach((v, j) => expect(Math.abs(se.curves[e].se[j] / s - v) / size).toBeLessThan(1e-5));
        expect(Math.abs(b.curves[e].criticalValue - b0.curves[e].criticalValue)).toBeLessThan(1e-5);
        const hw0 = b0.curves[e].upper.map((u, j) => u - b0.curves[e].estimate[j]);
        b.curves[e].upper.forEach((u, j) => expect(Math.abs((u - b.curves[e].estimate[j]) / s - hw0[j]) / Math.max(...hw0)).toBeLessThan(1e-5));
      });
    }
  });

  test("y × 1e-300 (values near the bottom of double precision): no σ floor, logLik shifted", async () => {
    const r = await fit(rescaled(d, "y", 1e-300), OPTS);
    expect(r.diagnostics.sigmaFloored).toEqual([]);
    expect(curveDifference(base.curves, r.curves, "y", 1e-300)).toBeLessThan(1e-6);
    expect(Math.abs(r.logLik + d.y.length * Math.log(1e-300) - base.logLik)).toBeLessThan(1e-8 * Math.abs(base.logLik));
  });

  test("hybrid fit: constant coefficients, their standard errors and covariance in the caller's units", async () => {
    const o: FitOptions = { ...OPTS, constant: [{ part: "expert", component: 1, term: "z1" }] };
    const a = await fit(d, o);
    const f = 1e9;
    const b = await fit(rescaled(d, "y", f), o);
    const ea = a.constants!.estimates[0], eb = b.constants!.estimates[0];
    expect(Math.abs(eb.estimate / f - ea.estimate)).toBeLessThan(1e-6 * Math.abs(ea.estimate));
    expect(Math.abs(eb.se / f - ea.se)).toBeLessThan(1e-5 * ea.se);
    expect(Math.abs(b.constants!.covariance[0][0] / f ** 2 - a.constants!.covariance[0][0])).toBeLessThan(1e-5 * a.constants!.covariance[0][0]);
  });

  test("GLRT: λ does not depend on the units; the replicates' log-likelihoods move by the Jacobian", async () => {
    const fo = { K: 2, bandwidth: 0.3, grid: 8 } as const;
    const t = { coefficient: { part: "expert", component: 1, term: "z1" }, B: 2, workers: 0 } as const;
    const a = await glrt(d, fo, t);
    const b = await glrt(rescaled(d, "y", 1e-9), fo, t);
    expect(Math.abs(b.statistic - a.statistic)).toBeLessThan(1e-3 * Math.abs(a.statistic));
    const ra = a.bootstrap!.replicates[0], rb = b.bootstrap!.replicates[0];
    expect(Math.abs(rb.lambda - ra.lambda)).toBeLessThan(1e-3 * Math.abs(ra.lambda));
    expect(Math.abs(rb.logLikNull + d.y.length * Math.log(1e-9) - ra.logLikNull)).toBeLessThan(1e-3);
  });

  test("selectBandwidth and selectK: scores move by the Jacobian, choices and effective df do not", async () => {
    const f = 1e-9, e = rescaled(rescaled(d, "y", f), "z1", 1 / f), W = weightSum(d);
    const opts = { K: 2, grid: 8, tol: 1e-12, candidates: [0.2, 0.4], folds: 3 };
    const a = await selectBandwidth(d, opts), b = await selectBandwidth(e, opts);
    expect(b.chosen).toBe(a.chosen);
    a.scores.forEach((s, k) => expect(Math.abs(b.scores[k].totalLogLik! + W * Math.log(f) - s.totalLogLik!)).toBeLessThan(1e-6 * Math.abs(s.totalLogLik!)));
    const ko = { bandwidth: 0.3, grid: 8, tol: 1e-12, candidates: [1, 2] };
    const ka = await selectK(d, ko), kb = await selectK(e, ko);
    expect(kb.chosen).toEqual(ka.chosen);
    ka.scores.forEach((s, k) => {
      // BIC = −2ℓ + df·log n: ℓ moves by −W·log f
      expect(Math.abs(kb.scores[k].bic! - 2 * W * Math.log(f) - s.bic!)).toBeLessThan(1e-6 * Math.abs(s.bic!));
      expect(Math.abs(kb.scores[k].df!.total - s.df!.total)).toBeLessThan(1e-5 * s.df!.total);
    });
  });

  test("fitConstant: coefficients, σ and logLik in the caller's units", async () => {
    const a = await fitConstant(d, { K: 2, tol: 1e-12 });
    for (const [col, f] of [["y", 1e-9], ["z1", 1e9], ["x1", 1e-9]] as Array<[Column, number]>) {
      const b = await fitConstant(rescaled(d, col, f), { K: 2, tol: 1e-12 });
      a.experts.forEach((e, c) => {
        for (const [term, v] of Object.entries(e.coefficients)) {
          expect(Math.abs(b.experts[c].coefficients[term] / unitFactor({ part: "expert", term }, col, f) - v)).toBeLessThan(1e-6 * Math.max(1, Math.abs(v)));
        }
        expect(Math.abs(b.experts[c].sigma! / unitFactor({ part: "sigma", term: "sigma" }, col, f) - e.sigma!)).toBeLessThan(1e-6 * e.sigma!);
      });
      a.gatingCentred.forEach((g, c) => {
        for (const [term, v] of Object.entries(g.coefficients)) {
          expect(Math.abs(b.gatingCentred[c].coefficients[term] / unitFactor({ part: "gating", term }, col, f) - v)).toBeLessThan(1e-6 * Math.max(1, Math.abs(v)));
        }
      });
      expect(Math.abs(b.logLik - (col === "y" ? -d.y.length * Math.log(f) : 0) - a.logLik)).toBeLessThan(1e-8 * Math.abs(a.logLik));
      // standard errors of the constant fit scale like their coefficients
      a.standardErrors!.estimates.forEach((e, k) => {
        const s = unitFactor(e, col, f), o = b.standardErrors!.estimates[k];
        expect(Math.abs(o.se / s - e.se)).toBeLessThan(1e-5 * e.se);
      });
    }
  });
});

// Poisson (|ℓ| ≈ 1500 here): the EM's stopping accuracy √(tol·|ℓ|/curvature) is larger, and
// the accelerators' steps mix the coefficients' units, so that a column rescaled by
// a factor that is not a power of two (1e9 = 0.93·2^30) takes another accelerated path to the
// same fixed point: accelerated fits agree to 1e-5 (measured 2e-6). Plain EM maps are
// equivariant, and those fits agree to rounding.
describe("units (Poisson: counts keep theirs, covariates are scaled)", async () => {
  const sim = await simulate({ family: "poisson", K: 2, n: 300, seed: 5 });
  const d: Data = sim.data;
  const opts = { ...OPTS, family: "poisson" } as const;
  const base: VCMoEFit = await fit(d, opts);
  const plain: VCMoEFit = await fit(d, { ...opts, accelerate: false });
  test.each([["z1", 1e-9], ["z1", 1e9], ["x1", 1e-9], ["x1", 1e9]] as Array<[Column, number]>)("%s × %s", async (col, f) => {
    const r = await fit(rescaled(d, col, f), opts);
    expect(r.converged).toBe(true);
    expect(curveDifference(base.curves, r.curves, col, f, false)).toBeLessThan(1e-5);
    expect(Math.abs(r.logLik - base.logLik)).toBeLessThan(1e-8 * Math.abs(base.logLik));
    const rp = await fit(rescaled(d, col, f), { ...opts, accelerate: false });
    expect(curveDifference(plain.curves, rp.curves, col, f, false)).toBeLessThan(1e-12);
  });
});

test("nearestPowerOfTwo: the power of two within a factor √2, read from the bits", () => {
  expect(nearestPowerOfTwo(1)).toBe(1);
  expect(nearestPowerOfTwo(1.41)).toBe(1);
  expect(nearestPowerOfTwo(1.42)).toBe(2);
  expect(nearestPowerOfTwo(0.70)).toBe(0.5);
  expect(nearestPowerOfTwo(0.71)).toBe(1);
  expect(nearestPowerOfTwo(1e9)).toBe(2 ** 30);
  expect(nearestPowerOfTwo(1e-9)).toBe(2 ** -30);
  expect(nearestPowerOfTwo(3e-310)).toBe(2 ** -1000); // subnormal: clamped at 2^-1000
  expect(nearestPowerOfTwo(0)).toBe(1);
  expect(nearestPowerOfTwo(NaN)).toBe(1);
});
