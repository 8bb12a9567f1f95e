// Monte Carlo coverage of nominal 95% simultaneous bands (extreme-value,
// Gaussian multiplier, parametric bootstrap sup-t) on the two-component "ws"
// scenario of method.md, or (--family poisson|negbin|binomial) the two-component
// "mix" scenario of that family, drawn by the package's own simulator.
//
//   npm run study:coverage -- [--reps 200] [--B 199] [--sizes 1000,500] [--workers 2] [--family gaussian] [--from 0] [--measure] [--report]
// (--from: first replication, so that two processes can share a study)
//
// Resumable: each finished replication is appended to bench/coverage/n<N>.jsonl;
// a rerun skips the replications already there (same seeds), then rewrites
// bench/COVERAGE.md (other families: bench/coverage-<family>/REPORT.md) from everything recorded. --measure times one replication and exits;
// --report only rewrites bench/COVERAGE.md from the records.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { confidenceBands, createPool, fit, simulate, standardErrors } from "../dist/index.js";

const args = Object.fromEntries(process.argv.slice(2).map((a, i, all) => a.startsWith("--") ? [a.slice(2), all[i + 1]?.startsWith("--") || all[i + 1] === undefined ? "true" : all[i + 1]] : null).filter(Boolean));
const reps = Number(args.reps ?? 200);
const B = Number(args.B ?? 199);
const sizes = String(args.sizes ?? "1000,500").split(",").map(Number);
const workers = Number(args.workers ?? 2);
// undersmoothed bandwidths (≈ 0.1·(1000/n)^{1/4}: the bias is a small fraction of the se)
const bandwidthFor = (n) => Number((0.1 * (1000 / n) ** 0.25).toFixed(3));
const GRID = Array.from({ length: 20 }, (_, j) => 0.05 + (0.9 * j) / 19); // u-grid (u ~ U(0,1))
const LEVEL = 0.95;
const METHODS = String(args.methods ?? "extreme-value,multiplier,bootstrap").split(",");
const FAMILY = args.family ?? "gaussian";
const OUT = args.out ?? (FAMILY === "gaussian" ? "coverage" : `coverage-${FAMILY}`);
const dir = new URL(`./${OUT}/`, import.meta.url);
mkdirSync(dir, { recursive: true });

/** True value of a curve at u (centred gating logits, as the fit reports them). */
function truthOf(truth, key, u) {
  const t = truth(u), c = key.component - 1;
  if (key.part === "expert") return t.alpha[c][key.term === "(Intercept)" ? 0 : 1];
  if (key.part === "sigma") return t.sigma[c];
  if (key.part === "theta") return t.theta[c];
  return t.gamma[c][key.term === "(Intercept)" ? 0 : 1];
}

/** Relabels fitted components to the truth by the permutation closest to the true curves. */
function truthPermutation(curves, grid, truth) {
  const cost = (perm) => {
    let s = 0;
    for (const cv of curves) {
      // experts (and σ): a θ curve's raw scale (θ up to ~1e8) would swamp the cost
      if (cv.part === "gating" || cv.part === "theta") continue;
      const key = { ...cv, component: perm[cv.component - 1] + 1 };
      cv.estimate.forEach((v, j) => { s += (v - truthOf(truth, key, grid[j])) ** 2; });
    }
    return s;
  };
  return cost([0, 1]) <= cost([1, 0]) ? [0, 1] : [1, 0];
}

