// Orchestration of bootstrap sup-t bands: builds the job payload, runs the
// replicates on the worker pool, and turns the replicates' sup-t statistics into
// critical values. See ./bootstrapJob.ts for what one replicate does.
import { createPool, type ParallelProgress, type WorkerPool } from "../parallel/pool.js";
import { VCMoEFitError } from "../errors.js";
import { BOOTSTRAP_JOB, type BootstrapPayload, type BootstrapType, type ReplicateResult } from "./bootstrapJob.js";
import type { FittedModel } from "./model.js";
import type { Acceleration } from "../model/spec.js";
import { replicateRows } from "./replicate.js";
import { upperQuantile } from "./multiplier.js";

export interface BootstrapSettings {
  type: BootstrapType;
  B: number;
  seed: number;
  level: number;
  maxIter: number;
  tol: number;
  refineTol: number;
  accelerate: Acceleration | false;
  workers: number;
  workerScript?: string | URL;
  pool?: WorkerPool;
  chunkSize?: number;
  onProgress?: (p: ParallelProgress) => void;
  signal?: AbortSignal;
}

export interface BootstrapDetails {
  type: BootstrapType;
  B: number;
  succeeded: number;
  failed: number;
  /** The first (up to 20) failures: replicate index and reason. */
  failures: Array<{ replicate: number; error: string }>;
  /** Replicates whose refit stopped at the iteration limit (their estimates are still used). */
  notConverged: number;
  /** Replicate curves whose dispersion went to a bound (θ = 1e8) somewhere: their sup-t statistic is +∞. */
  dispersionAtBound: number;
  /** Replicates whose labels had to be permuted to match the original fit. */
  relabelled: number;
  /** Median EM iterations of a replicate refit. */
  medianIterations: number;
  seed: number;
  /** How replicate b's random numbers are seeded. */
  seedRule: string;
  quantileRule: string;
  maxIter: number;
  tol: number;
  /** Whether each refit ran the local refinement (as the original fit did). */
  refine: boolean;
  workers: number;
  /** Per curve: the replicates' sup-t statistics T*_b, in replicate order (NaN for failed ones). */
  statistics: number[][];
}

export async function bootstrapCritical(fm: FittedModel, estOrig: Float64Array, seOrig: Float64Array, s: BootstrapSettings): Promise<{ criticalValues: number[]; details: BootstrapDetails }> {
  const P = fm.params;
  const payload: BootstrapPayload = {
    data: replicateRows(fm.ds), K: fm.K, family: fm.family, constantDispersion: fm.constantDispersion, kernel: fm.kernel, h: fm.h, grid: Array.from(fm.grid), seed: s.seed, backend: fm.backend,
    y: Array.from(fm.ds.y), method: fm.method, sigmaFloor: fm.sigmaFloor,
    params: { alpha: Array.from(P.alpha), alphaS: Array.from(P.alphaS), phi: Array.from(P.phi), gamma: Array.from(P.gamma), gammaS: Array.from(P.gammaS) },
    keys: fm.keys, estOrig, seOrig, type: s.type, maxIter: s.maxIter, tol: s.tol, refine: fm.refine, refineTol: s.refineTol, accelerate: s.accelerate,
  };
  const pool = s.pool ?? await createPool({ workers: s.workers, workerScript: s.workerScript });
  let run;
  try {
    run = await pool.run<ReplicateResult>({ kind: BOOTSTRAP_JOB, payload, count: s.B }, { onProgress: s.onProgress, signal: s.signal, chunkSize: s.chunkSize });
  } finally {
    if (!s.pool) await pool.terminate();
  }
  const E = fm.keys.length;
  const statistics = Array.from({ length: E }, () => new Array<number>(s.B).fill(NaN));
  const failures: BootstrapDetails["failures"] = [];
  let succeeded = 0, notConverged = 0, relabelled = 0;
  const iters: number[] = [];
  for (const o of run.outcomes) {
    if (!o.ok) {
      if (failures.length < 20) failures.push({ replicate: o.index, error: o.error });
      continue;
    }
    succeeded++;
    if (!o.value.converged) notConverged++;
    if (o.value.perm.some((c, k) => c !== k)) relabelled++;
    iters.push(o.value.iterations);
    for (let e = 0; e < E; e++) statistics[e][o.index] = o.value.T[e];
  }
  if (succeeded === 0) {
    throw new VCMoEFitError(`every bootstrap replicate failed; first reason: ${failures[0]?.error ?? "unknown"}`);
  }
  iters.sort((a, b) => a - b);
  // +∞: a replicate's dispersion at a bound (see ./bootstrapJob.ts); it counts as exceeding
  const criticalValues = statistics.map((T) => upperQuantile(T.filter((v) => !Number.isNaN(v)), s.level));
  const unbounded = statistics.reduce((acc, T) => acc + T.filter((v) => v === Infinity).length, 0);
  return {
    criticalValues,
    details: {
      type: s.type, B: s.B, succeeded, failed: s.B - succeeded, failures, notConverged, relabelled, dispersionAtBound: unbounded,
      medianIterations: iters[Math.floor((iters.length - 1) / 2)],
      seed: s.seed,
      seedRule: "replicate b draws from the core's xoshiro128** stream rngSeedStream(seed, b) (assembly/resample.ts), independent of workers and scheduling",
      quantileRule: "critical value = the ⌈level·B'⌉-th smallest sup-t statistic of the B' successful replicates",
      maxIter: s.maxIter, tol: s.tol, refine: fm.refine, workers: run.workers,
      statistics,
    },
  };
}
