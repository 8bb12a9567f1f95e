// Soak and abort study (issue 12): 10^4 consecutive fits in one process with memory sampled
// (rss, heapUsed, external, arrayBuffers), and the latency of aborting bootstrap work mid-run.
// Writes bench/soak.json; bench/reliability-report.mjs turns it into docs/reliability.md.
// Run: npm run soak   (after npm run build; about 5 minutes on the project's 2-core machine)
import { writeFileSync } from "node:fs";
import { confidenceBands, fit, glrt, simulate } from "../dist/index.js";

const FITS = Number(process.argv[2] ?? 10_000);
const SAMPLE_EVERY = Math.max(1, Math.floor(FITS / 40));
const gc = globalThis.gc ?? (() => {});

const mem = () => { const m = process.memoryUsage(); return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers }; };

const data = [];
for (let s = 0; s < 10; s++) data.push((await simulate({ n: 150, seed: 1000 + s })).data);

const samples = [];
const t0 = performance.now();
for (let i = 0; i < FITS; i++) {
  await fit(data[i % data.length], { K: 2, bandwidth: 0.35, grid: 10, seed: i + 1, backend: i % 2 ? "js" : "wasm" });
  if (i % SAMPLE_EVERY === 0 || i === FITS - 1) { gc(); samples.push({ fits: i + 1, ...mem() }); }
}
const seconds = (performance.now() - t0) / 1000;

/** Aborts after the first replicate finishes; returns ms from abort to rejection and the worker ports left 200 ms later. */
async function abortOnce(start) {
  const ac = new AbortController();
  let at = 0;
  const run = start(ac.signal, () => { if (!at) { at = performance.now(); ac.abort(new Error("abort")); } });
  let latency = NaN;
  try { await run; } catch { latency = performance.now() - at; }
  await new Promise((r) => setTimeout(r, 200));
  return { latency, ports: process.getActiveResourcesInfo().filter((r) => r === "MessagePort").length };
}

const sim = await simulate({ n: 500, seed: 3 });
const res = await fit(sim.data, { K: 2, bandwidth: 0.3, grid: 20 });
const aborts = { bandsWorkers: [], bandsInThread: [], glrtWorkers: [] };
for (let k = 0; k < 10; k++) {
  aborts.bandsWorkers.push(await abortOnce((signal, onProgress) => confidenceBands(res, sim.data, { method: "bootstrap", B: 400, workers: 2, seed: k + 1, signal, onProgress })));
  aborts.bandsInThread.push(await abortOnce((signal, onProgress) => confidenceBands(res, sim.data, { method: "bootstrap", B: 400, workers: 0, seed: k + 1, signal, onProgress })));
  aborts.glrtWorkers.push(await abortOnce((signal, onProgress) => glrt(sim.data, { K: 2, bandwidth: 0.3, grid: 15 },
    { coefficient: { part: "expert", component: 1, term: "z1" }, B: 300, workers: 2, seed: k + 1, signal, onProgress })));
}

const out = { date: new Date().toISOString(), node: process.version, fits: FITS, seconds, gcExposed: typeof globalThis.gc === "function", samples, aborts };
writeFileSync(new URL("./soak.json", import.meta.url), JSON.stringify(out, null, 1));
const first = samples[Math.min(2, samples.length - 1)], last = samples.at(-1);
console.log(`${FITS} fits in ${seconds.toFixed(0)} s; heapUsed ${(first.heapUsed / 1e6).toFixed(1)} -> ${(last.heapUsed / 1e6).toFixed(1)} MB, rss ${(first.rss / 1e6).toFixed(0)} -> ${(last.rss / 1e6).toFixed(0)} MB`);
for (const [k, v] of Object.entries(aborts)) console.log(k, "abort latency ms", v.map((x) => x.latency.toFixed(0)).join(" "), "ports left", v.map((x) => x.ports).join(""));
