// Property tests on random and hostile input (fast-check) for every public call, against the
// built library (dist/index.js) on both backends. Each call must either return a result whose
// numbers are finite (or non-finite only beside a warning), or throw a typed VCMoEInputError
// naming the argument (or a VCMoEFitError); never another error (a WebAssembly trap, a
// TypeError), never run past the time limit, never mutate its input, and the WebAssembly and
// JavaScript backends must agree exactly.
//
// `npm test` runs a fixed-seed subset (VCMOE_FUZZ_RUNS inputs per call, default 12);
// `npm run test:fuzz` runs 1200 per call and writes bench/fuzz-stats.json, from which
// bench/reliability-report.mjs writes the table in docs/reliability.md.
import { mkdirSync, writeFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { afterAll, describe, test } from "vitest";
import { CASES, type FuzzCase } from "./fuzz/cases.js";
import { FuzzRunner, type Outcome } from "./fuzz/runner.js";

const RUNS = Number(process.env.VCMOE_FUZZ_RUNS ?? 12);
const SEED = Number(process.env.VCMOE_FUZZ_SEED ?? 20261203);
const TIME_LIMIT_MS = Number(process.env.VCMOE_FUZZ_TIME_LIMIT_MS ?? 120_000);
/** Survey mode: count contract violations instead of stopping at the first (for finding every defect class). */
const COLLECT = process.env.VCMOE_FUZZ_COLLECT === "1";

const runner = new FuzzRunner();
afterAll(() => runner.close());

/** Outcome counts per call: "ok", "ok (warned non-finite)", "VCMoEInputError <argument>", "VCMoEFitError". */
const stats: Record<string, Record<string, number>> = {};
/** One message per outcome label (for reading the report). */
const examples: Record<string, Record<string, string>> = {};
const count = (fn: string, key: string, example: string) => {
  (stats[fn] ??= {})[key] = (stats[fn][key] ?? 0) + 1;
  (examples[fn] ??= {})[key] ??= example;
};

function label(o: Outcome): string {
  if (o.kind === "hang") return "hang";
  if (o.kind === "error") return o.ctor === "VCMoEInputError" ? `VCMoEInputError ${o.argument}` : o.ctor || o.name;
  return o.nonFinite.length ? "ok (non-finite values, warned)" : "ok";
}

/** Why an outcome breaks the contract, or null. */
function violation(o: Outcome): string | null {
  if (o.kind === "hang") return `no answer within ${TIME_LIMIT_MS} ms`;
  if (o.mutated) return "the input was mutated";
  if (o.kind === "error") {
    if (o.ctor === "VCMoEInputError") return typeof o.argument === "string" && o.argument.length > 0 ? null : "VCMoEInputError without an argument";
    if (o.ctor === "VCMoEFitError") return null;
    return `untyped error ${o.ctor || o.name}: ${o.message}`;
  }
  if (o.nonFinite.length && !o.warned) return `non-finite values without a warning: ${o.nonFinite.join(", ")}`;
  return null;
}

function describeOutcome(o: Outcome): string {
  return o.kind === "error" ? `${o.ctor}(${o.argument}): ${o.message}` : o.kind;
}

describe.each(Object.keys(CASES))("%s on random and hostile input", (fn) => {
  test(`${RUNS} generated inputs, both backends`, async () => {
    await fc.assert(fc.asyncProperty(CASES[fn], async (c: FuzzCase) => {
      const w = await runner.run(c.fn, c.input, "wasm", TIME_LIMIT_MS);
      const j = await runner.run(c.fn, c.input, "js", TIME_LIMIT_MS);
      let bad = violation(w) ?? violation(j);
      if (!bad && (w.kind !== j.kind || (w.kind === "error" && j.kind === "error" && (w.ctor !== j.ctor || w.argument !== j.argument)))) {
        bad = `backends disagree: wasm ${describeOutcome(w)}, js ${describeOutcome(j)}`;
      }
      if (!bad && w.kind === "ok" && j.kind === "ok" && !isDeepStrictEqual(w.result, j.result)) bad = "backends disagree on the result";
      if (bad && COLLECT) { count(fn, `VIOLATION ${bad.split(":")[0]}`, `${bad} | ${JSON.stringify(c).slice(0, 400)}`); return; }
      if (bad) throw new Error(bad);
      count(fn, label(w), w.kind === "error" ? w.message : w.kind === "ok" && w.nonFinite.length ? w.nonFinite.join(", ") : "");
    }), { numRuns: RUNS, seed: SEED, endOnFailure: true });
  }, Math.max(120_000, RUNS * 4_000));
});

afterAll(() => {
  if (!process.env.VCMOE_FUZZ_RUNS) return;
  mkdirSync("build", { recursive: true });
  // a survey (COLLECT) is for reading, not the committed record
  writeFileSync(COLLECT ? "build/fuzz-collect.json" : "bench/fuzz-stats.json", JSON.stringify({ runs: RUNS, seed: SEED, timeLimitMs: TIME_LIMIT_MS, stats, examples }, null, 2));
});
