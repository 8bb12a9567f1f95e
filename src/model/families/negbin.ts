// Negative-binomial experts, log link; the dispersion is the size θ_c (Var = μ + μ²/θ),
// varying in u (locally constant) or constant per component.
import { FAMILY_NEGBIN, THETA_MIN } from "../../core/generated/constants.js";
import type { FamilyDriver } from "./types.js";
import { checkCounts, logMean, logWorkingResponse } from "./counts.js";

export const negbin: FamilyDriver = {
  name: "negbin",
  code: FAMILY_NEGBIN,
  link: "log",
  workingWeight: (mu, _m, theta) => mu / (1 + mu / theta),
  mean: logMean,
  dispersion: "theta",
  logDispersion: true,
  dispersionFloor: () => THETA_MIN,
  scaleResponse: false,
  expertStep: "irls",
  accepts: { trials: false, offset: true },
  offsetHint: "",
  checkResponse: (y, _trials, prefix, rowOf) => checkCounts("negbin", y, prefix, rowOf),
  prepare: () => ({}),
  workingResponse: logWorkingResponse,
  diagnostics: { bound: "thetaAtBound", boundary: true },
  // θ at a bound is legitimate (1e8: no overdispersion)
  boundIsDegenerate: false,
  constantBoundWarning: (c) => `component ${c}: theta at its bound (1e8: no overdispersion; 1e-4: extreme overdispersion)`,
  supports: { constantDispersion: true },
  simulation: {
    aux: "exposure",
    mix: { spacing: (K) => Math.min(1.5, 9 / (K - 1)), base: 1, centred: false, tilt: 0.4, slope: 0.3 },
    mixDispersion: (u, c, constant) => (constant ? 3 + c : (3 + c) * (1 + u)),
    draw(core, state, eta, disp) {
      const n = eta.length, mean = core.f64(n), out = core.f64(n);
      const mv = mean.view();
      for (let i = 0; i < n; i++) mv[i] = logMean(eta[i]);
      core.kernels.fillNegBin(state, n, mean, core.f64From(disp), out);
      return Array.from(out.view());
    },
  },
};
