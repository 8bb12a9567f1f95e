// Times whole fit() calls for every expert family at n = 10^4 on both backends and
// writes bench/FAMILIES.md (rows for bench/RESULTS.md; the lead merges them).
// Run with `npm run bench:families` (builds first; this script imports ../dist/index.js).
//
// Options: --runs=<n> timed runs per case and backend (default 3, after one warm-up run),
//          --only=<substring of case ids>, --no-write (print only).
import { cpus, loadavg, platform, release } from "node:os";
import { writeFileSync } from "node:fs";
import { fit, simulate } from "../dist/index.js";

const BACKENDS = ["wasm", "js"];
const OUT = new URL("./FAMILIES.md", import.meta.url);
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")).map(([k, v]) => [k, v ?? true]));
const N = 1e4;
/** The bandwidth of bench/fit-bench.mjs: 0.25 at n = 1000, shrinking at the n^(-1/5) rate. */
const H = 0.25 * (N / 1000) ** (-1 / 5);

const CASES = [
  { id: "gaussian-ws", family: "gaussian", sim: { n: N, seed: 1 }, label: "gaussian, \"ws\" scenario" },
  { id: "gaussian", family: "gaussian", sim: { family: "gaussian", K: 2, n: N, seed: 1, scenario: "mix" }, label: "gaussian, \"mix\"" },
  { id: "binomial", family: "binomial", sim: { family: "binomial", K: 2, n: N, seed: 1 }, label: "binomial (trials 10–30), \"mix\"" },
  { id: "bernoulli", family: "binomial", sim: { family: "binomial", K: 2, n: N, seed: 1, trials: 1 }, label: "binomial, Bernoulli (trials 1), \"mix\"" },
  { id: "poisson", family: "poisson", sim: { family: "poisson", K: 2, n: N, seed: 1 }, label: "poisson with offset, \"mix\"" },
  { id: "negbin", family: "negbin", sim: { family: "negbin", K: 2, n: N, seed: 1 }, label: "negbin with offset, θ varying, \"mix\"" },
  { id: "negbin-const", family: "negbin", dispersion: "constant", sim: { family: "negbin", K: 2, n: N, seed: 1, dispersion: "constant" }, label: "negbin with offset, θ constant, \"mix\"" },
];

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function timeOnce(data, options, backend) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const res = await fit(data, { ...options, backend });
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000, res };
}

const fmt = (x, d = 1) => (x === null || x === undefined || !Number.isFinite(x) ? "–" : x.toFixed(d));

async function main() {
  const runs = args.runs ? Number(args.runs) : 3;
  const only = typeof args.only === "string" ? args.only : null;
  const loadBefore = loadavg();
  const started = new Date();
  const rows = [];
  for (const c of CASES.filter((k) => !only || k.id.includes(only))) {
    const { data } = await simulate(c.sim);
    const options = { family: c.family, K: 2, bandwidth: H, grid: 50, seed: 1, ...(c.dispersion ? { dispersion: c.dispersion } : {}) };
    const samples = Object.fromEntries(BACKENDS.map((b) => [b, []]));
    for (const b of BACKENDS) await timeOnce(data, options, b); // warm-up
    for (let r = 0; r < runs; r++) for (const b of BACKENDS) samples[b].push(await timeOnce(data, options, b));
    const res = Object.fromEntries(BACKENDS.map((b) => {
      const xs = samples[b], last = xs[xs.length - 1].res;
      return [b, { wall: median(xs.map((x) => x.wall)), cpu: median(xs.map((x) => x.cpu)), iterations: last.iterations, converged: last.converged, logLik: last.logLik }];
    }));
    for (const b of BACKENDS) {
      console.log(`${c.id} ${b}: median ${fmt(res[b].wall)} ms wall, ${fmt(res[b].cpu)} ms CPU, ${res[b].iterations} EM iterations, logLik ${res[b].logLik.toFixed(6)}`);
    }
    rows.push({ ...c, runs, res });
  }
  const loadAfter = loadavg();
  const md = [
    "# Family timings (n = 10^4)",
    "",
    "Written by `npm run bench:families` (bench/family-bench.mjs). Whole `fit()` calls (data checks, constant-coefficient",
    "initialisation with its starts and their screening, label-consistent EM, result assembly) on data from",
    "`simulate({ family, K: 2, n: 1e4, seed: 1 })` (the \"mix\" scenario; the first row is the Gaussian \"ws\" scenario of",
    "bench/fit-bench.mjs), K = 2, expert covariate z1, gating covariate x1, 50 grid points, Epanechnikov kernel,",
    `bandwidth h = 0.25·(n/1000)^(−1/5) = ${H.toFixed(4)} on the unit u scale, seed 1. One warm-up run per case and backend,`,
    `then ${rows[0]?.runs ?? "–"} timed runs alternating between the backends; medians. "CPU" is the process's user + system CPU time`,
    "per fit (less sensitive to other jobs than wall-clock time).",
    "",
    `- Date: ${started.toISOString()}`,
    `- Machine: ${cpus()[0]?.model ?? "unknown CPU"} (${cpus().length} logical cores), ${platform()} ${release()}`,
    `- Node ${process.version} (V8 ${process.versions.v8})`,
    `- Load average (1/5/15 min) at start ${loadBefore.map((x) => x.toFixed(2)).join(" / ")}, at end ${loadAfter.map((x) => x.toFixed(2)).join(" / ")}.`,
    "  **The machine is shared with other jobs**: wall-clock times are inflated and noisy; CPU times and ratios are more stable.",
    "",
    "| family / case | n | runs | WebAssembly median ms (CPU) | TypeScript median ms (CPU) | CPU ratio (TS ÷ wasm) | EM iterations (wasm / TS) | logLik (wasm = TS) |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map((r) => `| ${r.label} | ${N} | ${r.runs} | ${fmt(r.res.wasm.wall, 0)} (${fmt(r.res.wasm.cpu, 0)}) | ${fmt(r.res.js.wall, 0)} (${fmt(r.res.js.cpu, 0)}) | `
      + `${fmt(r.res.js.cpu / r.res.wasm.cpu, 2)}× | ${r.res.wasm.iterations} / ${r.res.js.iterations} | `
      + `${r.res.wasm.logLik.toFixed(4)}${r.res.wasm.logLik === r.res.js.logLik ? "" : ` vs ${r.res.js.logLik.toFixed(4)}`} |`),
    "",
  ].join("\n");
  console.log("\n" + md);
  if (!args["no-write"]) {
    writeFileSync(OUT, md);
    console.log(`wrote ${OUT.pathname}`);
  }
}

await main();
