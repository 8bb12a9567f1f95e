// Known-truth scenarios for tests, examples and Monte Carlo studies.
import { cos, exp, sin } from "../core/detmath.js";

// "ws" is the two-component Gaussian scenario of the reference R package
// (data/README.md, "sim_ws"): u ~ U(0,1), z1, x1 ~ N(0,1).
// "mix" is this package's K-component scenario for every family (mixTruth below).
import { FAMILIES, type FamilyName } from "../model/families/index.js";

export interface TrueCurves {
  /** Expert coefficients per component: [intercept, slope on z1] (link scale for GLM families). */
  alpha: Array<[number, number]>;
  /** Gaussian standard deviations per component (empty for the other families). */
  sigma: number[];
  /** Negative binomial sizes θ per component (absent for the other families). */
  theta?: number[];
  /** Centred gating logits per component: [intercept, coefficient on x1]. */
  gamma: Array<[number, number]>;
}

/**
 * The "ws" scenario's true curves at u (on [0, 1]) with separation s.
 *
 * @example
 * ```ts
 * const t = wsTruth(0.5);
 * t.alpha[0]; // [intercept, slope on z1] of component 1 at u = 0.5
 * t.sigma;    // [σ_1(0.5), σ_2(0.5)]
 * ```
 */
export function wsTruth(u: number, s = 1): TrueCurves {
  const baseI = 0.1 * sin(Math.PI * u);
  const baseS = 0.15 + 0.1 * u;
  const eta = -0.2 + 0.7 * (u - 0.5);
  const etaX = 0.45 - 0.55 * u;
  return {
    alpha: [
      [baseI + s * (-0.45 + 0.35 * sin(2 * Math.PI * u)), baseS + s * (0.35 + 0.25 * u)],
      [baseI + s * (0.55 + 0.25 * cos(2 * Math.PI * u)), baseS + s * (-0.35 + 0.3 * (u - 0.5) ** 2)],
    ],
    sigma: [0.35 + 0.05 * u, 0.45 - 0.03 * u],
    gamma: [[eta / 2, etaX / 2], [-eta / 2, -etaX / 2]],
  };
}

/**
 * The "sep3" scenario: three well-separated Gaussian experts (intercepts about
 * −2, 0 and 2, residual sd 0.3–0.4), u ~ U(0,1), z1, x1 ~ N(0,1); every curve varies
 * in u. Gating logits relative to component 1: l2 = 0.3 + 0.8(u − 0.5) + 0.4·x1,
 * l3 = −0.2 + 0.6·cos(πu) − 0.4·x1 (reported centred, as for "ws"). Used to check
 * that BIC/ICL recover K = 3.
 *
 * @example
 * ```ts
 * sep3Truth(0.5).alpha.map(([a0]) => a0); // intercepts near −2, 0, 2
 * ```
 */
export function sep3Truth(u: number): TrueCurves {
  const l = [[0, 0], [0.3 + 0.8 * (u - 0.5), 0.4], [-0.2 + 0.6 * cos(Math.PI * u), -0.4]];
  const m0 = (l[0][0] + l[1][0] + l[2][0]) / 3, m1 = (l[0][1] + l[1][1] + l[2][1]) / 3;
  return {
    alpha: [
      [-2 + 0.4 * sin(2 * Math.PI * u), 0.6 + 0.3 * u],
      [0.3 * cos(2 * Math.PI * u), -0.4 + 0.4 * (u - 0.5) ** 2],
      [2.4 - 0.4 * u, 0.2 * sin(Math.PI * u)],
    ],
    sigma: [0.3 + 0.1 * u, 0.35, 0.4 - 0.1 * u],
    gamma: l.map(([a, b]) => [a - m0, b - m1] as [number, number]),
  };
}

/**
 * The "crossing" scenario: two Gaussian experts whose intercepts cross at mid-u
 * (about +0.55 / −0.40 at u = 0 and −0.45 / +0.65 at u = 1, with a gentle wave on
 * each), slopes on z1 of opposite sign (about 0.45 and −0.05) that identify the
 * components where the intercepts meet, σ about 0.30 / 0.33, and gating logits near 0
 * (logit of 1 vs 2 between 0.05 and 0.25, its x1 coefficient from 0.3 to 0.1).
 * Where the intercepts meet, the local likelihood barely tells the components apart:
 * it checks that no curve switches labels there. `s` scales the intercepts' spread.
 *
 * @example
 * ```ts
 * import { crossingTruth, simulate } from "vcmoe";
 * const truth = crossingTruth(0.5);            // true curves at u = 0.5
 * const data = await simulate({ scenario: "crossing", n: 1000, seed: 1 });
 * ```
 */