async function replication(n, r, pool) {
  const seed = 100000 * n + r;
  const { data, truth } = await simulate(FAMILY === "gaussian" ? { n, seed } : { family: FAMILY, K: 2, n, seed });
  const t0 = performance.now();
  const res = await fit(data, { family: FAMILY, K: 2, bandwidth: bandwidthFor(n), grid: GRID, seed: 1 });
  const tFit = performance.now() - t0;
  const out = { n, r, seed, converged: res.converged, timing: { fit: tFit }, methods: {} };
  for (const method of METHODS) {
    const t1 = performance.now();
    let b;
    try {
      b = await confidenceBands(res, data, { method, level: LEVEL, B, seed: r + 1, pool });
    } catch (e) {
      // no band from this method on this data set: recorded, left out of the coverage, counted in the report
      out.failed = { ...(out.failed ?? {}), [method]: String(e) };
      continue;
    } finally {
      out.timing[method] = performance.now() - t1;
    }
    const perm = truthPermutation(b.curves, b.grid, truth);
    out.methods[method] = b.curves.map((c) => {
      const key = { ...c, component: perm[c.component - 1] + 1 };
      const covered = c.estimate.every((_, j) => { const v = truthOf(truth, key, b.grid[j]); return c.lower[j] <= v && v <= c.upper[j]; });
      return { part: c.part, component: key.component, term: c.term, covered, criticalValue: c.criticalValue };
    });
    if (method === "bootstrap") out.bootstrap = { failed: b.details.bootstrap.failed, notConverged: b.details.bootstrap.notConverged, relabelled: b.details.bootstrap.relabelled, medianIterations: b.details.bootstrap.medianIterations };
    if (method === "multiplier") {
      // estimates and se at three grid points, for the Monte Carlo check of the standard errors
      const perm2 = perm;
      out.points = [4, 9, 15].map((j) => ({ u: b.grid[j], values: b.curves.map((c) => ({ part: c.part, component: perm2[c.component - 1] + 1, term: c.term, est: c.estimate[j], se: c.se[j], truth: truthOf(truth, { ...c, component: perm2[c.component - 1] + 1 }, b.grid[j]) })) }));
    }
  }
  return out;
}

function load(n) {
  const f = new URL(`n${n}.jsonl`, dir);
  if (!existsSync(f)) return [];
  // one record per replication (a replication written twice by overlapping runs counts once)
  const byRep = new Map();
  for (const l of readFileSync(f, "utf8").trim().split("\n").filter(Boolean)) { const o = JSON.parse(l); if (!byRep.has(o.r)) byRep.set(o.r, o); }
  return [...byRep.values()].sort((a, b) => a.r - b.r);
}

const pool = args.report ? null : await createPool({ workers });
if (pool) try {
  if (args.measure) {
    for (const n of sizes) {
      const t0 = performance.now();
      const o = await replication(n, 0, pool);
      console.log(`n = ${n}: one replication ${(performance.now() - t0).toFixed(0)} ms`, JSON.stringify(o.timing), JSON.stringify(o.bootstrap));
    }
  } else {
    for (const n of sizes) {
      const done = new Set(load(n).map((o) => o.r));
      for (let r = Number(args.from ?? 0); r < reps; r++) {
        if (done.has(r)) continue;
        const t0 = performance.now();
        const o = await replication(n, r, pool);
        appendFileSync(new URL(`n${n}.jsonl`, dir), JSON.stringify(o) + "\n");
        console.log(`n = ${n} replication ${r}: ${(performance.now() - t0).toFixed(0)} ms`);
      }
    }
  }
} finally {
  await pool.terminate();
}
if (!args.measure) writeReport();

