// Aborting long inference mid-run: the promise rejects promptly with the signal's reason and
// no worker thread is left running (each pool worker holds a MessagePort in
// process.getActiveResourcesInfo()). Latencies are recorded in docs/reliability.md
// (bench/soak.mjs measures them over repeated runs).
import { describe, expect, test } from "vitest";
import { confidenceBands, fit, glrt, liveWorkers, simulate } from "../../src/index.js";

const workerPorts = () => process.getActiveResourcesInfo().filter((r) => r === "MessagePort").length;

/** Starts `start(signal)`, aborts once `progressed` has fired, and returns the latency from abort to rejection. */
async function abortMidRun(start: (signal: AbortSignal, onProgress: () => void) => Promise<unknown>): Promise<number> {
  const ac = new AbortController();
  let abortedAt = 0;
  const onProgress = () => { if (!abortedAt) { abortedAt = performance.now(); ac.abort(new Error("stopped by the test")); } };
  await expect(start(ac.signal, onProgress)).rejects.toThrow("stopped by the test");
  // the run rejects only once its workers have exited (it rejected while they were still being killed)
  expect(liveWorkers()).toBe(0);
  expect(abortedAt).toBeGreaterThan(0);
  return performance.now() - abortedAt;
}

describe("aborting bootstrap work mid-run", { timeout: 120_000 }, () => {
  test("confidenceBands (bootstrap, 2 workers and in-thread) rejects within 1 s and leaves no worker", async () => {
    const { data } = await simulate({ n: 500, seed: 3 });
    const res = await fit(data, { K: 2, bandwidth: 0.3, grid: 20 });
    const before = workerPorts();
    for (const workers of [2, 0]) {
      const latency = await abortMidRun((signal, onProgress) => confidenceBands(res, data, { method: "bootstrap", B: 400, workers, signal, onProgress }));
      expect(latency, `${workers} workers`).toBeLessThan(1000);
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(workerPorts()).toBe(before);
  });

  test("glrt (bootstrap, 2 workers) rejects within 1 s and leaves no worker", async () => {
    const { data } = await simulate({ n: 400, seed: 4 });
    const before = workerPorts();
    const latency = await abortMidRun((signal, onProgress) => glrt(data, { K: 2, bandwidth: 0.3, grid: 15 },
      { coefficient: { part: "expert", component: 1, term: "z1" }, B: 300, workers: 2, signal, onProgress }));
    expect(latency).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 200));
    expect(workerPorts()).toBe(before);
  });
});
