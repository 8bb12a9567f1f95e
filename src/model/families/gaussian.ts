// Gaussian experts, identity link; the dispersion is σ_c(u) (locally constant).
import { FAMILY_GAUSSIAN } from "../../core/generated/constants.js";
import { sd } from "../../data/columns.js";
import type { FamilyDriver } from "./types.js";

export const gaussian: FamilyDriver = {
  name: "gaussian",
  code: FAMILY_GAUSSIAN,
  link: "identity",
  workingWeight: () => 1,
  mean: (eta) => eta,
  dispersion: "sigma",
  logDispersion: false,
  dispersionFloor(ds, fraction) {
    const s = sd(ds.y);
    return fraction * (s > 0 ? s : 1);
  },
  scaleResponse: true,
  expertStep: "wls",
  accepts: { trials: false, offset: false },
  offsetHint: " (subtract it from y instead)",
  checkResponse() { /* any real response */ },
  prepare: () => ({}),
  workingResponse: (ds) => ds.y,
  diagnostics: { bound: "sigmaFloored", boundary: false },
  boundIsDegenerate: true,
  constantBoundWarning: (c, floor) => `component ${c}: sigma held at its floor (${floor.toPrecision(3)}): a degenerate component`,
  supports: { constantDispersion: false },
  simulation: {
    aux: null,
    mix: { spacing: () => 2, base: 0, centred: true, tilt: 0.4, slope: 0.6 },
    mixDispersion: (u) => 0.35 + 0.1 * u,
    draw: (_core, _state, eta, disp, _trials, noise) => Array.from(eta, (e, i) => e + disp[i] * noise[i]),
  },
};