function writeReport() {
  const lines = [];
  const fmt = (x) => x.toFixed(3);
  lines.push("# Coverage of simultaneous confidence bands (Monte Carlo)", "");
  lines.push("Generated by `npm run study:coverage` (bench/coverage-study.mjs) from the per-replication records in",
    `bench/${OUT}/. Scenario: ${FAMILY === "gaussian" ? "method.md's two-component \"ws\" model (`simulate({ n, seed })`" : `the two-component "mix" ${FAMILY} model (\`simulate({ family: "${FAMILY}", K: 2, n, seed })\`: offsets${FAMILY === "binomial" ? ", trials 10–30 per row" : ""}`}, seeds 100000·n + r),`,
    `K = 2, Epanechnikov kernel, label-consistent EM, 20 grid points on u ∈ [0.05, 0.95], nominal level ${LEVEL}.`,
    "Bandwidth undersmoothed: h = 0.1·(1000/n)^{1/4} on the unit u scale (0.119 at n = 500, 0.1 at n = 1000).",
    `A band covers when it contains the true curve at all 20 grid points; coverage is per curve (10 curves), averaged below.`,
    `Bootstrap: parametric, B = ${B} replicates per data set, sup-t with replicate se*. Binomial standard error of a coverage`,
    "near 0.95 from R replications: √(0.95·0.05/R) (0.015 at R = 200).", "");
  for (const n of sizes) {
    const recs = load(n);
    if (recs.length === 0) continue;
    lines.push(`## n = ${n} (h = ${bandwidthFor(n)}), ${recs.length} replications`, "");
    const keys = recs.find((o) => o.methods.multiplier).methods.multiplier.map((c) => `${c.part} ${c.component} ${c.term}`);
    lines.push(`| curve | ${METHODS.join(" | ")} |`, `| --- | ${METHODS.map(() => "---").join(" | ")} |`);
    const methods = METHODS;
    const ok = (m) => recs.filter((o) => o.methods[m]);
    const cov = (m, k) => ok(m).filter((o) => o.methods[m].find((c) => `${c.part} ${c.component} ${c.term}` === k)?.covered).length / ok(m).length;
    for (const k of keys) lines.push(`| ${k} | ${methods.map((m) => fmt(cov(m, k))).join(" | ")} |`);
    const avg = (m) => keys.reduce((s, k) => s + cov(m, k), 0) / keys.length;
    lines.push(`| **mean over curves** | ${methods.map((m) => `**${fmt(avg(m))}**`).join(" | ")} |`);
    const mcv = (m) => { const v = ok(m).flatMap((o) => o.methods[m].map((c) => c.criticalValue)).filter(Number.isFinite).sort((a, b) => a - b); return v[Math.floor(v.length / 2)]; };
    lines.push(`| median critical value | ${methods.map((m) => fmt(mcv(m))).join(" | ")} |`);
    lines.push(`| data sets without a band (left out) | ${methods.map((m) => recs.length - ok(m).length).join(" | ")} |`, "");
    const bs = recs.map((o) => o.bootstrap).filter(Boolean);
    if (bs.length) lines.push(`Bootstrap replicates: ${bs.reduce((s, b) => s + b.failed, 0)} failed, ${bs.reduce((s, b) => s + b.notConverged, 0)} stopped at the iteration limit, ${bs.reduce((s, b) => s + b.relabelled, 0)} relabelled, of ${recs.length * B}. Fits not converged: ${recs.filter((o) => !o.converged).length}.`, "");
    const med = (a) => { const v = a.slice().sort((x, y) => x - y); return v[Math.floor(v.length / 2)]; };
    lines.push(`Median time per replication: fit ${med(recs.map((o) => o.timing.fit)).toFixed(0)} ms, ${METHODS.map((m) => `${m} ${med(recs.map((o) => o.timing[m])).toFixed(0)} ms`).join(", ")} (bootstrap on ${workers} workers; the machine is shared, so times vary).`, "");
    // standard errors against the Monte Carlo spread of the estimates
    lines.push("Standard errors against the Monte Carlo spread of the estimates, at three grid points: median sandwich se / Monte Carlo sd",
      "of the estimate = ratio; in brackets the mean se (pulled up by the occasional ill-conditioned window) and the Monte Carlo bias.", "");
    const withPoints = recs.filter((o) => o.points);
    lines.push(`| curve | ${withPoints[0].points.map((p) => `u = ${p.u.toFixed(2)}`).join(" | ")} |`, `| --- | ${withPoints[0].points.map(() => "---").join(" | ")} |`);
    for (const k of keys) {
      const cells = withPoints[0].points.map((_, pi) => {
        const vals = withPoints.map((o) => o.points[pi].values.find((v) => `${v.part} ${v.component} ${v.term}` === k));
        const est = vals.map((v) => v.est), se = vals.map((v) => v.se);
        const mean = est.reduce((a, b) => a + b, 0) / est.length;
        const sd = Math.sqrt(est.reduce((a, b) => a + (b - mean) ** 2, 0) / (est.length - 1));
        const mse = se.reduce((a, b) => a + b, 0) / se.length;
        const medse = se.slice().sort((a, b) => a - b)[Math.floor((se.length - 1) / 2)];
        const bias = mean - vals[0].truth;
        return `${fmt(medse)} / ${fmt(sd)} = ${(medse / sd).toFixed(2)} (mean se ${fmt(mse)}, bias ${bias >= 0 ? "+" : ""}${fmt(bias)})`;
      });
      lines.push(`| ${k} | ${cells.join(" | ")} |`);
    }
    lines.push("");
  }
  writeFileSync(new URL(OUT === "coverage" ? "./COVERAGE.md" : `./${OUT}/REPORT.md`, import.meta.url), lines.join("\n"));
  console.log(`wrote ${OUT === "coverage" ? "bench/COVERAGE.md" : `bench/${OUT}/REPORT.md`}`);
}
