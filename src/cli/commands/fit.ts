// vcmoe fit data.csv --y y --u u --z z1 --x x1 -K 2 [...]: fits the model, prints an
// R-like summary (with standard errors, or a simultaneous band with --bands) and writes
// the result JSON, the curves CSV and a plot.
import { confidenceBands, fit, formatSummary, standardErrors, VCMoEInputError, type ConfidenceBands, type StandardErrors, type VCMoEFit } from "../../index.js";
import { choice, DATA_FLAGS, integer, MODEL_FLAGS, parseFlags, positiveNumber, text } from "../args.js";
import { loadData, modelOptions, type DataCall } from "../data.js";
import { CliError, inContext } from "../errors.js";
import type { Io } from "../io.js";
import { curvesCsv, writeFileAtomic } from "../output.js";
import { resultToJson } from "../../io/json.js";
import { plotFormat, writePlot } from "../plot.js";
import { cvBandwidth } from "./bandwidth.js";

export const FIT_USAGE = `Usage: vcmoe fit DATA.csv --y COL --u COL [--z COLS] [--x COLS] -K N [options]

Fits a varying-coefficient mixture of experts and prints a summary.

Data:
  --y COL                 response column
  --u COL                 the index along which the coefficients vary (time, pseudotime, dose)
  --z COLS                expert covariates, comma-separated (an intercept is added)
  --x COLS                gating covariates, comma-separated (an intercept is added)
  --weights COL           observation weights
  --trials COL            binomial trials per row (default 1)
  --offset COL            offset on the link scale (binomial, poisson, negbin)
  --factor COLS           treat these covariates as categorical (text columns are anyway)
  --missing error|drop    rows with missing values: error (default) or leave them out
  --na STRINGS            cell texts meaning "missing", comma-separated (default NA,NaN; empty cells always)
  --sep CHAR              field separator (default ','; 'tab' for tabs)
  --no-intercept          no intercept columns

Model:
  -K N                    number of components (2 to 10)
  --family NAME           gaussian (default), binomial, poisson or negbin
  --dispersion MODE       negbin: varying (default) or constant
  --bandwidth H|cv        bandwidth on the unit u scale (u rescaled to [0,1]); cv = cross-validation
  --folds N               folds of --bandwidth cv (default 5)
  --grid N                number of grid points (default 50)
  --kernel NAME           epanechnikov (default) or gaussian
  --method NAME           label-consistent (default) or local-align
  --constant TERMS        coefficients constant in u: expert:1:z1, sigma:2, gating::x1, ...
  --seed N                seed of the random starts and the bootstrap (default 1)

Inference:
  --bands METHOD          simultaneous bands: multiplier, extreme-value or bootstrap
  --level P               coverage of the bands (default 0.95)
  --B N                   bootstrap replicates (default 500)
  --bootstrap TYPE        parametric (default) or nonparametric
  --workers N             bootstrap worker threads (default: all cores)

Output:
  --out FILE.json         the fit result (with the bands), for vcmoe predict
  --curves FILE.csv       the curves in long form (part, component, term, u, estimate[, se, lower, upper])
  --plot FILE             the curves with their bands: .svg, .html or .vl.json (Vega-Lite)
  -q, --quiet             no progress bar, no messages on standard error
`;

