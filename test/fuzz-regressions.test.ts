// Regression tests for the defects a fuzz session found (listed in docs/reliability.md),
// one each, written as the smallest input that showed the defect; each test's title says
// what happened before the fix: a raw TypeError, a trap in the core, a hang, a silent NaN,
// a silent default for null, or the wrong argument named. Worker faults and abort are in
// test/parallel/faults.test.ts and test/parallel/abort.test.ts.
import { beforeAll, describe, expect, test } from "vitest";
import {
  confidenceBands, fit, fitConstant, glrt, predict, selectBandwidth, selectK, simulate, standardErrors,
  VCMoEInputError, type SimulatedData, type VCMoEFit,
} from "../src/index.js";

/** Expects `run` to reject with a VCMoEInputError whose argument is `argument`. */
async function rejectsNaming(run: () => Promise<unknown>, argument: string): Promise<void> {
  const e = await run().then(() => null, (err: unknown) => err);
  expect(e, `expected a VCMoEInputError naming ${argument}`).toBeInstanceOf(VCMoEInputError);
  expect((e as VCMoEInputError).argument).toBe(argument);
}

const small = { K: 2, bandwidth: 0.4, grid: 8, maxIter: 30, starts: 2, seed: 1 };
let sim: SimulatedData;
let res: VCMoEFit;

beforeAll(async () => {
  sim = await simulate({ n: 120, seed: 5 });
  res = await fit(sim.data, small);
});

/** A deep copy of the fit with one field replaced. */
function damaged(edit: (f: VCMoEFit) => void): VCMoEFit {
  const f = structuredClone(res);
  edit(f);
  return f;
}

describe("fit", () => {
  test("K = 10 with local refinement returns (the label check built 10! permutations per grid point and hung)", async () => {
    const r = await fit(sim.data, { K: 10, bandwidth: 0.9, grid: 4, maxIter: 3, starts: 1, initScreening: 0, refine: true });
    expect(r.model.K).toBe(10);
    expect(Number.isFinite(r.logLik)).toBe(true);
  });

  test("missing: null is an input error, not the default", async () => {
    await rejectsNaming(() => fit(sim.data, { ...small, missing: null as never }), "options.missing");
  });
});

describe("fitConstant validates its options (they were passed to the EM unchecked)", () => {
  for (const [key, value] of [["tol", 0], ["maxIter", "10"], ["starts", 1001], ["seed", 2 ** 60], ["sigmaFloorFraction", -0.01], ["sigmaFloorFraction", NaN]] as const) {
    test(`${key} = ${String(value)}`, async () => {
      await rejectsNaming(() => fitConstant({ y: sim.data.y, z: sim.data.z, x: sim.data.x }, { K: 2, [key]: value } as never), `options.${key}`);
    });
  }
});

describe("predict refuses a damaged fit result, naming the field", () => {
  test("unknown family (was TypeError: reading 'trials')", async () => {
    await rejectsNaming(() => predict(damaged((f) => { (f.model as { family: string }).family = "weibull"; }), { u: [0.5], z: { z1: [0] }, x: { x1: [0] } }), "fitResult.model.family");
  });
  test("term names not an array (was TypeError: names.forEach)", async () => {
    await rejectsNaming(() => predict(damaged((f) => { (f.model as { zNames: unknown }).zNames = "z1"; }), { u: [0.5], z: { z1: [0] }, x: { x1: [0] } }), "fitResult.model.zNames");
  });
  test("a truncated parameter array (was NaN predictions, different on the two backends)", async () => {
    await rejectsNaming(() => predict(damaged((f) => { f.parameters.alpha.pop(); }), { u: [0.5], z: { z1: [0] }, x: { x1: [0] } }), "fitResult.parameters.alpha");
  });
  test("K that does not match the parameters (was NaN component means)", async () => {
    await rejectsNaming(() => predict(damaged((f) => { f.model.K = 7; }), { u: [0.5], z: { z1: [0] }, x: { x1: [0] } }), "fitResult.parameters.alpha");
  });
  test("an empty u range (was silent NaN)", async () => {
    await rejectsNaming(() => predict(damaged((f) => { f.model.uMax = f.model.uMin; }), { u: [0.5], z: { z1: [0] }, x: { x1: [0] } }), "fitResult.model.uMax");
  });
  test("newData.z that is not an object (was TypeError: cannot use 'in')", async () => {
    await rejectsNaming(() => predict(res, { u: [0.5], z: 7 as never, x: { x1: [0] } }), "newData.z");
  });
});

describe("inference functions", () => {
  test("standardErrors names the damaged fit field, not the data (the data were blamed)", async () => {
    await rejectsNaming(() => standardErrors(damaged((f) => { f.model.uMax = -1e308; }), sim.data), "fitResult.model.uMax");
  });
  test("confidenceBands with K as a string (was a core abort on wasm, a result on js)", async () => {
    await rejectsNaming(() => confidenceBands(damaged((f) => { (f.model as { K: unknown }).K = "2"; }), sim.data, { method: "bootstrap", B: 2, workers: 0 }), "fitResult.model.K");
  });
  test("confidenceBands with a pool that is not a pool (was TypeError: pool.run)", async () => {
    await rejectsNaming(() => confidenceBands(res, sim.data, { method: "bootstrap", B: 2, pool: {} as never }), "options.pool");
  });
  test("confidenceBands with chunkSize 0 on workers (looped forever) or a string (was TypeError)", async () => {
    await rejectsNaming(() => confidenceBands(res, sim.data, { method: "bootstrap", B: 2, workers: 2, chunkSize: 0 }), "options.chunkSize");
    await rejectsNaming(() => confidenceBands(res, sim.data, { method: "bootstrap", B: 2, workers: 2, chunkSize: "x" as never }), "options.chunkSize");
  });
  test("confidenceBands method: null is an input error, not the default", async () => {
    await rejectsNaming(() => confidenceBands(res, sim.data, { method: null as never }), "options.method");
  });
  test("a throwing onProgress rejects the run with its error on a worker pool too (was an uncaught exception)", async () => {
    const boom = new Error("progress display failed");
    const run = confidenceBands(res, sim.data, { method: "bootstrap", B: 6, seed: 1, workers: 2, onProgress: () => { throw boom; } });
    await expect(run).rejects.toBe(boom);
  });
});

