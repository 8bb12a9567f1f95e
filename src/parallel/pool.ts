// The worker pool shared by the bootstrap bands, the GLRT bootstrap and
// cross-validation. It is built on `workerpool` (josdejong/workerpool, Apache-2.0,
// actively maintained): one package that runs the same worker script as a Node
// worker_thread or as a browser Web Worker, queues tasks, reports worker crashes
// as rejected tasks (a dead worker is replaced, so nothing hangs) and cancels a
// running task by terminating its worker (what an AbortSignal needs). What we add
// on top is small: job kinds with per-worker setup (./jobs.ts), chunking, ordered
// outcomes, progress, abort, and isolation of a task that kills its worker.
//
// Determinism: task i's result depends only on (payload, i) (see ./jobs.ts), and
// outcomes are returned in index order, so any number of workers — or none
// (workers: 0 runs in the calling thread) — gives the same results.
import workerpool from "workerpool";
import { errorMessage, runChunk, type TaskOutcome } from "./jobs.js";
import "./selftest.js"; // registers the pool's own job kind
import { VCMoEInputError } from "../errors.js";
import { checkOptionKeys, optionKeys } from "../data/optionKeys.js";

export type { TaskOutcome } from "./jobs.js";

export interface ParallelProgress { done: number; total: number; failed: number }

export interface PoolOptions {
  /** Number of workers; 0 runs every task in the calling thread. Default: the number of hardware threads. */
  workers?: number;
  /**
   * The worker script. Default: dist/worker.js beside the library (Node) or
   * dist/worker.browser.js beside the browser bundle (loaded as a module Web Worker).
   * Pass a path or URL when a bundler has moved the files.
   */
  workerScript?: string | URL;
}

export interface RunOptions {
  /** Called as tasks finish (done, total, failed). */
  onProgress?: (p: ParallelProgress) => void;
  /** Aborts the run: pending tasks are dropped, running ones stopped by terminating the pool's workers; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Tasks per message to a worker (default: about total / (16 · workers), at least 1). */
  chunkSize?: number;
}

const POOL_OPTION_KEYS = optionKeys<PoolOptions>()(["workers", "workerScript"]);
const RUN_OPTION_KEYS = optionKeys<RunOptions>()(["onProgress", "signal", "chunkSize"]);

export interface ParallelJob {
  /** A registered job kind (see ./jobs.ts). */
  kind: string;
  /** Structured-cloneable input of the job's setup (sent with every chunk). */
  payload: unknown;
  /** Number of tasks (indices 0..count-1). */
  count: number;
}

export interface ParallelResult<R> {
  /** One outcome per task, in index order. */
  outcomes: Array<TaskOutcome<R>>;
  failed: number;
  workers: number;
}

export interface WorkerPool {
  readonly workers: number;
  /** Runs the `count` tasks of a job on the pool's workers; one outcome per task, in task order. */
  run<R>(job: ParallelJob, options?: RunOptions): Promise<ParallelResult<R>>;
  /** Stops the workers (pending runs are rejected). */
  terminate(): Promise<void>;
}

const isNode = typeof process !== "undefined" && process.versions?.node != null && typeof window === "undefined";

function hardwareThreads(): number {
  const n = workerpool.cpus;
  return typeof n === "number" && n >= 1 ? n : 2;
}

export function validateWorkers(argument: string, v: unknown): number {
  if (v === undefined) return hardwareThreads();
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 256) {
    throw new VCMoEInputError(argument, `must be an integer from 0 to 256 (0 = run in this thread), got ${String(v)}`);
  }
  return v;
}

async function defaultNodeScript(): Promise<string> {
  const { existsSync } = await import("node:fs");
  const { fileURLToPath } = await import("node:url");
  // beside the bundle (dist/index.js -> dist/worker.js); from the sources (tests) the built one
  for (const rel of ["./worker.js", "../../dist/worker.js"]) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error("the worker script dist/worker.js was not found; run `npm run build` or pass workerScript");
}

async function resolveScript(script: PoolOptions["workerScript"]): Promise<string> {
  if (script !== undefined) {
    if (isNode && (script instanceof URL || /^file:/.test(String(script)))) {
      const { fileURLToPath } = await import("node:url");
      return fileURLToPath(script);
    }
    return String(script);
  }
  if (isNode) return defaultNodeScript();
  return new URL("./worker.browser.js", import.meta.url).href;
}

let jobCounter = 0;

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("The operation was aborted", "AbortError");
}

/** Yields to the event loop so that an abort (or a progress repaint) can happen. */
function yieldToEventLoop(): Promise<void> {
  const si = (globalThis as { setImmediate?: (f: () => void) => void }).setImmediate;
  if (si) return new Promise((r) => si(r));
  return new Promise((r) => setTimeout(r, 0));
}

class InThreadPool implements WorkerPool {
  readonly workers = 0;
  async run<R>(job: ParallelJob, options: RunOptions = {}): Promise<ParallelResult<R>> {
    const { signal, onProgress } = options;
    const jobId = `local-${++jobCounter}`;
    const outcomes: Array<TaskOutcome<R>> = [];
    let failed = 0;
    for (let i = 0; i < job.count; i++) {
      if (signal?.aborted) throw abortError(signal);
      const [o] = await runChunk<R>(job.kind, jobId, job.payload, i, i + 1);
      outcomes.push(o);
      if (!o.ok) failed++;
      onProgress?.({ done: i + 1, total: job.count, failed });
      await yieldToEventLoop();
    }
    if (signal?.aborted) throw abortError(signal);
    return { outcomes, failed, workers: 0 };
  }
  async terminate(): Promise<void> { /* nothing to stop */ }
}

type WPPromise<T> = Promise<T> & { cancel(): unknown };