export function crossingTruth(u: number, s = 1): TrueCurves {
  const wave = 0.05 * sin(Math.PI * u);
  const eta = 0.15 + 0.1 * cos(Math.PI * u);
  const etaX = 0.3 - 0.2 * u;
  return {
    alpha: [
      [s * 0.5 * (1 - 2 * u) + 0.1 * sin(2 * Math.PI * u + 0.6) + wave, 0.45 + 0.08 * cos(2 * Math.PI * u)],
      [-s * 0.5 * (1 - 2 * u) + 0.1 * sin(2 * Math.PI * u + 1.3) + wave + 0.06, -0.05 + 0.08 * cos(2 * Math.PI * u + 0.6)],
    ],
    sigma: [0.3 + 0.015 * sin(2 * Math.PI * u + 0.6), 0.33 + 0.015 * sin(2 * Math.PI * u + 1.3)],
    gamma: [[eta / 2, etaX / 2], [-eta / 2, -etaX / 2]],
  };
}

/** Settings of the "mix" scenario. */
export interface MixSettings {
  family: FamilyName;
  K: number;
  /** Multiplies the spacing of the components' levels (default 1). */
  separation: number;
  /** Negative binomial: θ_c varying in u (default) or constant. */
  dispersion: "varying" | "constant";
}

/**
 * The "mix" scenario's true curves at u in [0, 1]: K components whose expert
 * intercepts sit at evenly spaced levels L_c (Gaussian: spacing 2, σ = 0.35 + 0.1u;
 * Poisson: log-means 0.5 + Δc; negative binomial: 1 + Δc, Δ = min(1.5, 9/(K − 1)) with θ_c = (3 + c)(1 + u)
 * or 3 + c; binomial: logits spread over ±2.5), each bent by a shared bump and a
 * component-specific tilt, with slopes on z1 of alternating sign that grow in u;
 * gating logits linear in u (intercepts) and in 1 − u (x1 coefficients), centred.
 * Every curve uses the core's exp, so data drawn from it are identical on every
 * backend and engine.
 *
 * @example
 * ```ts
 * const t = mixTruth(0.25, { family: "poisson", K: 3, separation: 1, dispersion: "varying" });
 * t.alpha.map(([a0]) => a0); // the three components' log-mean intercepts at u = 0.25
 * ```
 */
export function mixTruth(u: number, settings: MixSettings): TrueCurves {
  const { K, separation: sep } = settings;
  // the family's design (src/model/families/): e.g. count levels spaced 1.5 on the log scale,
  // narrowed for large K so that the top component's log-mean stays below about 10
  const fam = FAMILIES[settings.family];
  const { base, centred, tilt, slope } = fam.simulation.mix;
  const spacing = fam.simulation.mix.spacing(K);
  const bump = 0.4 * (exp(-8 * (u - 0.5) * (u - 0.5)) - 0.7);
  const alpha: Array<[number, number]> = [], sigma: number[] = [], theta: number[] = [];
  const raw: Array<[number, number]> = [];
  for (let c = 0; c < K; c++) {
    const sc = c % 2 === 0 ? 1 : -1;
    const level = base + sep * spacing * (centred ? c - (K - 1) / 2 : c);
    alpha.push([level + tilt * sc * (u - 0.5) + bump, slope * sc * (0.5 + 0.5 * u)]);
    const disp = fam.simulation.mixDispersion?.(u, c, settings.dispersion === "constant");
    if (fam.dispersion === "sigma") sigma.push(disp!);
    if (fam.dispersion === "theta") theta.push(disp!);
    raw.push([0.8 * sc * (u - 0.5) + 0.15 * c, 0.5 * sc * (1 - u)]);
  }
  const m0 = raw.reduce((a, r) => a + r[0], 0) / K, m1 = raw.reduce((a, r) => a + r[1], 0) / K;
  const gamma = raw.map(([a, b]) => [a - m0, b - m1] as [number, number]);
  return fam.dispersion === "theta" ? { alpha, sigma, theta, gamma } : { alpha, sigma, gamma };
}
