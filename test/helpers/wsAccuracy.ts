// Per-curve accuracy of a K = 2 fit of "ws" data against the truth wsTruth(u):
// label matching, ISE per curve, and the asymptotic bound of helpers/theory.ts.
import { wsTruth, type VCMoEFit } from "../../src/index.js";
import { bestPermutation } from "./data.js";
import { fisherInverse, ise, iseTheory, type IseTheory } from "./theory.js";

export type CurveType = "alpha0" | "alpha1" | "sigma" | "gamma0" | "gamma1";
export const CURVE_TYPES: CurveType[] = ["alpha0", "alpha1", "sigma", "gamma0", "gamma1"];

/** True value of a curve type for (1-based) true component c at u. */
export function trueValue(type: CurveType, c: number, u: number): number {
  const tr = wsTruth(u);
  switch (type) {
    case "alpha0": return tr.alpha[c - 1][0];
    case "alpha1": return tr.alpha[c - 1][1];
    case "sigma": return tr.sigma[c - 1];
    case "gamma0": return tr.gamma[c - 1][0];
    case "gamma1": return tr.gamma[c - 1][1];
  }
}

/** The fitted curve of a type for fitted component c (1-based). */
export function fittedCurve(f: VCMoEFit, type: CurveType, c: number): number[] {
  const [part, term] = {
    alpha0: ["expert", "(Intercept)"], alpha1: ["expert", "z1"], sigma: ["sigma", "sigma"],
    gamma0: ["gating", "(Intercept)"], gamma1: ["gating", "x1"],
  }[type];
  const cv = f.curves.find((k) => k.part === part && k.component === c && k.term === term);
  if (!cv) throw new Error(`fit has no ${part}/${term} curve for component ${c}`);
  return cv.values;
}

/** Fitted component matched to each true component (perm[trueC − 1] = fitted 0-based), by expert-curve ISE. */
export function matchToTruth(f: VCMoEFit): number[] {
  const cost = (fc: number, tc: number) => (["alpha0", "alpha1"] as const).reduce(
    (s, type) => s + ise(f.grid, fittedCurve(f, type, fc + 1), f.grid.map((u) => trueValue(type, tc + 1, u))), 0);
  return bestPermutation(2, cost).perm;
}

/** ISE (trapezoid over the fit's grid, whole range, original u scale) per curve type and true component. */
export function curveIse(f: VCMoEFit, perm = matchToTruth(f)): Record<CurveType, [number, number]> {
  const out = {} as Record<CurveType, [number, number]>;
  for (const type of CURVE_TYPES) {
    out[type] = [1, 2].map((tc) => ise(f.grid, fittedCurve(f, type, perm[tc - 1] + 1), f.grid.map((u) => trueValue(type, tc, u)))) as [number, number];
  }
  return out;
}

/** Influence variances of every ws parameter at u (interpolated from a u grid of 21 points). */
export function wsInfluenceVariances(): (u: number) => number[] {
  const us = Array.from({ length: 21 }, (_, k) => k / 20);
  const diag = us.map((u) => {
    const tr = wsTruth(u);
    const V = fisherInverse({ alpha: tr.alpha, sigma: [tr.sigma[0], tr.sigma[1]], eta: [2 * tr.gamma[0][0], 2 * tr.gamma[0][1]] }, 0.35);
    return V.map((row, i) => row[i]);
  });
  return (u: number) => {
    const x = Math.min(1, Math.max(0, u)) * 20, k = Math.min(19, Math.floor(x)), l = x - k;
    return diag[k].map((v, i) => (1 - l) * v + l * diag[k + 1][i]);
  };
}

/**
 * The bound of helpers/theory.ts for each curve type and true component of a fit
 * of n rows with bandwidth h on the grid f.grid (u range [uMin, uMax]).
 */
export function wsIseBounds(f: VCMoEFit, Vu: (u: number) => number[], zp?: number): Record<CurveType, [IseTheory, IseTheory]> {
  const { uMin, uMax, n, bandwidth: h } = f.model;
  const range = uMax - uMin;
  const toU = (t: number) => uMin + range * t;
  const grid = f.grid.map((u) => (u - uMin) / range);
  // parameter index in fisherInverse() order and the factor on its variance
  const index: Record<CurveType, [number, number, number]> = {
    // [index for true component 1, for component 2, variance factor]
    alpha0: [0, 2, 1], alpha1: [1, 3, 1], sigma: [4, 5, 1],
    gamma0: [6, 6, 0.25], gamma1: [7, 7, 0.25], // centred logit = ± η / 2
  };
  const out = {} as Record<CurveType, [IseTheory, IseTheory]>;
  for (const type of CURVE_TYPES) {
    out[type] = [1, 2].map((tc) => {
      const [i1, i2, fac] = index[type];
      const idx = tc === 1 ? i1 : i2;
      const beta = (t: number) => trueValue(type, tc, toU(t));
      const th = iseTheory({
        grid, n, h, degree: type === "sigma" ? 0 : 1, beta, zp,
        V: (t) => (fac * Vu(toU(t))[idx]) / range, // design density of t is `range` (u ~ U(0, 1))
        smoothed: type === "sigma" ? { g: (t) => beta(t) ** 2, dBetaDg: (t) => 1 / (2 * beta(t)) } : undefined,
      });
      // back to the original u scale: ∫ du = range ∫ dt
      return { ...th, bias2: th.bias2 * range, variance: th.variance * range, varianceQuantile: th.varianceQuantile * range, bound: th.bound * range, expected: th.expected * range };
    }) as [IseTheory, IseTheory];
  }
  return out;
}
