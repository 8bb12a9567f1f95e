// One bootstrap replicate, as a parallel job kind (runs in a worker or in the
// calling thread; see src/parallel/jobs.ts). Per worker, `setup` writes the data
// and the original fit into a core once; `run(b)` then
//   1. seeds the core's xoshiro128** stream of replicate b from (seed, b)
//      (rngSeedStream in assembly/resample.ts): results do not depend on which
//      worker runs b, nor on how many workers there are;
//   2. draws the replicate: parametric — labels and responses simulated from the
//      fitted model at the observed covariates and u (simulateMoE, the family's
//      exact samplers);
//      nonparametric — rows resampled with replacement, represented as frequency
//      weights (resampleCounts) so the u-sorted kernel windows stay valid;
//   3. refits with the same estimator and bandwidth from the original parameters;
//   4. computes the replicate's sandwich standard errors se*;
//   5. matches the replicate's labels to the original fit (./labels.ts);
//   6. returns, per curve e, T*_e = max_j |β̂*_e(u_j) − β̂_e(u_j)| / se*_e(u_j) over the grid
//      points where the original fit has a standard error (elsewhere there is no band);
//      +∞ where the replicate's dispersion sits at a bound (no se*: held fixed there).
import type { Core, F64Buf, I32Buf, Struct } from "../core/backend.js";
import { seedWords } from "../core/seed.js";
import type { Acceleration, MethodName } from "../model/spec.js";
import { GridState, type CoreData, type GridParams } from "../fit/workspace.js";
import { registerJob, type JobHandler } from "../parallel/jobs.js";
import { Sandwich } from "./sandwich.js";
import { INFER_SINGULAR } from "../core/generated/constants.js";
import { refitFrom } from "./refit.js";
import { matchLabels, curveIndexTable, permutedCurveIndex } from "./labels.js";
import type { CurveKey } from "./model.js";
import { loadReplicate, toGridParams, type PlainGridParams, type ReplicatePayload } from "./replicate.js";

export const BOOTSTRAP_JOB = "vcmoe:bootstrap-band";

export type BootstrapType = "parametric" | "nonparametric";

export interface BootstrapPayload extends ReplicatePayload {
  /** The original responses (rows in u order; resampled rows keep them, the parametric bootstrap replaces them). */
  y: number[];
  method: MethodName;
  sigmaFloor: number;
  /** The original fit: replicates start from it and are simulated from it. */
  params: PlainGridParams;
  keys: CurveKey[];
  /** Original values β̂_e(u_j) at [j*E + e]. */
  estOrig: Float64Array;
  /** Original standard errors at [j*E + e]: grid points where one is not finite have no band and are left out of the sup. */
  seOrig: Float64Array;
  type: BootstrapType;
  maxIter: number;
  tol: number;
  refine: boolean;
  refineTol: number;
  accelerate: Acceleration | false;
}

export interface ReplicateResult {
  /** max_j |β̂* − β̂| / se* per curve (original curve order). */
  T: number[];
  logLik: number;
  iterations: number;
  converged: boolean;
  /** perm[c] = replicate component matched to original component c (0-based). */
  perm: number[];
}

interface Context {
  p: BootstrapPayload;
  core: Core;
  data: CoreData;
  state: GridState;
  params: GridParams;
  seedLo: number;
  seedHi: number;
  sandwich: Sandwich;
  rng: I32Buf;
  wOrig: F64Buf;
  /** The original fit's curves on the grid (the replicates' data are simulated from them). */
  original: Struct<"Grid">;
  prob: F64Buf;
  labels: I32Buf;
  table: Map<string, number>;
}

const bootstrapJob: JobHandler<BootstrapPayload, Context, ReplicateResult> = {
  async setup(p) {
    const { core, cd: data, local } = await loadReplicate(p, p.y);
    const state = new GridState(data, local);
    const [seedLo, seedHi] = seedWords(p.seed);
    return {
      p, core, data, state, params: toGridParams(p.params, local.grid.length), seedLo, seedHi,
      sandwich: new Sandwich(state, false),
      rng: core.i32(4),
      wOrig: core.f64From(p.data.w),
      original: core.struct("Grid", {
        jl: state.jl, jr: state.jr, lam: state.lam,
        alpha: core.f64From(p.params.alpha), phi: core.f64From(p.params.phi), gamma: core.f64From(p.params.gamma),
      }),
      prob: core.f64(p.K),
      labels: core.i32(p.data.n),
      table: curveIndexTable(p.keys),
    };
  },

  run(ctx, b) {
    const { p, core, data, state } = ctx;
    const { n } = p.data, K = p.K;
    core.kernels.rngSeedStream(ctx.rng, ctx.seedLo, ctx.seedHi, b);
    if (p.type === "parametric") {
      core.kernels.simulateMoE(data.rows, ctx.original, ctx.rng, ctx.prob, data.y, ctx.labels);
      data.responsesChanged();
    } else {
      core.kernels.resampleCounts(n, ctx.rng, ctx.wOrig, data.w);
    }
    const tr = refitFrom(state, ctx.params, {
      method: p.method, maxIter: p.maxIter, tol: p.tol, sigmaFloor: p.sigmaFloor, refine: p.refine, refineTol: p.refineTol, accelerate: p.accelerate,
    });
    if (!Number.isFinite(tr.logLik)) throw new Error(`replicate ${b}: the refit reached a non-finite log-likelihood`);
    const r = ctx.sandwich.compute();
    const m = state.m, E = ctx.sandwich.E;
    const match = matchLabels(K, p.keys, m, E, p.estOrig, r.est);
    const idx = permutedCurveIndex(p.keys, ctx.table, match.perm);
    const T = new Array<number>(E);
    for (let e = 0; e < E; e++) {
      let mx = 0;
      const eb = idx[e];
      for (let j = 0; j < m; j++) {
        const so = p.seOrig[j * E + e];
        if (!(so > 0) || !Number.isFinite(so)) continue;
        const se = r.se[j * E + eb];
        if (!(se > 0) || !Number.isFinite(se)) {
          if (r.status[j] & INFER_SINGULAR) throw new Error(`replicate ${b}: no standard error for curve ${e} at grid point ${j} (singular local information)`);
          // the replicate's dispersion went to a bound (θ = 1e8: no overdispersion), where
          // it is held fixed: a deviation without a scale, counted as exceeding every level
          mx = Infinity;
          break;
        }
        mx = Math.max(mx, Math.abs(r.est[j * E + eb] - p.estOrig[j * E + e]) / se);
      }
      T[e] = mx;
    }
    return { T, logLik: tr.logLik, iterations: tr.iterations, converged: tr.converged, perm: match.perm };
  },
};
registerJob(BOOTSTRAP_JOB, bootstrapJob);
