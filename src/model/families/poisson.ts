// Poisson experts, log link, no dispersion.
import { FAMILY_POISSON, THETA_MIN } from "../../core/generated/constants.js";
import type { FamilyDriver } from "./types.js";
import { checkCounts, logMean, logWorkingResponse } from "./counts.js";

export const poisson: FamilyDriver = {
  name: "poisson",
  code: FAMILY_POISSON,
  link: "log",
  workingWeight: (mu) => mu,
  mean: logMean,
  dispersion: null,
  logDispersion: false,
  // phi is fixed at 1; the bound is what the EM accelerators' admissibility checks use
  dispersionFloor: () => THETA_MIN,
  scaleResponse: false,
  expertStep: "irls",
  accepts: { trials: false, offset: true },
  offsetHint: "",
  checkResponse: (y, _trials, prefix, rowOf) => checkCounts("poisson", y, prefix, rowOf),
  prepare: () => ({}),
  workingResponse: logWorkingResponse,
  diagnostics: { bound: "sigmaFloored", boundary: true },
  boundIsDegenerate: false,
  constantBoundWarning: (c) => `component ${c}: dispersion at its bound`,
  supports: { constantDispersion: false },
  simulation: {
    aux: "exposure",
    mix: { spacing: (K) => Math.min(1.5, 9 / (K - 1)), base: 0.5, centred: false, tilt: 0.4, slope: 0.3 },
    draw(core, state, eta) {
      const n = eta.length, mean = core.f64(n), out = core.f64(n);
      const mv = mean.view();
      for (let i = 0; i < n; i++) mv[i] = logMean(eta[i]);
      core.kernels.fillPoisson(state, n, mean, out);
      return Array.from(out.view());
    },
  },
};
