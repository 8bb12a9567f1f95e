// Where a fit's time goes, per kernel and per fit stage (WebAssembly backend).
// Run with `npm run bench:profile` (builds first; imports ../dist/index.js).
//
// Every export of the WebAssembly instance is wrapped with a timer of the process's CPU
// time (process.cpuUsage() around the call: robust to other jobs on a shared machine;
// its resolution is ~1 µs and its own cost, ~1 µs a call, is included). The stage a
// call belongs to is read from the JavaScript stack once per distinct call site, not
// timed. Prints a table per kernel × stage: calls, total ms per fit, share.
//
// With --repeat=<r>, each call is instead run r times from the same memory state (the
// core's memory is copied before and restored between runs) and its minimum wall time
// is kept: a steadier figure on a busy machine (kernels run single-threaded).
//
// Options: --runs=<n> (default 20), --repeat=<r> (default 1), --data=<csv> (default data/sim_ws_n1000.csv),
//          --sim=<n> (instead of --data: simulate({ family, n, K, seed: 1 }), e.g. issue 11's
//          negative-binomial case: --sim=10000 --family=negbin --h=0.1577),
//          --K, --h, --family, --bootstrap=<B> (a bootstrap band per run instead of a fit),
//          --json (machine-readable output), --write[=<section>] (also into bench/RESULTS.md,
//          section `profile` by default), --title=<text> (heading of that section).
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { writeSection } from "./results-sections.mjs";

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")).map(([k, v]) => [k, v ?? true]));
const runs = Number(args.runs ?? 20);
const repeat = Number(args.repeat ?? 1);

// stage = the innermost of these pipeline functions on the stack
const STAGES = [
  ["refitFrom", "bootstrap: refit"],
  ["simulateReplicate", "bootstrap: draw"],
  ["compute", "bootstrap: sandwich"],
  ["runConstant", "constant initialisation"],
  ["screenStarts", "start screening"],
  ["refineLocally", "local refinement"],
  ["runLocalAlign", "local-align"],
  ["estimate", "label-consistent EM"],
  ["assembleFit", "report"],
  ["completeFit", "fit statistics (completeFit)"],
  ["fitModel", "problem/other"],
];
const stats = new Map(); // key kernel|stage -> { calls, ms }
let active = false;
const stageCache = new Map();

function stageOf() {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 50; // the pipeline function can sit deeper than the default 10 frames
  const stack = new Error().stack ?? "";
  Error.stackTraceLimit = limit;
  const cached = stageCache.get(stack);
  if (cached) return cached;
  const frames = stack.split("\n").slice(3).map((l) => l.trim().replace(/^at (async )?/, "").split(" ")[0] ?? "");
  let st = "other";
  outer: for (const f of frames) {
    for (const [fn, name] of STAGES) if (f === fn || f.endsWith(`.${fn}`)) { st = name; break outer; }
  }
  stageCache.set(stack, st);
  return st;
}

const realInstantiate = WebAssembly.instantiate;
// the library instantiates synchronously where it can and falls back to WebAssembly.instantiate
// when that throws: refuse the synchronous constructor so that every instance passes the hook below
WebAssembly.Instance = new Proxy(WebAssembly.Instance, { construct() { throw new Error("bench hook: instantiate asynchronously"); } });
WebAssembly.instantiate = async function (mod, imports) {
  const inst = await realInstantiate.call(WebAssembly, mod, imports);
  const instance = inst instanceof WebAssembly.Instance ? inst : inst.instance;
  const ex = {};
  for (const [name, v] of Object.entries(instance.exports)) {
    if (typeof v !== "function" || name.startsWith("new")) { ex[name] = v; continue; }
    const memory = instance.exports.memory;
    ex[name] = function (...a) {
      if (!active) return v(...a);
      let r, dt;
      if (repeat > 1) {
        // the call's minimum wall time over `repeat` runs from the same memory state
        const snap = new Uint8Array(memory.buffer).slice();
        dt = Infinity;
        for (let k = 0; k < repeat; k++) {
          if (k > 0) new Uint8Array(memory.buffer).set(snap);
          const t0 = performance.now();
          r = v(...a);
          dt = Math.min(dt, performance.now() - t0);
        }
      } else {
        const t0 = process.cpuUsage();
        r = v(...a);
        const u = process.cpuUsage(t0);
        dt = (u.user + u.system) / 1000;
      }
      const key = `${name}|${stageOf()}`;
      const s = stats.get(key) ?? { calls: 0, ms: 0 };
      s.calls++; s.ms += dt;
      stats.set(key, s);
      return r;
    };
  }
  const fake = { exports: ex };
  return inst instanceof WebAssembly.Instance ? fake : { instance: fake, module: inst.module };
};

const { fit, confidenceBands, parseCsvColumns, simulate } = await import(args.dist ? new URL(args.dist, `file://${process.cwd()}/`).href : "../dist/index.js");
const file = args.data ?? new URL("../data/sim_ws_n1000.csv", import.meta.url);
async function loadData() {
  if (args.sim) return (await simulate({ ...(args.family ? { family: args.family } : {}), n: Number(args.sim), K: Number(args.K ?? 2), seed: 1 })).data;
  const c = parseCsvColumns(readFileSync(file, "utf8"));
  return { y: c.y, u: c.u, z: { z1: c.z1 }, x: { x1: c.x1 }, ...(c.offset ? { offset: c.offset } : {}) };
}
const data = await loadData();
const dataName = args.sim ? `simulate({ ${args.family ? `family: '${args.family}', ` : ""}n: ${args.sim}, K: ${args.K ?? 2}, seed: 1 })` : typeof args.data === "string" ? args.data : "data/sim_ws_n1000.csv";
const options = { K: Number(args.K ?? 2), bandwidth: Number(args.h ?? 0.25), seed: 1, backend: "wasm", ...(args.family ? { family: args.family } : {}) };

