// The worker side of the pool: serves `runChunk` requests from ./pool.ts. The worker
// script itself is src/worker.ts, which first loads the library's job kinds.
import workerpool from "workerpool";
import "./selftest.js"; // registers the pool's own job kind
import { runChunk } from "./jobs.js";

export function serveWorker(): void {
  workerpool.worker({
    runChunk(kind: string, jobId: string, payload: unknown, from: number, to: number) {
      // one event per finished task gives the caller fine-grained progress
      return runChunk(kind, jobId, payload, from, to, (o) => workerpool.workerEmit({ index: o.index, ok: o.ok }));
    },
  });
}
