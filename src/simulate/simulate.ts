// Simulation from known scenarios, drawn with the core's xoshiro128** generator so
// that a seed gives the same data on every backend, in Node and in browsers.
import { createCore, resolveBackend, type BackendName } from "../core/backend.js";
import { VCMoEInputError } from "../errors.js";
import { sep3Truth, wsTruth, type TrueCurves } from "./scenarios.js";
import { exp } from "../core/detmath.js";

export interface SimulateOptions {
  /**
   * Scenario name; "ws" (default): the two-component Gaussian scenario of method.md;
   * "sep3": three well-separated Gaussian components (see sep3Truth).
   */
  scenario?: "ws" | "sep3";
  n: number;
  seed?: number;
  /** Separation multiplier of the "ws" scenario (default 1; ignored by "sep3"). */
  separation?: number;
  backend?: BackendName;
}

export interface SimulatedData {
  data: { y: number[]; u: number[]; z: { z1: number[] }; x: { x1: number[] } };
  /** True 1-based component of each row. */
  component: number[];
  /** The true curves as a function of u. */
  truth: (u: number) => TrueCurves;
}

/**
 * Draws a data set from a known scenario.
 * @example
 * const { data, truth } = await simulate({ n: 1000, seed: 42 });
 */
export async function simulate(options: SimulateOptions): Promise<SimulatedData> {
  const scenario = options.scenario ?? "ws";
  if (scenario !== "ws" && scenario !== "sep3") throw new VCMoEInputError("options.scenario", `unknown scenario ${JSON.stringify(scenario)}; available: 'ws', 'sep3'`);
  const n = options.n;
  if (!Number.isInteger(n) || n < 2) throw new VCMoEInputError("options.n", "must be an integer >= 2");
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) throw new VCMoEInputError("options.seed", "must be an integer");
  const sep = options.separation ?? 1;
  const truthAt = scenario === "sep3" ? (v: number) => sep3Truth(v) : (v: number) => wsTruth(v, sep);
  const core = await createCore(resolveBackend(options.backend));
  const state = core.i32(4);
  core.call("rngSeed", state, seed % 4294967296 | 0, Math.floor(seed / 4294967296) | 0);
  const uni = core.f64(2 * n), nor = core.f64(3 * n);
  core.call("fillUniform", state, uni, 2 * n);
  core.call("fillNormal", state, nor, 3 * n);
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