// --bootstrap=<B>: time a parametric bootstrap band of B replicates in this thread instead of fits
let original = null;
async function bootstrapRun() {
  original ??= await fit(data, options);
  const b = await confidenceBands(original, data, { method: "bootstrap", B: Number(args.bootstrap), seed: 1, workers: 0 });
  return { iterations: b.details.bootstrap.medianIterations };
}
const load0 = loadavg();
if (args.bootstrap) await bootstrapRun(); else await fit(data, options); // warm-up: compilation, JIT
const walls = [], cpus = [];
let res;
const c0 = process.cpuUsage();
for (let r = 0; r < runs; r++) {
  active = !args["no-wrap"];
  const t0 = performance.now(), u0 = process.cpuUsage();
  res = args.bootstrap ? await bootstrapRun() : await fit(data, options);
  const u = process.cpuUsage(u0);
  cpus.push((u.user + u.system) / 1000);
  walls.push(performance.now() - t0);
  active = false;
}
const cpu = process.cpuUsage(c0);
const load1 = loadavg();
const med = [...walls].sort((a, b) => a - b)[walls.length >> 1];
const cpuSorted = [...cpus].sort((a, b) => a - b);

const rows = [...stats.entries()].map(([k, s]) => {
  const [kernel, stage] = k.split("|");
  return { kernel, stage, calls: s.calls / runs, ms: s.ms / runs };
}).sort((a, b) => b.ms - a.ms);
const inKernels = rows.reduce((t, r) => t + r.ms, 0);
const meanWall = walls.reduce((a, b) => a + b, 0) / runs;
const byStage = new Map();
for (const r of rows) byStage.set(r.stage, (byStage.get(r.stage) ?? 0) + r.ms);

const lines = [];
if (args.json) {
  console.log(JSON.stringify({ runs, medianWall: med, meanWall, cpuPerFit: (cpu.user + cpu.system) / 1000 / runs, rows, iterations: res.iterations, load: [load0, load1] }));
} else {
  const what = args.bootstrap ? `a parametric bootstrap band of B = ${args.bootstrap} replicates (in-thread)` : "fit";
  const timing = repeat > 1
    ? `each kernel call's minimum wall time over ${repeat} runs from the same memory state`
    : "CPU time (process.cpuUsage) around each kernel call";
  lines.push(
    `Data: ${dataName}, K = ${options.K}, bandwidth ${options.bandwidth}, ${options.family ?? "gaussian"}, all other options default, WebAssembly backend; ${runs} runs of ${what} after a warm-up; timing: ${timing}.`,
    `Kernel time per run ${inKernels.toFixed(1)} ms; process CPU per run median ${cpuSorted[cpus.length >> 1].toFixed(1)} ms${repeat > 1 ? " (inflated by the repeated calls)" : ""}; ${res.iterations} EM iterations.`,
    `Load average ${load0.map((x) => x.toFixed(2)).join(" / ")} at start, ${load1.map((x) => x.toFixed(2)).join(" / ")} at end.`,
    "",
    "| stage | kernel ms per run | share |",
    "| --- | ---: | ---: |",
    ...[...byStage.entries()].sort((a, b) => b[1] - a[1]).filter(([, ms]) => ms >= 0.005).map(([st, ms]) => `| ${st} | ${ms.toFixed(2)} | ${((100 * ms) / inKernels).toFixed(1)} % |`),
    "",
    "| kernel | stage | calls per run | ms per run | µs per call | share |",
    "| --- | --- | ---: | ---: | ---: | ---: |",
    ...rows.filter((r) => r.ms >= 0.005 * inKernels).map((r) => `| ${r.kernel} | ${r.stage} | ${r.calls.toFixed(0)} | ${r.ms.toFixed(2)} | ${((1000 * r.ms) / r.calls).toFixed(1)} | ${((100 * r.ms) / inKernels).toFixed(1)} % |`),
  );
  console.log(`fit: median wall ${med.toFixed(1)} ms, mean ${meanWall.toFixed(1)} ms, CPU median ${cpuSorted[cpus.length >> 1].toFixed(1)} ms, min ${cpuSorted[0].toFixed(1)} ms per run\n`);
  console.log(lines.join("\n"));
  if (args.write) {
    const name = typeof args.write === "string" ? args.write : "profile";
    const title = typeof args.title === "string" ? args.title : "Where the time goes (per kernel and stage)";
    const cmd = `node bench/profile-fit.mjs ${process.argv.slice(2).filter((a) => !a.startsWith("--write") && !a.startsWith("--title")).join(" ")}`.trim();
    writeSection(name, [`## ${title}`, "", `\`${cmd}\` (\`npm run bench:profile\`), ${new Date().toISOString()}.`, ...lines].join("\n"));
  }
}
