// The worker pool (src/parallel): Node worker_threads running dist/worker.js
// (built by `npm run build`), and the in-thread runner (workers: 0).
import { describe, expect, test } from "vitest";
import { createPool, runParallel } from "../../src/index.js";

const job = (payload: object, count: number) => ({ kind: "vcmoe:selftest", payload: { factor: 1, ...payload }, count });

describe("worker pool", { timeout: 60_000 }, () => {
  test("results in index order, identical for 0, 1 and 2 workers", async () => {
    const expected = Array.from({ length: 23 }, (_, i) => 3 * i * i);
    for (const workers of [0, 1, 2]) {
      const r = await runParallel<number>(job({ factor: 3 }, 23), { workers, chunkSize: 4 });
      expect(r.failed).toBe(0);
      expect(r.outcomes.map((o) => (o.ok ? o.value : NaN))).toEqual(expected);
    }
  });

  test("a throwing task is counted and reported; the others complete", async () => {
    const r = await runParallel<number>(job({ failAt: [2, 7] }, 10), { workers: 2, chunkSize: 3 });
    expect(r.failed).toBe(2);
    expect(r.outcomes.filter((o) => !o.ok).map((o) => o.index)).toEqual([2, 7]);
    const bad = r.outcomes[7];
    expect(bad.ok ? "" : bad.error).toMatch(/task 7 failed on purpose/);
    expect(r.outcomes[8]).toEqual({ index: 8, ok: true, value: 64 });
  });

  test("a task that kills its worker fails alone and does not hang the pool", async () => {
    const progress: number[] = [];
    const r = await runParallel<number>(job({ crashAt: [5] }, 12), { workers: 2, chunkSize: 4, onProgress: (p) => progress.push(p.done) });
    expect(r.failed).toBe(1);
    const crashed = r.outcomes[5];
    expect(crashed.ok).toBe(false);
    expect(crashed.ok ? "" : crashed.error).toMatch(/worker failed/);
    // its chunk-mates were rerun and succeeded
    for (const i of [4, 6, 7, 11]) expect(r.outcomes[i]).toEqual({ index: i, ok: true, value: i * i });
    expect(Math.max(...progress)).toBe(12);
  });

  test("progress reports done/total up to the total", async () => {
    const seen: Array<[number, number]> = [];
    await runParallel(job({}, 9), { workers: 2, chunkSize: 2, onProgress: (p) => seen.push([p.done, p.total]) });
    expect(seen.length).toBe(9);
    expect(seen.every(([, t]) => t === 9)).toBe(true);
    expect(seen.map(([d]) => d)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  test("an AbortSignal stops running work promptly (workers and in-thread)", async () => {
    for (const workers of [2, 0]) {
      const ac = new AbortController();
      const t0 = performance.now();
      // 40 tasks of 100 ms would take 2 s on 2 workers
      const run = runParallel(job({ busyMs: 100 }, 40), { workers, chunkSize: 5, signal: ac.signal });
      setTimeout(() => ac.abort(new Error("stop now")), 250);
      await expect(run).rejects.toThrow("stop now");
      expect(performance.now() - t0).toBeLessThan(1200);
    }
  });

  test("a reusable pool serves several jobs; bad worker counts are input errors", async () => {
    const pool = await createPool({ workers: 2 });
    try {
      const a = await pool.run<number>(job({ factor: 2 }, 5));
      const b = await pool.run<number>(job({ factor: 5 }, 5));
      expect(a.outcomes.map((o) => (o.ok ? o.value : NaN))).toEqual([0, 2, 8, 18, 32]);
      expect(b.outcomes.map((o) => (o.ok ? o.value : NaN))).toEqual([0, 5, 20, 45, 80]);
    } finally {
      await pool.terminate();
    }
    await expect(createPool({ workers: -1 })).rejects.toThrow(/options.workers/);
    await expect(createPool({ workers: 1.5 })).rejects.toThrow(/options.workers/);
  });
});
