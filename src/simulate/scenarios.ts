// Known-truth scenarios for tests, examples and Monte Carlo studies.
import { cos, sin } from "../core/detmath.js";

// "ws" is the two-component Gaussian scenario of the reference R package
// (see ../shared/method.md, "Simulation scenario"): u ~ U(0,1), z1, x1 ~ N(0,1).

export interface TrueCurves {
  /** Expert coefficients per component: [intercept, slope on z1]. */
  alpha: Array<[number, number]>;
  sigma: number[];
  /** Centred gating logits per component: [intercept, coefficient on x1]. */
  gamma: Array<[number, number]>;
}

/** The "ws" scenario's true curves at u (on [0, 1]) with separation s. */
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
 */
export function sep3Truth(u: number): TrueCurves {
  const l = [[0, 0], [0.3 + 0.8 * (u - 0.5), 0.4], [-0.2 + 0.6 * Math.cos(Math.PI * u), -0.4]];
  const m0 = (l[0][0] + l[1][0] + l[2][0]) / 3, m1 = (l[0][1] + l[1][1] + l[2][1]) / 3;
  return {
    alpha: [
      [-2 + 0.4 * Math.sin(2 * Math.PI * u), 0.6 + 0.3 * u],
      [0.3 * Math.cos(2 * Math.PI * u), -0.4 + 0.4 * (u - 0.5) ** 2],
      [2.4 - 0.4 * u, 0.2 * Math.sin(Math.PI * u)],
    ],
    sigma: [0.3 + 0.1 * u, 0.35, 0.4 - 0.1 * u],
    gamma: l.map(([a, b]) => [a - m0, b - m1] as [number, number]),
  };
}
