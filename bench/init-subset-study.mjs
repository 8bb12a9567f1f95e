// Study of the subset initialisation (options.initRows, src/fit/subsample.ts): the same fits
// initialised on every row (initRows: Infinity) and on the default subset, over scenarios
// and seeds; reports how often they reach the same maximum, which is higher otherwise, and
// the time and EM iterations of each. `node bench/init-subset-study.mjs [--seeds=10] [--write]`
import { parseArgs } from "node:util";
import { loadavg } from "node:os";
import { fit, simulate } from "../dist/index.js";
import { writeSection } from "./results-sections.mjs";
import { recovered, STUDY_CASES as cases } from "./study-cases.mjs";

const { values } = parseArgs({ options: { seeds: { type: "string", default: "10" }, write: { type: "boolean", default: false }, sizes: { type: "string", default: "3000,10000" } } });
const seeds = Number(values.seeds), sizes = values.sizes.split(",").map(Number);
const load0 = loadavg();
const rows = [];
for (const n of sizes) {
  const h = 0.25 * (n / 1000) ** -0.2;
  for (const c of cases) {
    let same = 0, better = 0, worse = 0, failed = 0, recFull = 0, recSub = 0;
    const tFull = [], tSub = [], itFull = [], itSub = [], diffs = [];
    for (let seed = 1; seed <= seeds; seed++) {
      const { data, truth } = await simulate({ ...c.sim, n, seed });
      const opts = { K: c.K, bandwidth: h, seed: 1, ...(c.family ? { family: c.family } : {}) };
      let a, b;
      try {
        let t = performance.now(); a = await fit(data, { ...opts, initRows: Infinity }); tFull.push(performance.now() - t);
        t = performance.now(); b = await fit(data, opts); tSub.push(performance.now() - t);
      } catch (e) { failed++; continue; }
      itFull.push(a.iterations); itSub.push(b.iterations);
      recFull += recovered(a, truth, c.K, h) ? 1 : 0; recSub += recovered(b, truth, c.K, h) ? 1 : 0;
      const d = b.logLik - a.logLik; // subset minus every row
      diffs.push(d);
      // same maximum: equal to the EM tolerance's scale (1e-8 relative, both converge to it)
      if (Math.abs(d) <= 1e-6 * Math.abs(a.logLik)) same++; else if (d > 0) better++; else worse++;
    }
    const med = (v) => { const s = [...v].sort((x, y) => x - y); return s.length ? s[(s.length - 1) >> 1] : NaN; };
    const row = { n, label: c.label, seeds, same, better, worse, failed, recFull, recSub, msFull: med(tFull), msSub: med(tSub), itFull: med(itFull), itSub: med(itSub), worst: Math.min(0, ...diffs), best: Math.max(0, ...diffs) };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
}
const load1 = loadavg();
const f = (v, d = 0) => Number.isFinite(v) ? v.toFixed(d) : "—";
const text = [
  "## Subset initialisation (options.initRows)",
  "",
  `\`node bench/init-subset-study.mjs --seeds=${seeds} --sizes=${sizes.join(",")} --write\`, ${new Date().toISOString()}; load average ${load0.map((v) => v.toFixed(2)).join(" / ")} at start, ${load1.map((v) => v.toFixed(2)).join(" / ")} at end.`,
  "Each data set is fitted twice with the same options (h = 0.25·(n/1000)^(−1/5), seed 1): initialised on every row (`initRows: Infinity`) and on the default evenly spaced",
  "subset (2000 rows; K/5 times as many for K > 5). \"Same\": final log-likelihoods within 1e-6 relative (both EMs stop at relative changes of 1e-8); otherwise the subset's is higher or lower.",
  "\"Recovered\": after the best matching of components, every fitted intercept curve is within a quarter of the gap between the true intercepts (the smallest gap at each u, averaged over u in [h, 1 − h]; RMS over the same u).",
  "",
  "| n | scenario | data sets | same maximum | subset higher | subset lower | largest loss / gain (log-lik) | recovered, every row / subset | median ms, every row → subset | median EM maps, every row → subset |",
  "| ---: | --- | ---: | ---: | ---: | ---: | --- | --- | --- | --- |",
  ...rows.map((r) => `| ${r.n} | ${r.label} | ${r.seeds - r.failed} | ${r.same} | ${r.better} | ${r.worse} | ${r.worst.toFixed(2)} / ${r.best.toFixed(2)} | ${r.recFull} / ${r.recSub} | ${f(r.msFull)} → ${f(r.msSub)} | ${f(r.itFull)} → ${f(r.itSub)} |`),
  "",
].join("\n");
if (values.write) writeSection("init-subset", text);
else console.log(text);
