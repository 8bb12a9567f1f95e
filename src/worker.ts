// Entry point of the worker script of the parallel pool (dist/worker.js for Node
// worker_threads, dist/worker.browser.js for Web Workers): loads the library's job
// kinds (each registers itself where it is defined), then serves the pool.
import "./inference/bootstrapJob.js";
import "./inference/glrtReplicate.js";
import "./select/modelChoiceJob.js";
import { serveWorker } from "./parallel/worker.js";

serveWorker();
