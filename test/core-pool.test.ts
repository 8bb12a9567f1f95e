// Reuse of WebAssembly cores between calls (withCore, src/core/backend.ts): a released core
// comes back in the state of a fresh one, so results cannot depend on what ran before.
import { expect, test } from "vitest";
import { withCore } from "../src/core/backend.js";
import { fit, simulate } from "../src/index.js";

test("a reused core hands out zeroed buffers from where a fresh one starts, module tables intact", async () => {
  const first = await withCore("wasm", (core) => {
    const a = core.f64(1000), b = core.i32(77);
    a.view().fill(7.5);
    b.view().fill(-3);
    // the core's functions give the same values before and after reuse
    return { refs: [a.ref, b.ref], exp: core.kernels.exp(0.7), lgamma: core.kernels.lgamma(12.5) };
  });
  const second = await withCore("wasm", (core) => {
    const a = core.f64(1000), b = core.i32(77);
    return {
      refs: [a.ref, b.ref], zero: a.view().every((v) => v === 0) && b.view().every((v) => v === 0),
      exp: core.kernels.exp(0.7), lgamma: core.kernels.lgamma(12.5),
    };
  });
  expect(second.refs).toEqual(first.refs); // the same memory, handed out again
  expect(second.zero).toBe(true);
  expect(second.exp).toBe(first.exp);
  expect(second.lgamma).toBe(first.lgamma);
});

test("a fit gives the same numbers whether its core is fresh or reused after other fits", async () => {
  const { data } = await simulate({ family: "negbin", n: 400, seed: 6 });
  const opts = { family: "negbin" as const, K: 2, bandwidth: 0.35, seed: 2 };
  const a = await fit(data, opts);
  // other work in between: larger data (the memory grows), another family, a failing call
  const big = await simulate({ n: 3000, seed: 1 });
  await fit(big.data, { K: 2, bandwidth: 0.2, seed: 1 });
  const pois = await simulate({ family: "poisson", n: 300, seed: 2 });
  await fit(pois.data, { family: "poisson", K: 3, bandwidth: 0.4, seed: 1 });
  await expect(fit(data, { ...opts, bandwidth: 0.001 })).rejects.toThrow();
  const b = await fit(data, opts);
  expect(b.logLik).toBe(a.logLik);
  expect(b.curves).toEqual(a.curves);
  expect(b.posteriors).toEqual(a.posteriors);
  expect(b.statistics).toEqual(a.statistics);
  expect(b.fitted).toEqual(a.fitted);
  // and the same as the JavaScript backend's, which has no reuse
  const c = await fit(data, { ...opts, backend: "js" });
  expect(c.curves).toEqual(a.curves);
});
