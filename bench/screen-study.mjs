// Study of a change to the start selection (the constant initialisation's candidates and their
// screening, src/fit/screen.ts): the same fits with this build and with a base build
// (--base=<its dist/index.js>), over the scenarios of bench/study-cases.mjs and seeds. Reports how
// often they reach the same maximum, which is higher otherwise, how often the components are
// recovered, the candidates screened and the fit times.
// `node bench/screen-study.mjs --base=<dist/index.js> [--seeds=10] [--sizes=300,1000,2000] [--K=2]
//   [--scenario=<label prefix>] [--section=<name> --title=<heading> --about=<text> --write]`
import { parseArgs } from "node:util";
import { loadavg } from "node:os";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { fit, simulate } from "../dist/index.js";
import { writeSection } from "./results-sections.mjs";
import { recovered, STUDY_CASES } from "./study-cases.mjs";

const { values } = parseArgs({ options: {
  base: { type: "string" }, seeds: { type: "string", default: "10" }, sizes: { type: "string", default: "300,1000,2000" },
  K: { type: "string" }, // only the scenarios with this K
  scenario: { type: "string" }, // only the scenarios whose label starts with this
  write: { type: "boolean", default: false }, section: { type: "string", default: "screen-study" },
  title: { type: "string", default: "Start selection: this build against a base build" },
  about: { type: "string", default: "" },
} });
if (!values.base) throw new Error("--base=<path to the dist/index.js of the build to compare with> is required");
const base = await import(pathToFileURL(resolve(values.base)).href);
const seeds = Number(values.seeds), sizes = values.sizes.split(",").map(Number);
const cases = STUDY_CASES.filter((c) => (values.K === undefined || c.K === Number(values.K)) && (values.scenario === undefined || c.label.startsWith(values.scenario)));
const screened = (f) => f.diagnostics.initialisation.screening?.starts.length ?? 1;
const med = (v) => { const s = [...v].sort((x, y) => x - y); return s.length ? s[(s.length - 1) >> 1] : NaN; };

const load0 = loadavg();
const rows = [];
for (const n of sizes) {
  const h = 0.25 * (n / 1000) ** -0.2;
  for (const c of cases) {
    const r = { n, label: c.label, sets: 0, same: 0, better: 0, worse: 0, failed: 0, recOld: 0, recNew: 0, candOld: 0, candNew: 0, tOld: [], tNew: [], diffs: [] };
    for (let seed = 1; seed <= seeds; seed++) {
      const { data, truth } = await simulate({ ...c.sim, n, seed });
      const opts = { K: c.K, bandwidth: h, seed: 1, ...(c.family ? { family: c.family } : {}) };
      let a, b;
      try {
        let t = performance.now(); a = await base.fit(data, opts); r.tOld.push(performance.now() - t);
        t = performance.now(); b = await fit(data, opts); r.tNew.push(performance.now() - t);
      } catch (e) { r.failed++; continue; }
      r.sets++;
      r.recOld += recovered(a, truth, c.K, h) ? 1 : 0; r.recNew += recovered(b, truth, c.K, h) ? 1 : 0;
      r.candOld += screened(a); r.candNew += screened(b);
      const d = b.logLik - a.logLik; // this build minus the base
      r.diffs.push(d);
      // same maximum: within the EM tolerance's scale (both stop at relative changes of 1e-8)
      if (Math.abs(d) <= 1e-3) r.same++; else if (d > 0) r.better++; else r.worse++;
    }
    rows.push(r);
    console.log(JSON.stringify({ ...r, tOld: med(r.tOld), tNew: med(r.tNew), diffs: undefined, worst: Math.min(0, ...r.diffs), best: Math.max(0, ...r.diffs) }));
  }
}
const load1 = loadavg();
const f0 = (v) => Number.isFinite(v) ? v.toFixed(0) : "—";
const g = (v) => (Math.abs(v) < 1e-3 ? v.toExponential(0) : v.toFixed(3));
const text = [
  `## ${values.title}`,
  "",
  `\`node bench/screen-study.mjs --base=<dist> --seeds=${seeds} --sizes=${sizes.join(",")}${values.K ? ` --K=${values.K}` : ""}${values.scenario ? ` --scenario=${JSON.stringify(values.scenario)}` : ""} --write\`, ${new Date().toISOString()}; load average ${load0.map((v) => v.toFixed(2)).join(" / ")} at start, ${load1.map((v) => v.toFixed(2)).join(" / ")} at end.`,
  ...(values.about ? [values.about] : []),
  "Each data set is fitted with the same options (h = 0.25·(n/1000)^(−1/5), seed 1) by both builds, alternating. \"Same\": final log-likelihoods within 1e-3",
  "(the EM tolerance's scale); otherwise this build's is higher or lower. \"Recovered\": as in the init-subset section. \"Candidates\": screening runs per fit (1 when there was nothing to choose), mean.",
  "",
  "| n | scenario | data sets | same maximum | higher | lower | largest loss / gain (log-lik) | recovered, base / this | candidates, base → this | median ms, base → this |",
  "| ---: | --- | ---: | ---: | ---: | ---: | --- | --- | --- | --- |",
  ...rows.map((r) => `| ${r.n} | ${r.label} | ${r.sets} | ${r.same} | ${r.better} | ${r.worse} | ${g(Math.min(0, ...r.diffs))} / ${g(Math.max(0, ...r.diffs))} | ${r.recOld} / ${r.recNew} | ${(r.candOld / r.sets).toFixed(1)} → ${(r.candNew / r.sets).toFixed(1)} | ${f0(med(r.tOld))} → ${f0(med(r.tNew))} |`),
  "",
].join("\n");
if (values.write) writeSection(values.section, text);
else console.log(text);
