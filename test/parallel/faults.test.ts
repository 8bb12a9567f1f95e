// Workers under failure: a worker that dies or throws while it holds a replicate fails
// that replicate (or has its chunk rerun), is replaced, and the run completes and reports
// it. (Abort is tested in ./abort.test.ts.) The fault is injected by a worker script that
// wraps the library's own worker (test/fixtures/faulty-worker.mjs).
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { confidenceBands, fit, glrt, liveWorkers, simulate, type SimulatedData, type VCMoEFit } from "../../src/index.js";

const FAULTY_WORKER = fileURLToPath(new URL("../fixtures/faulty-worker.mjs", import.meta.url));
const options = { K: 2, bandwidth: 0.35, grid: 12, seed: 1 };
let sim: SimulatedData;
let res: VCMoEFit;

beforeAll(async () => {
  sim = await simulate({ n: 300, seed: 3 });
  res = await fit(sim.data, options);
});

afterEach(() => {
  for (const k of ["VCMOE_FAULT_DIR", "VCMOE_FAULT", "VCMOE_FAULT_AT"]) delete process.env[k];
});

describe("a worker that dies or throws while it holds a replicate", { timeout: 120_000 }, () => {
  /** Runs `f` with the faulty worker script armed; returns f's result and how many workers were started. */
  async function withFault<T>(mode: "exit" | "throw", f: () => Promise<T>, at = 2): Promise<{ result: T; started: number; faults: number }> {
    const dir = mkdtempSync(join(tmpdir(), "vcmoe-fault-"));
    Object.assign(process.env, { VCMOE_FAULT_DIR: dir, VCMOE_FAULT: mode, VCMOE_FAULT_AT: String(at) });
    try {
      const result = await f();
      const files = readdirSync(dir);
      return { result, started: files.filter((x) => x.startsWith("started-")).length, faults: files.filter((x) => x.startsWith("fault-")).length };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  for (const mode of ["exit", "throw"] as const) {
    test(`bootstrap band, worker ${mode === "exit" ? "killed" : "throws"}: its replicate fails alone, the worker is replaced, the run completes and reports it`, async () => {
      const B = 12;
      const { result: bands, started, faults } = await withFault(mode, () => confidenceBands(res, sim.data, {
        method: "bootstrap", B, seed: 1, workers: 2, chunkSize: 1, workerScript: FAULTY_WORKER,
      }));
      expect(faults).toBe(1);
      expect(started).toBeGreaterThanOrEqual(3); // two workers and at least one replacement
      const bs = bands.details.bootstrap!;
      expect(bs.failed).toBe(1);
      expect(bs.succeeded).toBe(B - 1);
      expect(bs.failures[0].error).toMatch(/worker failed/);
      expect(bands.warnings.join("\n")).toMatch(/1 of 12 bootstrap replicates failed/);
      expect(bands.curves.every((c) => Number.isFinite(c.criticalValue))).toBe(true);
      expect(liveWorkers()).toBe(0);
    });
  }

  test("bootstrap band, chunks of several replicates: the dead worker's chunk is rerun and every replicate succeeds, same band as without the fault", async () => {
    const B = 16;
    const clean = await confidenceBands(res, sim.data, { method: "bootstrap", B, seed: 1, workers: 0 });
    const { result: bands, faults } = await withFault("exit", () => confidenceBands(res, sim.data, {
      method: "bootstrap", B, seed: 1, workers: 2, chunkSize: 4, workerScript: FAULTY_WORKER,
    }), 1);
    expect(faults).toBe(1);
    expect(bands.details.bootstrap!.failed).toBe(0);
    expect(bands.curves.map((c) => c.criticalValue)).toEqual(clean.curves.map((c) => c.criticalValue));
    expect(liveWorkers()).toBe(0);
  });

  test("GLRT bootstrap, worker killed: the replicate fails alone and the p-value uses the completed ones", async () => {
    const B = 8;
    const { result: t, started, faults } = await withFault("exit", () => glrt(sim.data, { ...options, maxIter: 100 }, {
      coefficient: { part: "sigma" }, B, seed: 1, workers: 2, workerScript: FAULTY_WORKER,
    }), 1); // the fault on the first task, while the other worker is busy and 7 replicates wait: the pool must start a replacement
    // (at the 2nd task, the other worker could take every remaining replicate and no replacement was started)
    expect(faults).toBe(1);
    expect(started).toBeGreaterThanOrEqual(3);
    const bs = t.bootstrap!;
    expect(bs.failed).toBe(1);
    expect(bs.completed).toBe(B - 1);
    expect(bs.replicates.filter((r) => !r.ok)[0].error).toMatch(/worker failed/);
    expect(t.warnings.join("\n")).toMatch(/1 of 8 bootstrap replicate\(s\) failed/);
    expect(t.pValueBootstrap).toBe((1 + bs.exceedances) / B); // (1 + exceedances) / (1 + the B − 1 completed)
    expect(liveWorkers()).toBe(0);
  });
});
