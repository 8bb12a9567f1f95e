// A tiny job kind that exercises the pool itself (used by the tests and handy for
// checking that workers load in a given environment): task i returns i² · factor,
// throws for indices in `failAt`, kills its worker for indices in `crashAt`
// (process.exit in a Node worker thread, close() in a Web Worker) and spins for
// `busyMs` milliseconds per task.
import { registerJob, type JobHandler } from "./jobs.js";

const SELFTEST_JOB = "vcmoe:selftest";

export interface SelfTestPayload {
  factor: number;
  failAt?: number[];
  crashAt?: number[];
  busyMs?: number;
}

const selfTestJob: JobHandler<SelfTestPayload, SelfTestPayload, number> = {
  setup: (payload) => payload,
  run(ctx, index) {
    if (ctx.busyMs) {
      const end = Date.now() + ctx.busyMs;
      while (Date.now() < end) { /* busy on purpose: simulates a replicate's work */ }
    }
    if (ctx.failAt?.includes(index)) throw new Error(`task ${index} failed on purpose`);
    if (ctx.crashAt?.includes(index)) {
      const g = globalThis as { process?: { exit(code: number): void }; close?: () => void };
      if (g.process?.exit) g.process.exit(3);
      else g.close?.();
      throw new Error("could not crash the worker");
    }
    return index * index * ctx.factor;
  },
};
registerJob(SELFTEST_JOB, selfTestJob);
