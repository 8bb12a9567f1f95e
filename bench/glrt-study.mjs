// Monte Carlo size and power of the GLRT for "the expert slope of component 1 is
// constant in u" (npm run study:glrt; not part of npm test).
//
//   node bench/glrt-study.mjs run  --scenario null|alt [--reps 200] [--B 99] [--n 500] [--bandwidth 0.25] [--from 1]
//     (--from: first replication; two processes may share a scenario by starting at different points)
//   node bench/glrt-study.mjs report          (writes bench/GLRT.md from the result files)
//   node bench/glrt-study.mjs                 (= run null, run alt, report, with the defaults)
//
// Scenarios (method.md, "Simulation scenario", separation 1):
//   alt  — the "ws" scenario itself: the slope of component 1 is 0.5 + 0.35u (rises by 0.35).
//   null — the same, except that slope is held at its average over u, 0.675.
// The null data are the ws draws with the component-1 responses rebuilt from the same
// standardised errors: y = α0_1(u) + 0.675·z1 + σ_1(u)·ε.
// Each Monte Carlo replication r uses simulate({ n, seed: r }) and bootstrap seed 1000 + r.
// Results are appended one line per replication to bench/glrt-study-<scenario>.jsonl,
// so an interrupted run resumes where it stopped (replications already there are skipped).
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fit, glrt, simulate } from "../dist/index.js";
import { monteCarloP } from "./glrt-pvalue.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const NULL_SLOPE = 0.675;

function arg(name, def) {
  const k = process.argv.indexOf(`--${name}`);
  return k >= 0 ? process.argv[k + 1] : def;
}

async function dataFor(scenario, n, seed) {
  const s = await simulate({ n, seed });
  if (scenario === "alt") return s.data;
  const y = s.data.y.map((yi, i) => {
    if (s.component[i] !== 1) return yi;
    const u = s.data.u[i], z = s.data.z.z1[i], tr = s.truth(u);
    const eps = (yi - tr.alpha[0][0] - tr.alpha[0][1] * z) / tr.sigma[0];
    return tr.alpha[0][0] + NULL_SLOPE * z + tr.sigma[0] * eps;
  });
  return { ...s.data, y };
}

/** Fitted component matching true component 1 (the one with the lower average intercept). */
function componentOne(f) {
  const mean = (c) => { const v = f.curves.find((x) => x.part === "expert" && x.component === c && x.term === "(Intercept)").values; return v.reduce((a, b) => a + b, 0) / v.length; };
  return mean(1) < mean(2) ? 1 : 2;
}

function resultFile(scenario) { return join(here, `glrt-study-${scenario}.jsonl`); }

