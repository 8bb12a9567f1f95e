// What the replicate jobs of the worker pool — bootstrap bands (./bootstrapJob.ts) and
// the GLRT bootstrap (./glrtReplicate.ts) — send to their workers, and how a worker puts
// it into a core. Plain JSON: the same payload runs in a worker thread, a Web Worker or
// the calling thread (and the GLRT hands its own back to the caller), and a replicate's
// result depends on (payload, replicate index) only.
import { createCore, type BackendName, type Core } from "../core/backend.js";
import type { Dataset } from "../data/dataset.js";
import { CoreData, type GridParams } from "../fit/workspace.js";
import { FAMILIES, type FamilyName } from "../model/families/index.js";
import { localGrid, type LocalGrid } from "../model/grid.js";
import type { KernelName } from "../model/kernel.js";

/** The prepared rows: sorted by u, u rescaled to [0, 1] (t), row-major designs. */
export interface ReplicateRows {
  n: number; q: number; p: number; t: number[]; w: number[]; Z: number[]; X: number[]; uMin: number; uRange: number;
  /** The family's per-row columns (null when the data had none). */
  offset: number[] | null; trials: number[] | null;
}

/** The common part of every replicate job's payload: the rows and the shape of the model. */
export interface ReplicatePayload {
  data: ReplicateRows;
  K: number;
  family: FamilyName;
  /** Negative binomial: one θ per component (options.dispersion 'constant'). */
  constantDispersion: boolean;
  kernel: KernelName;
  /** Bandwidth and grid on the unit u scale. */
  h: number;
  grid: number[];
  /** Seed of the run; replicate b draws from a stream of (seed, b). */
  seed: number;
  backend: BackendName;
}

/** Parameters on the grid as plain arrays (the layout of GridParams). */
export interface PlainGridParams {
  alpha: number[]; alphaS: number[]; phi: number[]; gamma: number[]; gammaS: number[];
}

export function replicateRows(ds: Dataset): ReplicateRows {
  return {
    n: ds.n, q: ds.q, p: ds.p, t: Array.from(ds.t), w: Array.from(ds.w), Z: Array.from(ds.Z), X: Array.from(ds.X), uMin: ds.uMin, uRange: ds.uRange,
    offset: ds.offset ? Array.from(ds.offset) : null, trials: ds.trials ? Array.from(ds.trials) : null,
  };
}

export function toGridParams(P: PlainGridParams, m: number): GridParams {
  return {
    m, alpha: Float64Array.from(P.alpha), alphaS: Float64Array.from(P.alphaS), phi: Float64Array.from(P.phi),
    gamma: Float64Array.from(P.gamma), gammaS: Float64Array.from(P.gammaS),
  };
}

export interface ReplicateInCore { core: Core; cd: CoreData; local: LocalGrid }

/**
 * The payload's rows (with their offsets and trials) in a fresh core with its local
 * grid; `y` the responses (rows in u order), or zeros where every replicate simulates
 * its own (then CoreData.responsesChanged after each draw).
 */
export async function loadReplicate(p: ReplicatePayload, y: ArrayLike<number> | null): Promise<ReplicateInCore> {
  const d = p.data;
  const ds: Dataset = {
    n: d.n, q: d.q, p: d.p, order: new Int32Array(d.n), keptRows: new Int32Array(d.n), droppedRows: 0,
    uMin: d.uMin, uRange: d.uRange, t: Float64Array.from(d.t), y: y ? Float64Array.from(y) : new Float64Array(d.n),
    w: Float64Array.from(d.w), Z: Float64Array.from(d.Z), X: Float64Array.from(d.X), zNames: [], xNames: [],
    interceptExpert: true, interceptGating: true,
    trials: d.trials ? Float64Array.from(d.trials) : null, offset: d.offset ? Float64Array.from(d.offset) : null,
  };
  const core = await createCore(p.backend);
  const cd = new CoreData(core, ds, p.K, FAMILIES[p.family], { constantDispersion: p.constantDispersion });
  return { core, cd, local: localGrid(ds, Float64Array.from(p.grid), p.h, p.kernel) };
}