describe("glrt", () => {
  const coefficient = { part: "sigma" as const };
  test("errors in the full model's options name fullOptions (they named options, the GLRT's own third argument)", async () => {
    await rejectsNaming(() => glrt(sim.data, { ...small, K: 1 }, { coefficient, B: 0 }), "fullOptions.K");
    await rejectsNaming(() => glrt(sim.data, { ...small, grid: 1.5 }, { coefficient, B: 0 }), "fullOptions.grid");
    await rejectsNaming(() => glrt(sim.data, { ...small, backend: null as never }, { coefficient, B: 0 }), "fullOptions.backend");
  });
  test("B has an upper bound (2^40 ran for ever)", async () => {
    await rejectsNaming(() => glrt(sim.data, small, { coefficient, B: 2 ** 40 }), "options.B");
  });
  test("a pool that is not a pool is refused even when B = 0", async () => {
    await rejectsNaming(() => glrt(sim.data, small, { coefficient, B: 0, pool: "pool" as never }), "options.pool");
  });
});

describe("model choice validates its signal (was TypeError: throwIfAborted is not a function)", () => {
  test("selectBandwidth", async () => {
    await rejectsNaming(() => selectBandwidth(sim.data, { K: 2, candidates: [0.5], folds: 2, grid: 5, maxIter: 5, signal: "stop" as never }), "options.signal");
  });
  test("selectK", async () => {
    await rejectsNaming(() => selectK(sim.data, { candidates: [1, 2], bandwidth: 0.5, grid: 5, maxIter: 5, signal: 5 as never }), "options.signal");
  });
});

describe("simulate validates what it used unchecked", () => {
  test("offset must be a boolean and applies to count families", async () => {
    await rejectsNaming(() => simulate({ family: "poisson", K: 2, n: 50, offset: "yes" as never }), "options.offset");
    await rejectsNaming(() => simulate({ family: "gaussian", K: 4, n: 50, scenario: "mix", offset: true }), "options.offset");
  });
  test("scenario: null and K: null are input errors, not the defaults", async () => {
    await rejectsNaming(() => simulate({ family: "negbin", K: 3, n: 50, scenario: null as never }), "options.scenario");
    await rejectsNaming(() => simulate({ n: 50, K: null as never }), "options.K");
  });
  test("n has an upper bound (n = 1e9 aborted the wasm core and exhausted memory on js)", async () => {
    await rejectsNaming(() => simulate({ n: 1e9 }), "options.n");
  });
});

describe("a covariate of tiny magnitude (found by the fuzz run after internal standardisation)", () => {
  // its coefficients are near 1e300 on the caller's scale, so their variances (~1e600) overflow:
  // the covariance held Infinity with no warning
  test("fitConstant: the overflowing covariance comes with a warning naming the coefficients", async () => {
    const sim = await simulate({ family: "poisson", n: 200, seed: 1 });
    const z1 = Array.from(sim.data.z!.z1 as ArrayLike<number>, (v) => v * 1e-300);
    const r = await fitConstant({ ...sim.data, z: { z1 } }, { K: 2, family: "poisson", seed: 1 });
    expect(r.standardErrors!.covariance.flat().some((v) => !Number.isFinite(v))).toBe(true);
    expect(r.warnings.join("\n")).toMatch(/\(co\)variance of expert\[1\] z1, expert\[2\] z1 exceeds double precision/);
  });
  test("glrt: the null fit's overflowing constant variance is in the test's warnings", async () => {
    const sim = await simulate({ n: 300, seed: 2 });
    const z1 = Array.from(sim.data.z!.z1 as ArrayLike<number>, (v) => v * 1e-300);
    const t = await glrt({ ...sim.data, z: { z1 } }, { K: 2, bandwidth: 0.5, grid: 10 }, { coefficient: { part: "expert", component: 1, term: "z1" }, B: 0 });
    expect(t.warnings.join("\n")).toMatch(/null fit: .*\(co\)variance of expert\[1\] z1 exceeds double precision/);
  });
});

test("a negative-binomial fit's effective df is the same on both backends (the smoother trace took log θ from the engine's Math.log, which differs from the core's in the last bit)", async () => {
  const { readFileSync } = await import("node:fs");
  const input = JSON.parse(readFileSync(new URL("./fixtures/negbin-df-backends.json", import.meta.url), "utf8"));
  const [a, b] = await Promise.all(["wasm", "js"].map((backend) => fit(input.data, { ...input.options, backend: backend as "wasm" | "js" })));
  expect(a.statistics!.df).toBe(b.statistics!.df);
  expect(a.statistics!.dfParts).toEqual(b.statistics!.dfParts);
});