function readResults(scenario) {
  const f = resultFile(scenario);
  if (!existsSync(f)) return [];
  const seen = new Set();
  // one line per (replication, settings): a replication run twice (e.g. by two processes) counts once
  return readFileSync(f, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l)).filter((r) => {
    const key = `${r.rep}|${r.B}|${r.n}|${r.bandwidth}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function run(scenario, reps, B, n, bandwidth, from = 1) {
  const done = new Set(readResults(scenario).filter((r) => r.B === B && r.n === n && r.bandwidth === bandwidth).map((r) => r.rep));
  const opts = { K: 2, bandwidth };
  for (let rep = from; rep <= reps; rep++) {
    if (done.has(rep) || readResults(scenario).some((r) => r.rep === rep && r.B === B && r.n === n && r.bandwidth === bandwidth)) continue;
    const data = await dataFor(scenario, n, rep);
    const t0 = performance.now();
    const c1 = componentOne(await fit(data, opts));
    const t1 = performance.now();
    const res = await glrt(data, opts, { coefficient: { part: "expert", component: c1, term: "z1" }, B, seed: 1000 + rep });
    const t2 = performance.now();
    const reps_ = res.bootstrap ? res.bootstrap.replicates : [];
    const line = {
      scenario, rep, n, bandwidth, B, component: c1,
      lambda: res.statistic, df: res.df, rK: res.rK, pAsym: res.pValueAsymptotic, pBoot: res.pValueBootstrap,
      completed: res.bootstrap?.completed ?? 0, failed: res.bootstrap?.failed ?? 0, notConverged: res.bootstrap?.notConverged ?? 0,
      lambdaStar: reps_.map((r) => (r.ok ? +r.lambda.toFixed(5) : null)),
      nullSlope: res.nullFit.constants.estimates[0].estimate, nullSlopeSE: res.nullFit.constants.estimates[0].se,
      fullConverged: res.fullFit.converged, nullConverged: res.nullFit.converged,
      msFits: Math.round(t1 - t0), msGlrt: Math.round(t2 - t1),
      msPerReplicate: B > 0 ? +((t2 - t1) / B).toFixed(1) : null,
    };
    appendFileSync(resultFile(scenario), JSON.stringify(line) + "\n");
    console.log(`${scenario} rep ${rep}: λ=${line.lambda.toFixed(3)} pAsym=${line.pAsym.toPrecision(3)} pBoot=${line.pBoot} (${(line.msGlrt / 1000).toFixed(1)} s)`);
  }
}

const fmt = (x, d = 3) => (x === null || x === undefined || Number.isNaN(x) ? "–" : x.toFixed(d));

function rate(xs) {
  const k = xs.filter(Boolean).length, m = xs.length;
  const p = m ? k / m : NaN;
  return { k, m, p, se: m ? Math.sqrt((p * (1 - p)) / m) : NaN };
}

function quantile(sorted, a) {
  const pos = a * (sorted.length - 1), lo = Math.floor(pos), hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function report() {
  const level = 0.05;
  const lines = [
    "# GLRT study: size and power (generated by `npm run study:glrt`)",
    "",
    "Test: H0 \"the expert slope on z1 of component 1 does not vary in u\" against the fully varying",
    "model, `glrt(data, { K: 2, bandwidth }, { coefficient: { part: 'expert', component: c1, term: 'z1' }, B, seed })`,",
    "where c1 is the fitted component matching true component 1. Scenarios (method.md, separation 1):",
    "`null` = the ws scenario with that slope held at 0.675 (its average over u); `alt` = the ws",
    "scenario, whose slope 0.5 + 0.35u rises by 0.35 over u. Level 0.05; reject when p ≤ 0.05.",
    "Asymptotic p: P(χ²(μ_n) ≥ r_K·λ) with the Epanechnikov r_K = 2.1153 and μ_n = r_K·0.45/h.",
    "Bootstrap p: (1 + #{λ* ≥ λ}) / (1 + B') over the B' completed parametric replicates from the fitted null model,",
    "as glrt() computes it (recomputed from the recorded λ*; runs recorded before this rule stored the share #{λ* ≥ λ} / B').",
    "Rates are given ± their Monte Carlo standard error.",
    "",
    "| scenario | n | h | B | replications | λ mean (sd) | asymptotic rejection | bootstrap rejection | failed replicates | s per bootstrap replicate (median, incl. the two original fits / B) |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  const details = [];
  for (const scenario of ["null", "alt"]) {
    const rows = readResults(scenario);
    const groups = new Map();
    for (const r of rows) {
      const key = `${r.n}|${r.bandwidth}|${r.B}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(r);
    }
    for (const [key, g] of groups) {
      const [n, h, B] = key.split("|");
      const lam = g.map((r) => r.lambda);
      const mean = lam.reduce((a, b) => a + b, 0) / lam.length;
      const sd = Math.sqrt(lam.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, lam.length - 1));
      const ra = rate(g.map((r) => r.pAsym <= level));
      const withBoot = g.filter((r) => r.pBoot !== null);
      const rb = rate(withBoot.map((r) => (r.lambdaStar?.length ? monteCarloP(r.lambda, r.lambdaStar) : r.pBoot) <= level));
      const failed = g.reduce((a, r) => a + r.failed, 0), total = g.reduce((a, r) => a + r.completed + r.failed, 0);
      const ms = g.map((r) => r.msPerReplicate).filter((x) => x !== null).sort((a, b) => a - b);
      // B < 20: a warp-speed run (one replicate per replication), no per-replication bootstrap p-value
      const bootCell = Number(B) >= 20 && withBoot.length ? `${fmt(rb.p)} ± ${fmt(rb.se)} (${rb.k}/${rb.m})` : "warp-speed only (below)";
      lines.push(`| ${scenario} | ${n} | ${h} | ${B} | ${g.length} | ${fmt(mean, 2)} (${fmt(sd, 2)}) | ${fmt(ra.p)} ± ${fmt(ra.se)} (${ra.k}/${ra.m}) | ${bootCell} | ${failed}/${total} | ${ms.length && Number(B) >= 20 ? fmt(quantile(ms, 0.5) / 1000, 2) : "–"} |`);
      // warp-speed check (Giacomini, Politis & White 2013): one replicate per replication, pooled critical value
      const pooled = g.map((r) => r.lambdaStar?.[0]).filter((x) => x !== null && x !== undefined).sort((a, b) => a - b);
      const negStar = g.flatMap((r) => r.lambdaStar ?? []).filter((x) => x !== null);
      const negShare = negStar.length ? negStar.filter((x) => x < 0).length / negStar.length : NaN;
      const meanStar = negStar.length ? negStar.reduce((a, b) => a + b, 0) / negStar.length : NaN;
      const slopes = g.map((r) => r.nullSlope), ses = g.map((r) => r.nullSlopeSE);
      const ms_ = slopes.reduce((a, b) => a + b, 0) / slopes.length;
      const sdSlope = Math.sqrt(slopes.reduce((a, b) => a + (b - ms_) ** 2, 0) / Math.max(1, slopes.length - 1));
      const meanSE = ses.reduce((a, b) => a + b, 0) / ses.length;
      const medSE = quantile([...ses].sort((a, b) => a - b), 0.5);
      details.push(`- ${scenario}, n = ${n}, h = ${h}, B = ${B}: negative λ in ${g.filter((r) => r.lambda < 0).length} of ${g.length} replications; ` +
        `bootstrap λ*: mean ${fmt(meanStar, 2)}, ${fmt(100 * negShare, 1)}% negative, over ${negStar.length} replicates; ` +
        `fits not converged: full ${g.filter((r) => !r.fullConverged).length}, null ${g.filter((r) => !r.nullConverged).length}; ` +
        `bootstrap refits not converged: ${g.reduce((a, r) => a + r.notConverged, 0)}.`);
      if (pooled.length >= 20) {
        const crit = quantile(pooled, 1 - level);
        const rw = rate(g.map((r) => r.lambda > crit));
        details.push(`  Warp-speed bootstrap (first replicate of each replication pooled, ${pooled.length} values): critical λ ${fmt(crit, 2)}, rejection ${fmt(rw.p)} ± ${fmt(rw.se)}.`);
      }
      details.push(`  Null-model estimate of the tested slope: mean ${fmt(ms_, 4)}, Monte Carlo sd ${fmt(sdSlope, 4)}, sandwich SE mean ${fmt(meanSE, 4)}, median ${fmt(medSE, 4)}` +
        (scenario === "null" ? " (truth 0.675)." : " (the truth varies: this is the projection)."));
    }
  }
  lines.push("", "Details:", "", ...details, "");
  const out = join(here, "GLRT.md");
  const prev = existsSync(out) ? readFileSync(out, "utf8") : "";
  const marker = "\n## Notes\n";
  const notes = prev.includes(marker) ? prev.slice(prev.indexOf(marker)) : "";
  writeFileSync(out, lines.join("\n") + notes);
  console.log(lines.join("\n"));
}

const cmd = process.argv[2];
const reps = Number(arg("reps", 200)), B = Number(arg("B", 99)), n = Number(arg("n", 500)), bw = Number(arg("bandwidth", 0.25));
if (cmd === "run") await run(arg("scenario", "null"), reps, B, n, bw, Number(arg("from", 1)));
else if (cmd === "report") report();
else {
  await run("null", reps, B, n, bw);
  await run("alt", reps, B, n, bw);
  report();
}
