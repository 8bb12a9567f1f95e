// vcmoe glrt data.csv ... -K 2 --coefficient expert:1:z1 --B 200: the generalized
// likelihood ratio test that coefficients do not vary in u, with its bootstrap.
import { glrt, type GLRTResult } from "../../index.js";
import { formatNumber } from "../../io/textTable.js";
import { coefficientList, DATA_FLAGS, integer, MODEL_FLAGS, parseFlags, required, text } from "../args.js";
import { loadData, modelOptions } from "../data.js";
import { CliError, inContext } from "../errors.js";
import type { Io } from "../io.js";
import { writeFileAtomic } from "../output.js";
import { resultToJson } from "../../io/json.js";
import { cvBandwidth } from "./bandwidth.js";

export const GLRT_USAGE = `Usage: vcmoe glrt DATA.csv --y COL --u COL [--z COLS] [--x COLS] -K N --coefficient TERMS [--B 200] [options]

Tests H0 "these coefficients do not vary in u" against the varying-coefficient model
(generalized likelihood ratio, Fan, Zhang & Zhang 2001), with the asymptotic chi-square
calibration and a parametric bootstrap from the fitted null model. Gaussian experts.

  --coefficient TERMS     the coefficients held constant under H0: expert:1:z1, sigma:2, gating::x1, ...
  --B N                   bootstrap replicates (default 200; 0 = asymptotic only)
  --workers N             bootstrap worker threads (default: all cores)
  --bandwidth H|cv        bandwidth on the unit u scale; cv = cross-validation, undersmoothed
  --out FILE.json         the test result as JSON
Data and model flags as for vcmoe fit (see vcmoe fit --help).
`;

function label(c: { part: string; component: number; term: string }): string {
  return c.part === "sigma" ? `sigma[${c.component}]` : c.part === "gating" ? `gating ${c.term} (component ${c.component} against 1)` : `expert[${c.component}] ${c.term}`;
}

export function glrtReport(r: GLRTResult): string[] {
  const b = r.bootstrap;
  return [
    "Generalized likelihood ratio test (Fan, Zhang & Zhang 2001)",
    `  H0: constant in u: ${r.tested.map(label).join(", ")}`,
    `  log-likelihood: full ${formatNumber(r.fullFit.logLik, 8)}, null ${formatNumber(r.nullFit.logLik, 8)} (bandwidth ${formatNumber(r.bandwidth, 4)})`,
    `  lambda = ${formatNumber(r.statistic, 5)}, r_K = ${formatNumber(r.rK, 4)}, r_K*lambda = ${formatNumber(r.scaledStatistic, 5)} on ${formatNumber(r.df, 4)} df`,
    `  p-value: ${formatNumber(r.pValueAsymptotic, 3)} (asymptotic chi-square)`,
    ...(b ? [`  p-value: ${r.pValueBootstrap === null ? "NA" : formatNumber(r.pValueBootstrap, 3)} (parametric bootstrap: ${b.exceedances} of ${b.completed} replicates with lambda* >= lambda, p = (1 + ${b.exceedances})/(1 + ${b.completed})${b.failed ? `; ${b.failed} failed` : ""})`] : []),
    ...(r.warnings.length ? ["", "Warnings:", ...r.warnings.map((w) => `  - ${w}`)] : []),
  ];
}

export async function runGlrt(argv: string[], io: Io): Promise<void> {
  const p = parseFlags("glrt", argv, { ...DATA_FLAGS, ...MODEL_FLAGS, coefficient: { type: "string" }, B: { type: "string" }, workers: { type: "string" }, folds: { type: "string" }, out: { type: "string" } });
  if (p.values.help) { io.out(GLRT_USAGE); return; }
  if (p.positionals.length !== 1) throw new CliError("expected one data file (see vcmoe glrt --help)");
  const coefficient = coefficientList("--coefficient", required(p, "coefficient", "the coefficients to test, e.g. expert:1:z1"));
  const loaded = loadData(p, p.positionals[0]);
  const { options, bandwidthCv } = modelOptions(p, loaded, true);
  if (bandwidthCv) options.bandwidth = await cvBandwidth(io, loaded, options, { folds: integer("--folds", text(p, "folds"), 2, 100), undersmooth: true, why: "the GLRT" });
  const B = integer("--B", text(p, "B"), 0, 1_000_000);
  const workers = integer("--workers", text(p, "workers"), 0, 256);
  const bar = io.progress("GLRT bootstrap");
  bar.status("fitting the full and the null model…");
  let r: GLRTResult;
  try {
    r = await inContext(loaded.ctx, () => glrt(loaded.data, options, {
      coefficient, ...(B !== undefined ? { B } : {}), ...(workers !== undefined ? { workers } : {}), ...(options.seed !== undefined ? { seed: options.seed } : {}),
      signal: io.signal, onProgress: ({ done, total, failed }) => bar.update(done, total, failed ? `(${failed} failed)` : ""),
    }));
  } finally {
    bar.clear();
  }
  io.out(glrtReport(r).join("\n") + "\n");
  const out = text(p, "out");
  if (out) {
    writeFileAtomic(out, resultToJson({ ...r, call: loaded.call }) + "\n", "--out");
    io.info(`wrote ${out}`);
  }
}
