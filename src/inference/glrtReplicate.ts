// One parametric-bootstrap replicate of the GLRT as a pure function of plain
// JSON: glrtReplicate(context, b) draws labels and responses from the fitted null
// model at the observed covariates (core RNG seeded from (seed, b) only), refits
// the null and the full model from the original fits (no multi-start) and returns
// λ* = ℓ*_full − ℓ*_null. The result does not depend on which process runs it or
// in what order, so the worker pool (src/parallel) runs replicates as the job kind
// GLRT_JOB: the context is the payload, set up once per worker, and task b is
// replicate b.
import type { F64Buf, I32Buf } from "../core/backend.js";
import { runEM, type EMSettings } from "../fit/em.js";
import { HybridSteps } from "../fit/hybrid.js";
import { GridState, type CoreData, type GridParams } from "../fit/workspace.js";
import { seedWords } from "../core/seed.js";
import { countConstants, type HybridMasks } from "../model/constants.js";
import { registerJob, type JobHandler } from "../parallel/jobs.js";
import { loadReplicate, toGridParams, type PlainGridParams, type ReplicatePayload } from "./replicate.js";

export type { PlainGridParams } from "./replicate.js";

/** The pool job kind of a GLRT bootstrap replicate (registered below, where the job is defined). */
export const GLRT_JOB = "vcmoe:glrt-replicate";

/** Everything a replicate needs; plain JSON (structured-clone and JSON safe). */
export interface GlrtReplicateContext extends ReplicatePayload {
  em: EMSettings;
  nullMasks: HybridMasks;
  /** Constants of the full model (all zero unless the full model is itself hybrid). */
  fullMasks: HybridMasks;
  /** The fits' parameters on the internal scale of `data` (src/fit/scaling.ts). */
  nullParams: PlainGridParams;
  fullParams: PlainGridParams;
  /** Added to the replicates' log-likelihoods to report them on the caller's scale (λ* is unaffected). */
  logLikShift?: number;
}

export interface GlrtReplicateResult {
  b: number;
  /** False when a refit failed (exception or non-finite log-likelihood); λ is then NaN. */
  ok: boolean;
  lambda: number;
  logLikNull: number;
  logLikFull: number;
  convergedNull: boolean;
  convergedFull: boolean;
  iterationsNull: number;
  iterationsFull: number;
  error?: string;
}

/** Two 32-bit seed words for replicate b: the RNG stream depends on (seed, b) only. */
function replicateSeedWords(seed: number, b: number): [number, number] {
  const [lo, hi] = seedWords(seed);
  return [(b ^ Math.imul(hi, 0x27d4eb2d)) | 0, (lo ^ 0x5bd1e995) | 0];
}

interface Runner {
  ctx: GlrtReplicateContext;
  cd: CoreData;
  nullState: GridState;
  fullState: GridState;
  nullSteps: HybridSteps;
  fullSteps: HybridSteps | null;
  rng: I32Buf;
  labels: I32Buf;
  simWork: F64Buf;
  nullParams: GridParams;
  fullParams: GridParams;
}

const runners = new WeakMap<GlrtReplicateContext, Promise<Runner>>();

async function makeRunner(ctx: GlrtReplicateContext): Promise<Runner> {
  const { data: d, K } = ctx;
  // y is simulated by every replicate
  const { core, cd, local } = await loadReplicate(ctx, null);
  const m = local.grid.length;
  const nullState = new GridState(cd, local);
  const fullState = new GridState(cd, local);
  return {
    ctx, cd, nullState, fullState,
    nullSteps: new HybridSteps(nullState, ctx.nullMasks),
    fullSteps: countConstants(ctx.fullMasks) > 0 ? new HybridSteps(fullState, ctx.fullMasks) : null,
    rng: core.i32(4), labels: core.i32(d.n), simWork: core.f64(K),
    nullParams: toGridParams(ctx.nullParams, m), fullParams: toGridParams(ctx.fullParams, m),
  };
}

/**
 * Runs bootstrap replicate b of a GLRT context. Deterministic in (context, b).
 *
 * @example
 * const r = await glrtReplicate(context, 0); // r.lambda: λ* of replicate 0
 */
export async function glrtReplicate(ctx: GlrtReplicateContext, b: number): Promise<GlrtReplicateResult> {
  let pending = runners.get(ctx);
  if (!pending) { pending = makeRunner(ctx); runners.set(ctx, pending); }
  return runReplicate(await pending, b);
}

/** The GLRT replicate as a pool job: per-worker setup builds the runner, task b is replicate b. */
const glrtJob: JobHandler<GlrtReplicateContext, Runner, GlrtReplicateResult> = {
  setup: (ctx) => makeRunner(ctx),
  run: (runner, b) => runReplicate(runner, b),
};
registerJob(GLRT_JOB, glrtJob);

function runReplicate(r: Runner, b: number): GlrtReplicateResult {
  const { ctx, cd, nullState, fullState } = r;
  const { core } = cd;
  const out: GlrtReplicateResult = {
    b, ok: false, lambda: NaN, logLikNull: NaN, logLikFull: NaN,
    convergedNull: false, convergedFull: false, iterationsNull: 0, iterationsFull: 0,
  };
  try {
    // draw y* from the fitted null model into the core's y buffer
    const [lo, hi] = replicateSeedWords(ctx.seed, b);
    core.kernels.rngSeed(r.rng, lo, hi);
    nullState.write(r.nullParams);
    core.kernels.simulateMoE(cd.rows, nullState.grid, r.rng, r.simWork, cd.y, r.labels);
    cd.responsesChanged();
    const sf = ctx.em.sigmaFloor;
    const nullTrace = runEM(nullState, ctx.em, () => r.nullSteps.mstep({ sigmaFloor: sf, maxNewton: ctx.em.maxNewton }));
    fullState.write(r.fullParams);
    const fs = r.fullSteps;
    const fullTrace = runEM(fullState, ctx.em, fs ? () => fs.mstep({ sigmaFloor: sf, maxNewton: ctx.em.maxNewton }) : undefined);
    Object.assign(out, {
      logLikNull: nullTrace.logLik + (ctx.logLikShift ?? 0), logLikFull: fullTrace.logLik + (ctx.logLikShift ?? 0),
      convergedNull: nullTrace.converged, convergedFull: fullTrace.converged,
      iterationsNull: nullTrace.iterations, iterationsFull: fullTrace.iterations,
      lambda: fullTrace.logLik - nullTrace.logLik,
    });
    out.ok = Number.isFinite(out.lambda);
    if (!out.ok) out.error = "non-finite log-likelihood";
  } catch (e) {
    out.error = (e as Error).message ?? String(e);
  }
  return out;
}
