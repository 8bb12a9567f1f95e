// Tabulates simultaneous critical values (95%) for docs/inference.md: the
// extreme-value formula for the Epanechnikov and Gaussian kernels, a Monte Carlo
// 95% quantile of sup|Z| for Epanechnikov-smoothed white noise on [0, 1], and the
// Gaussian-multiplier values (median and range over the 10 curves) of fits to the
// bundled example data (n = 1000, grid of 50 points over the range of u).
//   node bench/ev-table.mjs   (after npm run build)
import { readFileSync } from "node:fs";
import { confidenceBands, extremeValueCritical, fit, parseCsvColumns } from "../dist/index.js";

function mulberry32(seed) { let a = seed >>> 0; return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; }; }
/** As test/inference/extremeValue.test.ts: N cells of white noise, prefix sums, sup over cell centres. */
function supQuantile(h, N, R, seed) {
  const r = mulberry32(seed);
  const x = Float64Array.from({ length: N }, (_, i) => (i + 0.5) / N);
  const lo = new Int32Array(N), hi = new Int32Array(N), sd = new Float64Array(N);
  for (let j = 0; j < N; j++) {
    let a = j, b = j;
    while (a > 0 && x[j] - x[a - 1] < h) a--;
    while (b < N && x[b] - x[j] < h) b++;
    lo[j] = a; hi[j] = b;
    let s = 0; for (let i = a; i < b; i++) s += (0.75 * (1 - ((x[j] - x[i]) / h) ** 2)) ** 2;
    sd[j] = Math.sqrt(s);
  }
  const eps = new Float64Array(N), P0 = new Float64Array(N + 1), P1 = new Float64Array(N + 1), P2 = new Float64Array(N + 1), sups = new Float64Array(R);
  for (let rep = 0; rep < R; rep++) {
    for (let i = 0; i < N; i += 2) { const rad = Math.sqrt(-2 * Math.log(1 - r())), th = 2 * Math.PI * r(); eps[i] = rad * Math.cos(th); if (i + 1 < N) eps[i + 1] = rad * Math.sin(th); }
    for (let i = 0; i < N; i++) { P0[i + 1] = P0[i] + eps[i]; P1[i + 1] = P1[i] + eps[i] * x[i]; P2[i + 1] = P2[i] + eps[i] * x[i] * x[i]; }
    let mx = 0;
    for (let j = 0; j < N; j++) { const a = lo[j], b = hi[j], t = x[j]; const S0 = P0[b] - P0[a], S1 = P1[b] - P1[a], S2 = P2[b] - P2[a]; mx = Math.max(mx, Math.abs(0.75 * (S0 - (t * t * S0 - 2 * t * S1 + S2) / (h * h)) / sd[j])); }
    sups[rep] = mx;
  }
  sups.sort();
  return sups[Math.ceil(0.95 * R) - 1];
}

const cols = parseCsvColumns(readFileSync(new URL("../examples/data/ws_n1000.csv", import.meta.url), "utf8"));
const data = { y: cols.y, u: cols.u, z: { z1: cols.z1 }, x: { x1: cols.x1 } };
const rows = ["| h (unit u) | EV Epanechnikov | EV Gaussian | Monte Carlo sup\\|Z\\| (Epanechnikov white noise) | multiplier, Epanechnikov fit: median [min, max] over curves |", "| --- | --- | --- | --- | --- |"];
for (const h of [0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]) {
  const ep = extremeValueCritical("epanechnikov", h, 0.95).criticalValue;
  const ga = extremeValueCritical("gaussian", h, 0.95).criticalValue;
  const mc = supQuantile(h, 4000, 4000, 11);
  let mult = "—";
  if (h >= 0.05) {
    const res = await fit(data, { K: 2, bandwidth: h, seed: 1 });
    const b = await confidenceBands(res, data, { method: "multiplier", draws: 20000, seed: 1 });
    const cv = b.curves.map((c) => c.criticalValue).sort((a, b2) => a - b2);
    mult = `${cv[Math.floor(cv.length / 2)].toFixed(3)} [${cv[0].toFixed(3)}, ${cv[cv.length - 1].toFixed(3)}]`;
  }
  rows.push(`| ${h} | ${ep.toFixed(3)} | ${ga.toFixed(3)} | ${mc.toFixed(3)} | ${mult} |`);
  console.error("done", h);
}
console.log(rows.join("\n"));
