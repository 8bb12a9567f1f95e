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
