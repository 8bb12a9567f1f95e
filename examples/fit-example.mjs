// The README's main job: fit the bundled example data (simulated by the package's
// own "ws" scenario, two latent components) and print a summary.
import { readFileSync } from "node:fs";
import { fit, formatSummary, parseCsvColumns } from "../dist/index.js";

const cols = parseCsvColumns(readFileSync(new URL("./data/ws_n1000.csv", import.meta.url), "utf8"));
const t0 = performance.now();
const res = await fit(
  { y: cols.y, u: cols.u, z: { z1: cols.z1 }, x: { x1: cols.x1 } },
  { K: 2, bandwidth: 0.25, seed: 1 },
);
const ms = performance.now() - t0;
console.log(formatSummary(res));
console.log(`\nfit time: ${ms.toFixed(1)} ms (includes WebAssembly start-up)`);
