// vcmoe predict result.json newdata.csv [--out predictions.csv]: the rows of newdata
// with the predictions appended (broom-style names): .fitted (mixture mean), .mean_c
// (component means), .prob_c (gating probabilities) and, when the response column is
// present, .posterior_c and .component (the most likely component). Rows with a missing
// value in a column the model uses get NA.
import { readFileSync } from "node:fs";
import { predict, type Covariate, type PredictData, type VCMoEFit } from "../../index.js";
import { parseFlags, text } from "../args.js";
import { Columns, readTable } from "../csv.js";
import { csvSettings, describeColumns, type DataCall } from "../data.js";
import { CliError, inContext, type ErrorContext } from "../errors.js";
import type { Io } from "../io.js";
import { csvText, writeFileAtomic } from "../output.js";

export const PREDICT_USAGE = `Usage: vcmoe predict RESULT.json NEWDATA.csv [--out predictions.csv] [options]

Predicts from a fit saved by vcmoe fit --out. NEWDATA.csv needs the fit's u column and
covariates (same names); with the response column too, posterior memberships are added.
Output: the rows of NEWDATA.csv with .fitted (mixture mean), .mean_1.. (component means),
.prob_1.. (gating probabilities) and, with the response, .posterior_1.. and .component.

  --out FILE.csv          where to write (default: standard output)
  --u COL, --y COL        column names when they differ from the fit's (or the result has none)
  --trials COL, --offset COL
  --na STRINGS, --sep CHAR   as for vcmoe fit
`;

function loadResult(path: string): VCMoEFit & { call?: Partial<DataCall> } {
  let raw: string;
  try {
    raw = readFileSync(path, "utf8");
  } catch (e) {
    throw new CliError(`${path}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw new CliError(`${path}: is not valid JSON (${(e as Error).message})`);
  }
  const r = json as VCMoEFit;
  if (typeof r !== "object" || r === null || !r.model || !r.parameters || !Array.isArray(r.curves)) {
    throw new CliError(`${path}: is not a fit result (write one with vcmoe fit ... --out ${path})`);
  }
  return r as VCMoEFit & { call?: Partial<DataCall> };
}

export async function runPredict(argv: string[], io: Io): Promise<void> {
  const str = { type: "string" } as const;
  const p = parseFlags("predict", argv, { out: str, u: str, y: str, trials: str, offset: str, na: str, sep: str });
  if (p.values.help) { io.out(PREDICT_USAGE); return; }
  if (p.positionals.length !== 2) throw new CliError("expected RESULT.json and NEWDATA.csv (see vcmoe predict --help)");
  const [resultPath, dataPath] = p.positionals;
  const res = loadResult(resultPath);
  const call = res.call ?? {};
  const table = readTable(dataPath, csvSettings(p));
  const cols = new Columns(table, csvSettings(p));
  const has = (c: string | undefined) => c !== undefined && table.header.includes(c);
  const uName = text(p, "u") ?? call.u;
  if (!uName) throw new CliError("--u is required: the result does not name its u column (it was not written by vcmoe fit)");
  const { model } = res;
  const factorColumns = new Set((model.factors ?? []).map((f) => f.column));
  const factorTerms = new Set((model.factors ?? []).flatMap((f) => f.terms));
  const covariates = (names: string[], part: "z" | "x", flag: string) => {
    const out: Record<string, number[] | Covariate> = {};
    for (const nm of names) {
      if (nm === "(Intercept)" || factorTerms.has(nm)) continue;
      out[nm] = cols.numeric(nm, flag);
    }
    for (const f of model.factors ?? []) if (f.part === part) out[f.column] = cols.covariate(f.column, flag, true);
    return out;
  };
  const newData: PredictData = { u: cols.numeric(uName, "--u"), z: covariates(model.zNames, "z", "--z"), x: covariates(model.xNames, "x", "--x") };
  const yName = text(p, "y") ?? (has(call.y) ? call.y : undefined);
  if (yName) newData.y = cols.numeric(yName, "--y");
  const trialsName = text(p, "trials") ?? (has(call.trials) ? call.trials : undefined);
  if (trialsName && newData.y) newData.trials = cols.numeric(trialsName, "--trials");
  const offsetName = text(p, "offset") ?? (has(call.offset) ? call.offset : undefined);
  if (offsetName) newData.offset = cols.numeric(offsetName, "--offset");
  else if (model.offset) io.info(`note: the fit used an offset${call.offset ? ` (column '${call.offset}')` : ""}; ${dataPath} has none, so offset 0 is assumed`);
  // predict the complete rows; the others get NA
  const used = [newData.u as number[], ...Object.values(newData.z!), ...Object.values(newData.x!), ...[newData.y, newData.trials, newData.offset].filter((c) => c !== undefined)] as Array<number[] | Covariate>;
  const incomplete = new Set(cols.missingRows(used));
  const keep = table.rows.map((_, i) => i).filter((i) => !incomplete.has(i));
  if (keep.length === 0) throw new CliError(`${dataPath}: every row has a missing value in the columns the model uses`);
  const pick = <T>(c: T): T => (Array.isArray(c) ? keep.map((i) => c[i]) : { ...(c as object), values: keep.map((i) => (c as { values: unknown[] }).values[i]) }) as T;
  const sub: PredictData = {
    u: pick(newData.u), z: Object.fromEntries(Object.entries(newData.z!).map(([k, v]) => [k, pick(v)])), x: Object.fromEntries(Object.entries(newData.x!).map(([k, v]) => [k, pick(v)])),
    ...(newData.y ? { y: pick(newData.y) } : {}), ...(newData.trials ? { trials: pick(newData.trials) } : {}), ...(newData.offset ? { offset: pick(newData.offset) } : {}),
  };
  const names: Partial<DataCall> = { y: yName, u: uName, trials: trialsName, offset: offsetName };
  const ctx: ErrorContext = { describe: describeColumns(names, "newData"), lineOf: (row) => table.lines[keep[row]] ?? null };
  const pr = await inContext(ctx, () => predict(res, sub));
  const K = model.K;
  const extra = [".fitted", ...Array.from({ length: K }, (_, c) => `.mean_${c + 1}`), ...Array.from({ length: K }, (_, c) => `.prob_${c + 1}`),
    ...(pr.posteriors ? [...Array.from({ length: K }, (_, c) => `.posterior_${c + 1}`), ".component"] : [])];
  const at = new Map(keep.map((i, k) => [i, k]));
  const rows = table.rows.map((r, i) => {
    const k = at.get(i);
    if (k === undefined) return [...r, ...extra.map(() => NaN)];
    const post = pr.posteriors?.[k];
    return [...r, pr.mean[k], ...pr.componentMeans[k], ...pr.gating[k],
      ...(post ? [...post, post.indexOf(Math.max(...post)) + 1] : [])];
  });
  const csv = csvText([...table.header, ...extra], rows);
  if (incomplete.size) io.info(`note: ${incomplete.size} row(s) have a missing value in the columns the model uses; their predictions are NA`);
  if (pr.extrapolated) io.info(`note: ${pr.extrapolated} row(s) lie outside the fitted range of ${uName} [${model.uMin}, ${model.uMax}]: the curves are extrapolated there`);
  const out = text(p, "out");
  if (out) {
    writeFileAtomic(out, csv, "--out");
    io.info(`wrote ${out} (${table.rows.length} rows)`);
  } else {
    io.out(csv);
  }
}
