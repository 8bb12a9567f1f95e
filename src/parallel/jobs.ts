// The registry of parallel job kinds. A job kind is a pure function of
// (payload, task index): `setup` builds per-worker state from the payload once
// (e.g. the data and a numerical core), `run` computes one task. Because a task's
// result depends only on (payload, index), results do not depend on the number of
// workers nor on scheduling. A kind is registered by the module that defines it (the
// bootstrap bands and the GLRT bootstrap in src/inference, cross-validation in
// src/select, ./selftest.ts here) when it is loaded; the worker script (src/worker.ts)
// loads them all, and in the calling thread they are loaded with the library.

export interface JobHandler<P = unknown, C = unknown, R = unknown> {
  /** Builds the per-worker context from the job payload (called once per worker per job). */
  setup(payload: P): Promise<C> | C;
  /** Computes task `index` (0-based). Throwing marks that task as failed. */
  run(context: C, index: number): Promise<R> | R;
  /** Releases the context (optional). */
  dispose?(context: C): void;
}

const registry = new Map<string, JobHandler>();

export function registerJob<P, C, R>(kind: string, handler: JobHandler<P, C, R>): void {
  registry.set(kind, handler as JobHandler);
}

function getJob(kind: string): JobHandler {
  const h = registry.get(kind);
  if (!h) throw new Error(`no parallel job kind '${kind}' is registered (known: ${[...registry.keys()].join(", ")})`);
  return h;
}

/** Outcome of one task: its value, or the error message when it threw. */
export type TaskOutcome<R> = { index: number; ok: true; value: R } | { index: number; ok: false; error: string };

/** Per-thread cache of the current job's context (one job at a time per worker). */
let current: { jobId: string; kind: string; context: unknown } | null = null;

async function contextFor(kind: string, jobId: string, payload: unknown): Promise<unknown> {
  if (current && current.jobId === jobId && current.kind === kind) return current.context;
  if (current) {
    const old = registry.get(current.kind);
    try { old?.dispose?.(current.context); } catch { /* a failed dispose must not block the next job */ }
    current = null;
  }
  const context = await getJob(kind).setup(payload);
  current = { jobId, kind, context };
  return context;
}

/**
 * Runs tasks from..to-1 of a job in this thread, catching each task's error.
 * `onDone` is called after every task (progress).
 */
export async function runChunk<R>(
  kind: string, jobId: string, payload: unknown, from: number, to: number,
  onDone?: (outcome: TaskOutcome<R>) => void,
): Promise<Array<TaskOutcome<R>>> {
  const handler = getJob(kind);
  const out: Array<TaskOutcome<R>> = [];
  let context: unknown;
  try {
    context = await contextFor(kind, jobId, payload);
  } catch (e) {
    // setup failed: every task of the chunk fails with that reason
    for (let i = from; i < to; i++) {
      const o: TaskOutcome<R> = { index: i, ok: false, error: `setup failed: ${errorMessage(e)}` };
      out.push(o);
      onDone?.(o);
    }
    return out;
  }
  for (let i = from; i < to; i++) {
    let o: TaskOutcome<R>;
    try {
      o = { index: i, ok: true, value: (await handler.run(context, i)) as R };
    } catch (e) {
      o = { index: i, ok: false, error: errorMessage(e) };
    }
    out.push(o);
    onDone?.(o);
  }
  return out;
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}
