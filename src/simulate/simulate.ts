// Simulation from known scenarios, drawn with the core's xoshiro128** generator and
// its exact binomial / Poisson / negative-binomial samplers (assembly/sample.ts) so
// that a seed gives the same data on every backend, in Node and in browsers.
import { withCore, resolveBackend, type BackendName, type Core } from "../core/backend.js";
import { VCMoEInputError } from "../errors.js";
import { checkOptionKeys, optionKeys } from "../data/optionKeys.js";
import { familiesWith, familyOf, FAMILIES, type FamilyName } from "../model/families/index.js";
import { crossingTruth, mixTruth, sep3Truth, wsTruth, type MixSettings, type TrueCurves } from "./scenarios.js";
import { exp, log } from "../core/detmath.js";
import { seededState } from "../core/seed.js";
import type { I32Buf } from "../core/buffers.js";

export interface SimulateOptions {
  /**
   * "ws": the two-component Gaussian scenario of method.md (Gaussian, K = 2 only);
   * "crossing": two Gaussian experts whose intercepts cross at mid-u (K = 2 only; crossingTruth);
   * "sep3": three well-separated Gaussian components (see sep3Truth; K = 3 only);
   * "mix": K components of any family (see mixTruth). Default: "ws" for a Gaussian
   * family with K = 2 (or K omitted), "mix" otherwise.
   */
  scenario?: "ws" | "crossing" | "sep3" | "mix";
  /** Expert family (default 'gaussian'). */
  family?: FamilyName;
  /** Number of components, 2..10 (default 2). */
  K?: number;
  n: number;
  seed?: number;
  /** Separation multiplier: "ws" scales the component differences, "mix" the level spacing (default 1; ignored by "sep3"). */
  separation?: number;
  /** "mix", binomial: trials per row (default: uniform on 10..30 per row; 1 gives Bernoulli data). */
  trials?: number;
  /** "mix", Poisson / negative binomial: draw an exposure E ~ U(0.5, 2) per row and return offset = log E (default true). */
  offset?: boolean;
  /** "mix", negative binomial: θ_c varying in u (default) or constant. */
  dispersion?: "varying" | "constant";
  backend?: BackendName;
}

const SIMULATE_OPTION_KEYS = optionKeys<SimulateOptions>()(["scenario", "family", "K", "n", "seed", "separation", "trials", "offset", "dispersion", "backend"]);

export interface SimulatedData {
  data: {
    y: number[]; u: number[]; z: { z1: number[] }; x: { x1: number[] };
    /** Binomial: trials per row. */
    trials?: number[];
    /** Poisson / negative binomial with offset: log exposure per row. */
    offset?: number[];
  };
  /** True 1-based component of each row. */
  component: number[];
  /** The true curves as a function of u (the scenario's u range is [0, 1]). */
  truth: (u: number) => TrueCurves;
}

/** The fixed scenarios and the one family and K each is defined for. */
const FIXED_SCENARIOS = { ws: { family: "gaussian", K: 2 }, crossing: { family: "gaussian", K: 2 }, sep3: { family: "gaussian", K: 3 } } as const;


/** Largest n simulate() draws (3n doubles must fit in one core's memory with room to spare). */
export const MAX_SIMULATE_N = 10_000_000;

/**
 * Draws a data set from a known scenario.
 * @example
 * const { data, truth } = await simulate({ n: 1000, seed: 42 });                  // "ws", Gaussian K = 2
 * const pois = await simulate({ family: "poisson", K: 3, n: 2000, seed: 1 });      // "mix"
 * await fit(pois.data, { family: "poisson", K: 3, bandwidth: 0.2 });
 */
