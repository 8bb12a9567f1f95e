// Fingerprints of fitted numbers (a hash of every number of a set of fits, on both
// backends) to check that a speed change leaves results bit-identical.
// `node bench/fingerprint.mjs` prints one line per case; diff two runs.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fit, parseCsvColumns, simulate, standardErrors, confidenceBands } from "../dist/index.js";

const c = parseCsvColumns(readFileSync(new URL("../data/sim_ws_n1000.csv", import.meta.url), "utf8"));
const ws = { y: c.y, u: c.u, z: { z1: c.z1 }, x: { x1: c.x1 } };
const hashOf = (v) => createHash("sha256").update(JSON.stringify(v, (k, x) => (x instanceof Float64Array ? Array.from(x) : x))).digest("hex").slice(0, 16);
const strip = (r) => ({ logLik: r.logLik, iterations: r.iterations, curves: r.curves, posteriors: r.posteriors, path: r.diagnostics?.objectivePath, constants: r.constants, statistics: r.statistics });

const cases = [
  ["ws1000 default", async (b) => fit(ws, { K: 2, bandwidth: 0.25, seed: 1, backend: b })],
  ["ws1000 refine", async (b) => fit(ws, { K: 2, bandwidth: 0.25, seed: 1, refine: true, backend: b })],
  ["ws1000 local-align", async (b) => fit(ws, { K: 2, bandwidth: 0.25, seed: 1, method: "local-align", backend: b })],
  ["ws1000 gaussian kernel", async (b) => fit(ws, { K: 2, bandwidth: 0.15, kernel: "gaussian", grid: 30, seed: 1, backend: b })],
  ["ws1000 hybrid", async (b) => fit(ws, { K: 2, bandwidth: 0.25, seed: 1, constant: [{ part: "expert", component: 1, term: "z1" }], backend: b })],
  ["sep3 K3", async (b) => { const { data } = await simulate({ n: 600, K: 3, scenario: "sep3", seed: 2 }); return fit(data, { K: 3, bandwidth: 0.3, seed: 1, backend: b }); }],
  ["poisson", async (b) => { const { data } = await simulate({ family: "poisson", n: 600, K: 2, seed: 3 }); return fit(data, { family: "poisson", K: 2, bandwidth: 0.3, seed: 1, backend: b }); }],
  ["negbin", async (b) => { const { data } = await simulate({ family: "negbin", n: 600, K: 2, seed: 4 }); return fit(data, { family: "negbin", K: 2, bandwidth: 0.3, seed: 1, backend: b }); }],
  ["binomial", async (b) => { const { data } = await simulate({ family: "binomial", n: 600, K: 2, seed: 5 }); return fit(data, { family: "binomial", K: 2, bandwidth: 0.3, seed: 1, backend: b }); }],
];
for (const [name, run] of cases) {
  const hs = [];
  for (const b of ["wasm", "js"]) hs.push(hashOf(strip(await run(b))));
  console.log(`${name.padEnd(24)} wasm ${hs[0]} js ${hs[1]}${hs[0] === hs[1] ? "" : "  BACKENDS DIFFER"}`);
}
const r = await fit(ws, { K: 2, bandwidth: 0.25, seed: 1 });
const se = await standardErrors(r, ws);
console.log(`${"ws1000 SEs".padEnd(24)} ${hashOf(se)}`);
const bands = await confidenceBands(r, ws, { method: "bootstrap", B: 20, seed: 3, workers: 1 });
console.log(`${"ws1000 bootstrap B=20".padEnd(24)} ${hashOf(bands.curves)}`);
