// Runs one fuzz case against the built library (dist/index.js) in a worker thread, so
// that a hang can be stopped by terminating the worker. Receives { id, fn, input, backend }
// and answers { id, outcome } where outcome summarises what happened (see classify()).
import { parentPort } from "node:worker_threads";
import { isDeepStrictEqual } from "node:util";

const lib = await import(new URL("../../dist/index.js", import.meta.url).href);

/** Every non-finite number inside a result, as paths (capped). */
function nonFinitePaths(v, path = "result", out = []) {
  if (out.length >= 5) return out;
  if (typeof v === "number") { if (!Number.isFinite(v)) out.push(`${path}=${v}`); return out; }
  if (ArrayBuffer.isView(v)) { for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) { out.push(`${path}[${i}]`); break; } return out; }
  if (Array.isArray(v)) { v.forEach((x, i) => nonFinitePaths(x, `${path}[${i}]`, out)); return out; }
  if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) nonFinitePaths(x, `${path}.${k}`, out);
  return out;
}

/** Warnings anywhere a result keeps them. */
function warningsOf(r) {
  if (!r || typeof r !== "object") return [];
  return [...(r.warnings ?? []), ...(r.diagnostics?.warnings ?? []), ...(r.fit?.warnings ?? [])];
}

/** Fields that legitimately differ between backends or runs. */
function comparable(r) {
  return JSON.parse(JSON.stringify(r, (k, v) => (k === "backend" || k === "ms" || k === "elapsedMs" ? undefined : v)));
}

/** A fit to run the dependent calls (predict, inference) against; thrown errors propagate. */
async function baseFit(input, backend) {
  return lib.fit(input.fitData, { ...input.fitOptions, backend });
}

const CALLS = {
  fit: (i, backend) => lib.fit(i.data, { ...i.options, backend }),
  fitConstant: (i, backend) => lib.fitConstant(i.data, { ...i.options, backend }),
  simulate: (i, backend) => lib.simulate({ ...i.options, backend }),
  predict: async (i, backend) => lib.predict(await baseFit(i, backend), i.newData, { backend }),
  standardErrors: async (i, backend) => lib.standardErrors(await baseFit(i, backend), i.data ?? i.fitData, { ...i.options, backend }),
  confidenceBands: async (i, backend) => lib.confidenceBands(await baseFit(i, backend), i.data ?? i.fitData, { ...i.options, backend, workers: 0 }),
  glrt: (i, backend) => lib.glrt(i.data, { ...i.options, backend }, { ...i.test, workers: 0 }),
  selectBandwidth: (i, backend) => lib.selectBandwidth(i.data, { ...i.options, backend }),
  selectK: (i, backend) => lib.selectK(i.data, { ...i.options, backend }),
};

/**
 * ok: the call returned; nonFinite lists non-finite numbers in the result and `warned`
 * says whether the result carries a warning. error: the error's class name, `.argument`
 * and message. `mutated`: the input differed after the call.
 */
async function classify(fn, input, backend) {
  const before = structuredClone(input);
  let outcome;
  try {
    const r = await CALLS[fn](input, backend);
    const nonFinite = nonFinitePaths(r);
    outcome = { kind: "ok", nonFinite, warned: warningsOf(r).length > 0, result: comparable(r) };
  } catch (e) {
    outcome = {
      kind: "error", name: e?.name ?? typeof e, ctor: e?.constructor?.name ?? "", argument: e?.argument ?? null,
      message: String(e?.message ?? e).slice(0, 300),
    };
  }
  outcome.mutated = !isDeepStrictEqual(before, input);
  return outcome;
}

parentPort.on("message", async ({ id, fn, input, backend }) => {
  const outcome = await classify(fn, input, backend);
  parentPort.postMessage({ id, outcome });
});
parentPort.postMessage({ ready: true });
