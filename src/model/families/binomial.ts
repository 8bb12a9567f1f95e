// Binomial experts (y successes of m trials), logit link, no dispersion. Trials default
// to 1 (Bernoulli); rows with 0 trials carry no information and get weight 0.
import { FAMILY_BINOMIAL, THETA_MIN } from "../../core/generated/constants.js";
import { exp, log } from "../../core/detmath.js";
import { VCMoEInputError } from "../../errors.js";
import type { FamilyDriver } from "./types.js";
import { isCount } from "./counts.js";

/** The logistic function, stable for every η. */
const logistic = (e: number): number => (e >= 0 ? 1 / (1 + exp(-e)) : exp(e) / (1 + exp(e)));

export const binomial: FamilyDriver = {
  name: "binomial",
  code: FAMILY_BINOMIAL,
  link: "logit",
  workingWeight: (mu, m) => m * mu * (1 - mu),
  mean: logistic,
  dispersion: null,
  logDispersion: false,
  dispersionFloor: () => THETA_MIN,
  scaleResponse: false,
  expertStep: "irls",
  accepts: { trials: true, offset: true },
  offsetHint: "",
  checkResponse(y, trials, prefix, rowOf) {
    for (let r = 0; r < y.length; r++) {
      const m = trials ? trials[r] : 1;
      if (!isCount(m)) throw new VCMoEInputError(`${prefix}.trials`, `must be non-negative integers (at most 2^53), row ${rowOf(r)} is ${m}`);
      if (!isCount(y[r]) || y[r] > m) {
        throw new VCMoEInputError(`${prefix}.y`, `binomial responses are success counts 0 <= y <= trials (${m}${trials ? "" : ", Bernoulli: no trials given"}) — row ${rowOf(r)} is ${y[r]}`);
      }
    }
  },
  prepare(ds) {
    if (!ds.trials) ds.trials = new Float64Array(ds.n).fill(1);
    let zeroTrialRows = 0, wsum = 0;
    for (let r = 0; r < ds.n; r++) {
      // the likelihood of a row with 0 trials is 1 whatever the parameters
      if (ds.trials[r] === 0 && ds.w[r] > 0) { ds.w[r] = 0; zeroTrialRows++; }
      wsum += ds.w[r];
    }
    if (!(wsum > 0)) throw new VCMoEInputError("data.trials", "every row with positive weight has 0 trials: nothing to fit");
    return { zeroTrialRows };
  },
  workingResponse(ds) {
    // logit((y + ½)/(m + 1)) − offset
    const out = new Float64Array(ds.n);
    for (let i = 0; i < ds.n; i++) {
      const m = ds.trials ? ds.trials[i] : 1;
      const p0 = (ds.y[i] + 0.5) / (m + 1);
      out[i] = log(p0 / (1 - p0)) - (ds.offset ? ds.offset[i] : 0);
    }
    return out;
  },
  diagnostics: { bound: "sigmaFloored", boundary: true },
  boundIsDegenerate: false,
  constantBoundWarning: (c) => `component ${c}: dispersion at its bound`,
  supports: { constantDispersion: false },
  simulation: {
    aux: "trials",
    mix: { spacing: (K) => Math.min(2.5, 5 / (K - 1)), base: 0, centred: true, tilt: 0.6, slope: 0.6 },
    draw(core, state, eta, _disp, trials) {
      const n = eta.length, mean = core.f64(n), out = core.f64(n);
      const mv = mean.view();
      for (let i = 0; i < n; i++) mv[i] = logistic(eta[i]);
      core.kernels.fillBinomial(state, n, core.f64From(trials), mean, out);
      return Array.from(out.view());
    },
  },
};
