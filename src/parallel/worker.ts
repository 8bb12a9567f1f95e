// Entry point of the worker script (dist/worker.js for Node worker_threads,
// dist/worker.browser.js for Web Workers). It registers the library's job kinds and
// serves `runChunk` requests from the pool in ./pool.ts.
import workerpool from "workerpool";
import { registerBuiltinJobs } from "./builtinJobs.js";
import { runChunk } from "./jobs.js";

registerBuiltinJobs();

workerpool.worker({
  runChunk(kind: string, jobId: string, payload: unknown, from: number, to: number) {
    // one event per finished task gives the caller fine-grained progress
    return runChunk(kind, jobId, payload, from, to, (o) => workerpool.workerEmit({ index: o.index, ok: o.ok }));
  },
});
