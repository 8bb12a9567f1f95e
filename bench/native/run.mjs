// WebAssembly vs native C on the hottest kernel of a default fit (issue 11): the smoothed
// E-step (assembly/estep.ts estepSmoothed, K = 2 path) at the converged parameters of the
// fit of data/sim_ws_n1000.csv (K = 2, h = 0.25, 50 grid points). The C twin is
// bench/native/estep_smoothed.c, compiled here with `cc -O3 -march=native -ffp-contract=off`.
// Both are timed as the minimum over many calls on the same state (steadier than a median
// on a shared machine); their objectives and posteriors must agree bit for bit.
// Run: `npm run bench:native` (builds first). Writes the `native` section of bench/RESULTS.md.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { writeSection } from "../results-sections.mjs";

const reps = Number(process.argv.find((a) => a.startsWith("--reps="))?.slice(7) ?? 300);
let captured = null;
const realInstantiate = WebAssembly.instantiate;
// the library instantiates synchronously where it can and falls back to WebAssembly.instantiate
// when that throws: refuse the synchronous constructor so that every instance passes the hook below
WebAssembly.Instance = new Proxy(WebAssembly.Instance, { construct() { throw new Error("bench hook: instantiate asynchronously"); } });
WebAssembly.instantiate = async function (mod, imports) {
  const inst = await realInstantiate.call(WebAssembly, mod, imports);
  const instance = inst instanceof WebAssembly.Instance ? inst : inst.instance;
  const ex = { ...instance.exports };
  const raw = instance.exports.estepSmoothed, memory = instance.exports.memory;
  ex.estepSmoothed = (rows, grid) => {
    const m = new Int32Array(memory.buffer, grid + 24, 1)[0];
    // a copy of the memory too: when the fit ends, its core is reset (zeroed) for reuse
    if (m === 50) captured = { raw, memory, rows, grid, snapshot: memory.buffer.slice(0) };
    return raw(rows, grid);
  };
  const fake = { exports: ex };
  return inst instanceof WebAssembly.Instance ? fake : { instance: fake, module: inst.module };
};
const { fit, parseCsvColumns } = await import("../../dist/index.js");
const c = parseCsvColumns(readFileSync(new URL("../../data/sim_ws_n1000.csv", import.meta.url), "utf8"));
const res = await fit({ y: c.y, u: c.u, z: { z1: c.z1 }, x: { x1: c.x1 } }, { K: 2, bandwidth: 0.25, seed: 1 });
if (!captured) throw new Error("no smoothed E-step on the 50-point grid was seen");

// the state: struct fields at the offsets of src/core/generated/kernels.ts (Rows, Grid), in the
// memory as it was at the last smoothed E-step of the fit (restored: the core was reset since)
const { raw, memory, rows, grid, snapshot } = captured;
new Uint8Array(memory.buffer).set(new Uint8Array(snapshot));
const i32 = (addr) => new Int32Array(memory.buffer, addr, 1)[0];
const f64 = (addr) => new Float64Array(memory.buffer, addr, 1)[0];
const buf = (structAddr, off, Ctor, len) => new Ctor(memory.buffer, i32(i32(structAddr + off) + 4), len);
const n = i32(rows), m = i32(grid + 24), h = f64(grid);
if (i32(rows + 4) !== 2 || i32(rows + 8) !== 2 || i32(rows + 12) !== 2 || i32(rows + 16) !== 0 || i32(grid + 28) !== 1) throw new Error("expected K = q = p = 2, Gaussian, Epanechnikov");
const w = buf(rows, 28, Float64Array, n);
if (w.some((v) => v !== 1)) throw new Error("expected unit weights");
const parts = [
  Int32Array.of(n, m), Float64Array.of(h),
  buf(rows, 20, Float64Array, n), buf(rows, 24, Float64Array, n), buf(rows, 32, Float64Array, 2 * n), buf(rows, 36, Float64Array, 2 * n),
  buf(grid, 32, Float64Array, m), buf(grid, 36, Int32Array, m), buf(grid, 40, Int32Array, m),
  buf(grid, 56, Float64Array, 4 * m), buf(grid, 60, Float64Array, 4 * m), buf(grid, 64, Float64Array, 2 * m),
  buf(grid, 68, Float64Array, 4 * m), buf(grid, 72, Float64Array, 4 * m),
].map((a) => Buffer.from(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength)));
const dir = mkdtempSync(join(tmpdir(), "vcmoe-native-"));
writeFileSync(join(dir, "state.bin"), Buffer.concat(parts));

const load0 = loadavg();
let obj = 0, best = Infinity;
for (let r = 0; r < reps; r++) {
  const t0 = performance.now();
  obj = raw(rows, grid);
  best = Math.min(best, performance.now() - t0);
}
const R = buf(rows, 44, Float64Array, 2 * n);
let checksum = 0;
for (let i = 0; i < 2 * n; i++) checksum += R[i] * ((i % 7) + 1);
const wasm = { objective: obj, checksum, minMicroseconds: best * 1000 };

const src = new URL("./estep_smoothed.c", import.meta.url).pathname, exe = join(dir, "estep_smoothed");
const flags = ["-O3", "-march=native", "-ffp-contract=off"];
execFileSync("cc", [...flags, "-o", exe, src, "-lm"]);
const native = JSON.parse(execFileSync(exe, [join(dir, "state.bin"), String(reps)], { encoding: "utf8" }));
const load1 = loadavg();
const cc = execFileSync("cc", ["--version"], { encoding: "utf8" }).split("\n")[0];
const same = Object.is(wasm.objective, native.objective) && Object.is(wasm.checksum, native.checksum);
const ratio = native.minMicroseconds / wasm.minMicroseconds;
console.log({ wasm, native, same, ratio, logLik: res.logLik });
const md = [
  "## WebAssembly vs native C (issue 11)",
  "",
  `\`npm run bench:native\` (bench/native/run.mjs), ${new Date().toISOString()}. The smoothed E-step (estepSmoothed, K = 2 path) at the`,
  `converged parameters of the fit of data/sim_ws_n1000.csv (K = 2, h = 0.25, 50 grid points; ${n} rows, ${m} grid points); its C twin`,
  `bench/native/estep_smoothed.c, same arithmetic and the core's own exp/log, compiled with \`cc ${flags.join(" ")}\` (${cc}).`,
  `Minimum time per call over ${reps} calls each. Load average ${load0.map((x) => x.toFixed(2)).join(" / ")} at start, ${load1.map((x) => x.toFixed(2)).join(" / ")} at end.`,
  "",
  "| build | µs per call (min) | objective ℓ_S | posteriors checksum |",
  "| --- | ---: | ---: | ---: |",
  `| WebAssembly (Node ${process.version}) | ${wasm.minMicroseconds.toFixed(1)} | ${wasm.objective} | ${wasm.checksum} |`,
  `| native C | ${native.minMicroseconds.toFixed(1)} | ${native.objective} | ${native.checksum} |`,
  "",
  `WebAssembly ÷ native speed (native time ÷ WebAssembly time): **${ratio.toFixed(2)}** (target ≥ 0.6). Results ${same ? "bit-identical" : "DIFFER"}.`,
].join("\n");
console.log(md);
if (!process.argv.includes("--no-write")) writeSection("native", md);