class ThreadPool implements WorkerPool {
  private pool: ReturnType<typeof workerpool.pool> | null = null;
  constructor(readonly workers: number, private readonly script: string) {}

  private get wp(): ReturnType<typeof workerpool.pool> {
    this.pool ??= workerpool.pool(this.script, {
      maxWorkers: this.workers,
      workerType: "auto",
      workerOpts: { type: "module" },
      // stdout/stderr of Node workers are not piped into the caller's process
      emitStdStreams: false,
      // a busy worker cannot answer the polite terminate message until its task ends:
      // kill it after 50 ms, so that an abort leaves no worker computing (default 1 s)
      workerTerminateTimeout: 50,
    });
    return this.pool;
  }

  async run<R>(job: ParallelJob, options: RunOptions = {}): Promise<ParallelResult<R>> {
    const { signal, onProgress } = options;
    if (signal?.aborted) throw abortError(signal);
    const total = job.count;
    const chunk = options.chunkSize ?? Math.max(1, Math.ceil(total / (16 * this.workers)));
    const jobId = `job-${Date.now()}-${++jobCounter}`;
    const outcomes: Array<TaskOutcome<R> | undefined> = new Array(total);
    const reported = new Set<number>();
    let failed = 0;
    const progress = () => onProgress?.({ done: reported.size, total, failed });
    const inFlight = new Set<WPPromise<unknown>>();
    let aborted = false;

    const exec = (from: number, to: number): WPPromise<Array<TaskOutcome<R>>> => {
      const p = this.wp.exec("runChunk", [job.kind, jobId, job.payload, from, to], {
        on: (ev: { index: number; ok: boolean }) => {
          if (aborted || reported.has(ev.index)) return;
          reported.add(ev.index);
          if (!ev.ok) failed++;
          progress();
        },
      }) as unknown as WPPromise<Array<TaskOutcome<R>>>;
      inFlight.add(p);
      return p;
    };
    const settle = (o: TaskOutcome<R>) => {
      outcomes[o.index] = o;
      if (!reported.has(o.index)) {
        reported.add(o.index);
        if (!o.ok) failed++;
        progress();
      }
    };
    const runRange = async (from: number, to: number): Promise<void> => {
      const p = exec(from, to);
      try {
        for (const o of await p) settle(o);
      } catch (e) {
        if (aborted) return;
        // the worker died (or the message failed): isolate the culprit by rerunning
        // the chunk's tasks one at a time; a task that kills its worker again fails
        if (to - from > 1) {
          await Promise.all(Array.from({ length: to - from }, (_, k) => runRange(from + k, from + k + 1)));
        } else {
          settle({ index: from, ok: false, error: `worker failed: ${errorMessage(e)}` });
        }
      } finally {
        inFlight.delete(p);
      }
    };

    const work = (async () => {
      const ranges: Array<Promise<void>> = [];
      for (let from = 0; from < total; from += chunk) ranges.push(runRange(from, Math.min(total, from + chunk)));
      await Promise.all(ranges);
    })();
    if (!signal) {
      await work;
    } else {
      let onAbort: (() => void) | undefined;
      const abortPromise = new Promise<never>((_, reject) => {
        onAbort = () => {
          aborted = true;
          for (const p of inFlight) p.cancel();
          // running tasks are stopped by terminating their workers
          void this.terminate();
          reject(abortError(signal));
        };
        signal.addEventListener("abort", onAbort, { once: true });
      });
      try {
        await Promise.race([work, abortPromise]);
      } finally {
        signal.removeEventListener("abort", onAbort!);
        work.catch(() => undefined);
        abortPromise.catch(() => undefined);
      }
    }
    const done = outcomes.map((o, i) => o ?? ({ index: i, ok: false, error: "no result" } as TaskOutcome<R>));
    return { outcomes: done, failed: done.filter((o) => !o.ok).length, workers: this.workers };
  }

  async terminate(): Promise<void> {
    const p = this.pool;
    this.pool = null;
    if (p) await p.terminate(true);
  }
}

/**
 * Creates a pool of `workers` workers (0: the calling thread). Reuse one pool for
 * many runs to pay the worker start-up (loading the library and the WebAssembly
 * core) once; terminate it when done.
 *
 * @example
 * const pool = await createPool({ workers: 2 });
 * try {
 *   const r = await pool.run({ kind: "vcmoe:selftest", payload: { factor: 1 }, count: 10 });
 *   r.outcomes.map((o) => (o.ok ? o.value : NaN)); // [0, 1, 4, ..., 81]
 * } finally { await pool.terminate(); }
 */
export async function createPool(options: PoolOptions = {}): Promise<WorkerPool> {
  checkOptionKeys("options", options, POOL_OPTION_KEYS, "an option of createPool()");
  const workers = validateWorkers("options.workers", options.workers);
  if (workers === 0) return new InThreadPool();
  return new ThreadPool(workers, await resolveScript(options.workerScript));
}

/**
 * Runs one job on a fresh pool and stops it afterwards.
 *
 * @example
 * ```ts
 * const r = await runParallel<number>({ kind: "vcmoe:selftest", payload: { factor: 2 }, count: 4 }, { workers: 2 });
 * r.outcomes.map((o) => (o.ok ? o.value : NaN)); // [0, 2, 8, 18]
 * ```
 */
export async function runParallel<R>(job: ParallelJob, options: PoolOptions & RunOptions = {}): Promise<ParallelResult<R>> {
  checkOptionKeys("options", options, [...POOL_OPTION_KEYS, ...RUN_OPTION_KEYS], "an option of runParallel()");
  const { workers, workerScript } = options;
  const pool = await createPool({ workers, workerScript });
  try {
    return await pool.run<R>(job, options);
  } finally {
    await pool.terminate();
  }
}
