import { readFileSync } from "node:fs";
import { test } from "vitest";
import { fitConstant, fit } from "../src/index.js";

function csv(path: string): Record<string, number[]> {
  const [head, ...rows] = readFileSync(path, "utf8").trim().split("\n");
  const names = head.split(",").map((s) => s.replace(/"/g, ""));
  const out: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const r of rows) r.split(",").forEach((v, k) => out[names[k]].push(Number(v)));
  return out;
}

test("smoke", async () => {
  const d = csv("../shared/data/tonedata.csv");
  for (const backend of ["wasm", "js"] as const) {
    const t0 = performance.now();
    const r1 = await fitConstant({ y: d.tuned, z: { stretchratio: d.stretchratio } }, { K: 2, backend });
    const r2 = await fitConstant({ y: d.tuned, z: { stretchratio: d.stretchratio }, x: { stretchratio: d.stretchratio } }, { K: 2, backend });
    console.log(backend, performance.now() - t0, r1.logLik, r1.iterations, JSON.stringify(r1.experts), r2.logLik, JSON.stringify(r2.experts), JSON.stringify(r2.gating));
  }
  const s = csv("../shared/data/sim_ws_n1000.csv");
  for (const backend of ["wasm", "js"] as const) {
    const t0 = performance.now();
    const f = await fit({ y: s.y, u: s.u, z: { z1: s.z1 }, x: { x1: s.x1 } }, { K: 2, bandwidth: 0.25, backend });
    console.log(backend, "vc", performance.now() - t0, f.logLik, f.iterations, f.converged, f.diagnostics.warnings, f.diagnostics.initialisation.logLik);
  }
});
