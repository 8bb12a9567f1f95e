// Timings of the parallel jobs of issues 11 and 9: a bootstrap band (B = 500, n = 1000, default
// h and grid, 2 workers; Gaussian, Poisson and negative-binomial experts) and a GLRT with B = 200
// bootstrap replicates (n = 500, 2 workers).
// Writes the `jobs` section of bench/RESULTS.md. Run: `npm run bench:jobs`
// Options: --repeats=<n> (default 5), --no-write.
//
// Wall time includes starting the workers. "CPU" is the process's user + system time over
// the call (all threads: the workers are threads of this process), so CPU / 2 is the wall
// time two otherwise idle cores would need; it is the steadier figure on a shared machine.
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { confidenceBands, fit, glrt, parseCsvColumns, simulate } from "../dist/index.js";
import { writeSection } from "./results-sections.mjs";

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")).map(([k, v]) => [k, v ?? true]));
const repeats = Number(args.repeats ?? 5);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

async function timed(run) {
  const c0 = process.cpuUsage(), t0 = performance.now();
  const out = await run();
  const wall = performance.now() - t0, c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000, out };
}

const c = parseCsvColumns(readFileSync(new URL("../data/sim_ws_n1000.csv", import.meta.url), "utf8"));
const ws = { y: c.y, u: c.u, z: { z1: c.z1 }, x: { x1: c.x1 } };
const original = await fit(ws, { K: 2, seed: 1 }); // default bandwidth and grid
const { data: d500 } = await simulate({ n: 500, seed: 1 });
// issue 9: the same band for count experts (simulate's "mix" scenario, n = 1000, K = 2, default h and grid)
const counts = Object.fromEntries(await Promise.all(["poisson", "negbin"].map(async (family) => {
  const { data } = await simulate({ family, n: 1000, K: 2, seed: 1 });
  return [family, { data, fit: await fit(data, { family, K: 2, seed: 1 }) }];
})));

const jobs = [
  {
    label: `bootstrap band (parametric, sup-t), B = 500, data/sim_ws_n1000.csv, K = 2, default h (${original.model.bandwidth.toFixed(3)}) and grid, 2 workers`,
    target: 10_000,
    run: () => confidenceBands(original, ws, { method: "bootstrap", B: 500, seed: 1, workers: 2 }),
    note: (b) => `median EM maps per refit ${b.details.bootstrap.medianIterations}, failed ${b.details.bootstrap.failed}`,
  },
  {
    label: "GLRT of H0: expert 1’s z1 coefficient constant in u, B = 200 bootstrap replicates, simulate({ n: 500, seed: 1 }), K = 2, h = 0.25, 2 workers",
    target: 10_000,
    run: () => glrt(d500, { K: 2, bandwidth: 0.25 }, { coefficient: { part: "expert", component: 1, term: "z1" }, B: 200, seed: 1, workers: 2 }),
    note: (t) => `bootstrap p-value ${t.pValueBootstrap}`,
  },
  ...["poisson", "negbin"].map((family) => ({
    label: `bootstrap band (parametric, sup-t), B = 500, simulate({ family: '${family}', n: 1000, K: 2, seed: 1 }), default h (${counts[family].fit.model.bandwidth.toFixed(3)}) and grid, 2 workers`,
    target: 10_000,
    run: () => confidenceBands(counts[family].fit, counts[family].data, { method: "bootstrap", B: 500, seed: 1, workers: 2 }),
    note: (b) => `median EM maps per refit ${b.details.bootstrap.medianIterations}, failed ${b.details.bootstrap.failed}`,
  })),
];

const load0 = loadavg();
const rows = [];
for (const job of jobs) {
  const samples = [];
  for (let r = 0; r < repeats; r++) samples.push(await timed(job.run));
  const row = { label: job.label, target: job.target, wall: median(samples.map((s) => s.wall)), cpu: median(samples.map((s) => s.cpu)), note: job.note(samples[0].out), loadEnd: loadavg()[0] };
  console.log(`${job.label}: median wall ${(row.wall / 1000).toFixed(2)} s, CPU ${(row.cpu / 1000).toFixed(2)} s (${repeats} runs); ${row.note}`);
  rows.push(row);
}
const load1 = loadavg();
const fmtS = (ms) => (ms / 1000).toFixed(2);
const md = [
  "## Parallel jobs (issue 11)",
  "",
  `\`npm run bench:jobs\` (bench/speed-jobs.mjs), ${new Date().toISOString()}; median of ${repeats} runs each. Wall time includes worker start-up;`,
  "CPU is the whole process's (workers are its threads), so CPU ÷ 2 is what two idle cores would need.",
  `Load average ${load0.map((x) => x.toFixed(2)).join(" / ")} at start, ${load1.map((x) => x.toFixed(2)).join(" / ")} at end.`,
  "",
  "| job | wall s (median) | CPU s (median) | CPU ÷ 2 s | target | status, wall | status, CPU ÷ 2 | notes |",
  "| --- | ---: | ---: | ---: | --- | --- | --- | --- |",
  ...rows.map((r) => `| ${r.label} | ${fmtS(r.wall)} | ${fmtS(r.cpu)} | ${fmtS(r.cpu / 2)} | ≤ ${fmtS(r.target)} s | ${r.wall <= r.target ? "met" : "not met"} | ${r.cpu / 2 <= r.target ? "met" : "not met"} | ${r.note}; 1-min load at end ${r.loadEnd.toFixed(1)} |`),
].join("\n");
console.log("\n" + md);
if (!args["no-write"]) writeSection("jobs", md);