export async function simulate(options: SimulateOptions): Promise<SimulatedData> {
  if (typeof options !== "object" || options === null) throw new VCMoEInputError("options", "must be an object with at least n");
  checkOptionKeys("options", options, SIMULATE_OPTION_KEYS, "an option of simulate()");
  const fam = familyOf(options.family);
  const family = fam.name;
  // null is an error here, not the default
  const K = options.K === undefined ? (options.scenario === "sep3" ? 3 : 2) : options.K;
  if (!Number.isInteger(K) || K < 2 || K > 10) throw new VCMoEInputError("options.K", `must be an integer from 2 to 10, got ${String(options.K)}`);
  const fixed = (s: keyof typeof FIXED_SCENARIOS) => FIXED_SCENARIOS[s].family === family && FIXED_SCENARIOS[s].K === K;
  const scenario = options.scenario === undefined ? (fixed("ws") ? "ws" : "mix") : options.scenario;
  if (scenario !== "ws" && scenario !== "crossing" && scenario !== "sep3" && scenario !== "mix") {
    throw new VCMoEInputError("options.scenario", `unknown scenario ${JSON.stringify(scenario)}; available: 'ws', 'crossing', 'sep3', 'mix'`);
  }
  if ((scenario === "ws" || scenario === "crossing") && !fixed(scenario)) {
    throw new VCMoEInputError("options.scenario", `'${scenario}' is a Gaussian K = 2 scenario; use 'mix' for other families or K`);
  }
  if (scenario === "sep3" && !fixed("sep3")) {
    throw new VCMoEInputError("options.scenario", "'sep3' is a Gaussian K = 3 scenario; use 'mix' for other families or K");
  }
  const n = options.n;
  // the cap keeps the draws within a core's memory (3n doubles): n = 1e9 trapped the wasm core
  if (!Number.isInteger(n) || n < 2 || n > MAX_SIMULATE_N) throw new VCMoEInputError("options.n", `must be an integer from 2 to ${MAX_SIMULATE_N}, got ${String(n)}`);
  const seed = options.seed === undefined ? 1 : options.seed;
  if (!Number.isInteger(seed) || Math.abs(seed) > Number.MAX_SAFE_INTEGER) throw new VCMoEInputError("options.seed", "must be an integer");
  const sep = options.separation === undefined ? 1 : options.separation;
  if (options.offset !== undefined && (typeof options.offset !== "boolean" || fam.simulation.aux !== "exposure")) {
    throw new VCMoEInputError("options.offset", `applies to the ${familiesWith((f) => f.simulation.aux === "exposure")} families: true or false`);
  }
  if (typeof sep !== "number" || !Number.isFinite(sep) || sep < 0) throw new VCMoEInputError("options.separation", "must be a non-negative finite number");
  if (options.trials !== undefined && (fam.simulation.aux !== "trials" || !Number.isInteger(options.trials) || options.trials < 1)) {
    throw new VCMoEInputError("options.trials", "applies to the binomial family and must be a positive integer");
  }
  if (options.dispersion !== undefined && (!fam.supports.constantDispersion || !["varying", "constant"].includes(options.dispersion))) {
    throw new VCMoEInputError("options.dispersion", "applies to the negbin family: 'varying' or 'constant'");
  }
  return withCore(resolveBackend(options.backend), (core) => {
    const state = seededState(core, seed);
    if (scenario !== "mix") {
      const truthAt = { ws: (v: number) => wsTruth(v, sep), crossing: (v: number) => crossingTruth(v, sep), sep3: (v: number) => sep3Truth(v) }[scenario];
      return simulateGaussian(core, state, n, truthAt);
    }
    return simulateMix(core, state, n, {
      family, K, separation: sep, dispersion: options.dispersion ?? "varying",
    }, options.trials, options.offset ?? true);
  });
}