/** Bands when asked for, else pointwise standard errors for the summary (Gaussian fits; null where not available). */
async function inference(io: Io, res: VCMoEFit, data: Parameters<typeof fit>[0], p: ReturnType<typeof parseFlags>, seed: number | undefined): Promise<{ bands: ConfidenceBands | null; se: StandardErrors | null }> {
  const method = choice("--bands", text(p, "bands"), ["multiplier", "extreme-value", "bootstrap"] as const);
  if (!method) {
    try {
      return { bands: null, se: await standardErrors(res, data) };
    } catch (e) {
      if (e instanceof VCMoEInputError) return { bands: null, se: null }; // no standard errors for this fit (the summary says so)
      throw e;
    }
  }
  const bar = io.progress(`${method} band`);
  try {
    const bands = await confidenceBands(res, data, {
      method,
      ...(text(p, "level") !== undefined ? { level: Number(text(p, "level")) } : {}),
      ...(text(p, "B") !== undefined ? { B: integer("--B", text(p, "B"), 1, 1_000_000) } : {}),
      ...(text(p, "bootstrap") ? { bootstrap: choice("--bootstrap", text(p, "bootstrap"), ["parametric", "nonparametric"] as const) } : {}),
      ...(text(p, "workers") !== undefined ? { workers: integer("--workers", text(p, "workers"), 0, 256) } : {}),
      ...(seed !== undefined ? { seed } : {}),
      signal: io.signal,
      onProgress: ({ done, total, failed }) => bar.update(done, total, failed ? `(${failed} failed)` : ""),
    });
    return { bands, se: null };
  } catch (e) {
    if (e instanceof VCMoEInputError && e.argument === "fitResult") throw new CliError(`--bands: ${e.message.replace(/^fitResult: /, "")}`);
    throw e;
  } finally {
    bar.clear();
  }
}

export async function runFit(argv: string[], io: Io): Promise<void> {
  const p = parseFlags("fit", argv, {
    ...DATA_FLAGS, ...MODEL_FLAGS, folds: { type: "string" }, bands: { type: "string" }, level: { type: "string" }, B: { type: "string" },
    bootstrap: { type: "string" }, workers: { type: "string" }, out: { type: "string" }, curves: { type: "string" }, plot: { type: "string" },
  });
  if (p.values.help) { io.out(FIT_USAGE); return; }
  if (p.positionals.length !== 1) throw new CliError(`expected one data file, got ${p.positionals.length === 0 ? "none" : p.positionals.join(" ")} (see vcmoe fit --help)`);
  if (text(p, "level") !== undefined) {
    const lv = positiveNumber("--level", text(p, "level"))!;
    if (!(lv < 1)) throw new CliError(`--level: must be between 0 and 1, got '${text(p, "level")}'`);
  }
  for (const f of ["out", "curves", "plot"]) if (p.values[f] === "") throw new CliError(`--${f} needs a file name`);
  if (text(p, "plot") !== undefined) plotFormat(text(p, "plot")!);
  const loaded = loadData(p, p.positionals[0]);
  const { options, bandwidthCv } = modelOptions(p, loaded, true);
  if (bandwidthCv) {
    options.bandwidth = await cvBandwidth(io, loaded, options, {
      folds: integer("--folds", text(p, "folds"), 2, 100), undersmooth: text(p, "bands") !== undefined, why: "the confidence bands",
    });
  } else if (text(p, "folds") !== undefined) {
    throw new CliError("--folds applies to --bandwidth cv only");
  }
  const bar = io.progress("fit");
  bar.status(`K = ${options.K}, n = ${loaded.table.rows.length}…`);
  let res: VCMoEFit;
  try {
    res = await inContext(loaded.ctx, () => fit(loaded.data, { ...options, signal: io.signal }));
  } finally {
    bar.clear();
  }
  const { bands, se } = await inContext(loaded.ctx, () => inference(io, res, loaded.data, p, options.seed));
  io.out(formatSummary(res, bands ? { se: bands } : se ? { se } : {}) + "\n");
  if (!bands && !se) io.out("\n(standard errors: not available for this fit)\n");
  const call: DataCall = loaded.call;
  const out = text(p, "out");
  if (out) {
    writeFileAtomic(out, resultToJson({ ...res, call, ...(bands ? { bands } : {}) }) + "\n", "--out");
    io.info(`wrote ${out}`);
  }
  const curves = text(p, "curves");
  if (curves) {
    writeFileAtomic(curves, curvesCsv(res, bands ?? undefined), "--curves");
    io.info(`wrote ${curves}`);
  }
  const plot = text(p, "plot");
  if (plot) {
    await writePlot(plot, res, bands ?? undefined);
    io.info(`wrote ${plot}`);
  }
}
