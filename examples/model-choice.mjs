// Model choice on simulated data: the rule-of-thumb bandwidth, a cross-validated
// bandwidth, BIC/ICL over K, and the effective degrees of freedom of the final fit.
// Run: npm run build && node examples/model-choice.mjs
import { effectiveDegreesOfFreedom, fit, ruleOfThumbBandwidth, selectBandwidth, selectK, simulate } from "../dist/index.js";

const sim = await simulate({ n: 600, seed: 1, scenario: "sep3" });
console.log(`rule-of-thumb bandwidth: ${ruleOfThumbBandwidth(sim.data).toFixed(3)}`);

const ks = await selectK(sim.data, { candidates: [1, 2, 3, 4, 5] });
console.log("K   logLik      df      BIC      ICL");
for (const s of ks.scores) console.log(`${s.K}  ${s.logLik?.toFixed(1).padStart(8)} ${s.df?.total.toFixed(1).padStart(7)} ${s.bic?.toFixed(1).padStart(8)} ${s.icl?.toFixed(1).padStart(8)}`);
console.log(`chosen: BIC K = ${ks.chosen.bic}, ICL K = ${ks.chosen.icl}`);

const bw = await selectBandwidth(sim.data, { K: ks.chosen.bic, onProgress: (p) => { if (p.done % 7 === 0) process.stdout.write(`  ${p.done}/${p.total} fold fits\r`); } });
console.log("\nbandwidth   mean held-out logLik   se");
for (const s of bw.scores) console.log(`${s.bandwidth.toFixed(3)}       ${s.meanLogLik?.toFixed(2).padStart(9)}        ${s.se?.toFixed(2)}`);
console.log(`chosen ${bw.chosen.toFixed(3)} (undersmoothed for bands/GLRT: ${bw.undersmoothed.toFixed(3)})`);

const res = await fit(sim.data, { K: ks.chosen.bic, bandwidth: bw.chosen });
const df = await effectiveDegreesOfFreedom(res, sim.data);
console.log(`final fit: logLik ${res.logLik.toFixed(2)}, df ${df.total.toFixed(1)} (experts ${df.expert.map((v) => v.toFixed(1)).join(", ")}; sigma ${df.sigma.map((v) => v.toFixed(1)).join(", ")}; gating ${df.gating.toFixed(1)}), degenerate: ${res.diagnostics.degenerate}`);