/** The fixed Gaussian scenarios ("ws", "sep3"): 2n uniforms (u, label), 3n normals (z1, x1, noise). */
function simulateGaussian(core: Core, state: I32Buf, n: number, truthAt: (u: number) => TrueCurves): SimulatedData {
  const uni = core.f64(2 * n), nor = core.f64(3 * n);
  core.kernels.fillUniform(state, uni, 2 * n);
  core.kernels.fillNormal(state, nor, 3 * n);
  const U = uni.view(), N = nor.view();
  const y: number[] = [], u: number[] = [], z1: number[] = [], x1: number[] = [], component: number[] = [];
  for (let i = 0; i < n; i++) {
    const ui = U[i];
    const tr = truthAt(ui);
    const zi = N[i], xi = N[n + i];
    // deterministic exp (core's own): the same on every engine
    let c: number;
    if (tr.gamma.length === 2) {
      // P(component 1) = logistic(logit of 1 vs 2) with logit = 2 × centred logit of 1
      const logit = 2 * (tr.gamma[0][0] + tr.gamma[0][1] * xi);
      c = U[n + i] < 1 / (1 + exp(-logit)) ? 0 : 1;
    } else {
      // invert the cumulative gating probabilities
      const e = tr.gamma.map(([a, b]) => exp(a + b * xi - (tr.gamma[0][0] + tr.gamma[0][1] * xi)));
      const tot = e.reduce((x, v) => x + v, 0);
      c = 0;
      let acc = e[0] / tot;
      while (c < e.length - 1 && !(U[n + i] < acc)) { c++; acc += e[c] / tot; }
    }
    y.push(tr.alpha[c][0] + tr.alpha[c][1] * zi + tr.sigma[c] * N[2 * n + i]);
    u.push(ui); z1.push(zi); x1.push(xi); component.push(c + 1);
  }
  return { data: { y, u, z: { z1 }, x: { x1 } }, component, truth: truthAt };
}

/**
 * Draw order: 3n uniforms (u, label, the family's per-row column: exposure or trials),
 * 3n normals (z1, x1, Gaussian noise), then the responses by the family's sampler.
 */
function simulateMix(core: Core, state: I32Buf, n: number, s: MixSettings, fixedTrials: number | undefined, withOffset: boolean): SimulatedData {
  const { K } = s;
  const fam = FAMILIES[s.family];
  const aux = fam.simulation.aux;
  const uni = core.f64(3 * n), nor = core.f64(3 * n);
  core.kernels.fillUniform(state, uni, 3 * n);
  core.kernels.fillNormal(state, nor, 3 * n);
  const U = uni.view().slice(), N = nor.view().slice();
  const u: number[] = [], z1: number[] = [], x1: number[] = [], component: number[] = [];
  const eta = new Float64Array(n), disp = new Float64Array(n), trials = new Float64Array(n), offset = new Float64Array(n);
  const probs = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    const ui = U[i], zi = N[i], xi = N[n + i];
    const tr = mixTruth(ui, s);
    // gating: softmax of the centred logits, by the core's exp
    let mx = -Infinity;
    for (let c = 0; c < K; c++) { probs[c] = tr.gamma[c][0] + tr.gamma[c][1] * xi; mx = Math.max(mx, probs[c]); }
    let tot = 0;
    for (let c = 0; c < K; c++) { probs[c] = exp(probs[c] - mx); tot += probs[c]; }
    let c = 0, acc = probs[0] / tot;
    while (c < K - 1 && U[n + i] >= acc) { c++; acc += probs[c] / tot; }
    if (aux === "trials") trials[i] = fixedTrials ?? 10 + Math.floor(U[2 * n + i] * 21);
    if (aux === "exposure" && withOffset) offset[i] = log(0.5 + 1.5 * U[2 * n + i]);
    eta[i] = tr.alpha[c][0] + tr.alpha[c][1] * zi + offset[i];
    if (fam.dispersion) disp[i] = tr[fam.dispersion]![c];
    u.push(ui); z1.push(zi); x1.push(xi); component.push(c + 1);
  }
  const y = fam.simulation.draw(core, state, eta, disp, trials, N.subarray(2 * n, 3 * n));
  const data: SimulatedData["data"] = { y, u, z: { z1 }, x: { x1 } };
  if (aux === "trials") data.trials = Array.from(trials);
  if (aux === "exposure" && withOffset) data.offset = Array.from(offset);
  return { data, component, truth: (v: number) => mixTruth(v, s) };
}
