// From a CSV file and the column flags to the library's data and options: which
// column plays which role, missing values, categorical columns, and the translation
// of the library's argument names back to columns and flags.
import type { ConstantTerm, FamilyName, FitOptions, VCMoEData } from "../index.js";
import { choice, coefficientList, integer, list, positiveNumber, required, text, type Parsed } from "./args.js";
import { Columns, DEFAULT_NA, readTable, type CsvSettings, type Table } from "./csv.js";
import { CliError, type ErrorContext } from "./errors.js";

/** The column roles a fit was made with; saved in result.json as `call` so that predict finds the columns again. */
export interface DataCall {
  file: string;
  y: string;
  u: string;
  z: string[];
  x: string[];
  weights?: string;
  trials?: string;
  offset?: string;
  factor: string[];
}

export interface LoadedData {
  table: Table;
  data: VCMoEData;
  call: DataCall;
  ctx: ErrorContext;
  missing: "error" | "drop";
  /** Rows (0-based) with a missing value in a column used. */
  incomplete: number[];
}

export function csvSettings(p: Parsed): CsvSettings {
  const sep = text(p, "sep") ?? ",";
  const separator = sep === "tab" || sep === "\\t" ? "\t" : sep;
  if (separator.length !== 1) throw new CliError(`--sep: must be one character (or 'tab'), got '${sep}'`);
  const na = text(p, "na");
  return { separator, na: na === undefined ? DEFAULT_NA : list(na) };
}

/** "data.y" → "column 'y' (--y)" for the columns of `call`. */
export function describeColumns(call: Partial<DataCall>, prefix = "data"): (argument: string) => string | null {
  return (argument) => {
    const m = new RegExp(`^${prefix}\\.(y|u|weights|trials|offset)$`).exec(argument);
    if (m) {
      const col = call[m[1] as "y"];
      return col ? `column '${col}' (--${m[1]})` : `--${m[1]}`;
    }
    const cov = new RegExp(`^${prefix}\\.(z|x)(?:\\.(.+))?$`).exec(argument);
    if (cov) return cov[2] ? `column '${cov[2].replace(/=.*$/, "")}' (--${cov[1]})` : `--${cov[1]}`;
    return null;
  };
}

/** Reads the data file of fit, select-k and glrt and assembles the library's data. */
export function loadData(p: Parsed, file: string): LoadedData {
  const settings = csvSettings(p);
  const table = readTable(file, settings);
  const cols = new Columns(table, settings);
  const call: DataCall = {
    file,
    y: required(p, "y", "the response column"),
    u: required(p, "u", "the column along which the coefficients vary"),
    z: list(text(p, "z")),
    x: list(text(p, "x")),
    weights: text(p, "weights"),
    trials: text(p, "trials"),
    offset: text(p, "offset"),
    factor: list(text(p, "factor")),
  };
  for (const f of call.factor) {
    if (!call.z.includes(f) && !call.x.includes(f)) throw new CliError(`--factor: '${f}' is not a covariate (not in --z or --x)`);
  }
  const y = cols.numeric(call.y, "--y");
  const u = cols.numeric(call.u, "--u");
  const z = Object.fromEntries(call.z.map((n) => [n, cols.covariate(n, "--z", call.factor.includes(n))]));
  const x = Object.fromEntries(call.x.map((n) => [n, cols.covariate(n, "--x", call.factor.includes(n))]));
  const data: VCMoEData = { y, u, z, x };
  if (call.weights) data.weights = cols.numeric(call.weights, "--weights");
  if (call.trials) data.trials = cols.numeric(call.trials, "--trials");
  if (call.offset) data.offset = cols.numeric(call.offset, "--offset");
  const missing = choice("--missing", text(p, "missing"), ["error", "drop"] as const) ?? "error";
  const used: Array<[string, string, VCMoEData["y"] | unknown]> = [
    [call.y, "--y", y], [call.u, "--u", u], ...call.z.map((n) => [n, "--z", z[n]] as [string, string, unknown]),
    ...call.x.map((n) => [n, "--x", x[n]] as [string, string, unknown]),
    ...(["weights", "trials", "offset"] as const).filter((k) => call[k]).map((k) => [call[k]!, `--${k}`, data[k]] as [string, string, unknown]),
  ];
  const incomplete = cols.missingRows(used.map((c) => c[2] as number[]));
  if (incomplete.length > 0 && missing === "error") {
    const i = incomplete[0];
    const [name, flagName] = used.find((c) => cols.missingRows([c[2] as number[]]).includes(i))!;
    throw new CliError(`column '${name}' (${flagName}) is missing at line ${table.lines[i]}; ${incomplete.length} row(s) have missing values in the columns used (pass --missing drop to leave them out)`);
  }
  const ctx: ErrorContext = { describe: describeColumns(call), lineOf: (row) => table.lines[row] ?? null };
  return { table, data, call, ctx, missing, incomplete };
}

export const FAMILIES = ["gaussian", "binomial", "poisson", "negbin"] as const;

/** The fit options shared by fit, select-k and glrt (bandwidth: a number, or "cv" handled by the caller). */
export function modelOptions(p: Parsed, loaded: LoadedData, needK: boolean): { options: FitOptions; bandwidthCv: boolean } {
  const family = choice("--family", text(p, "family"), FAMILIES) as FamilyName | undefined;
  const K = integer("-K", text(p, "K"), 1, 10);
  if (needK && K === undefined) throw new CliError("-K is required (the number of components, 2 to 10)");
  const bw = text(p, "bandwidth");
  const bandwidthCv = bw === "cv";
  const grid = integer("--grid", text(p, "grid"), 2, 10000);
  const constant: ConstantTerm[] | undefined = text(p, "constant") !== undefined ? coefficientList("--constant", text(p, "constant")!) : undefined;
  const options: FitOptions = {
    K: K ?? 2,
    ...(family ? { family } : {}),
    ...(text(p, "dispersion") ? { dispersion: choice("--dispersion", text(p, "dispersion"), ["varying", "constant"] as const) } : {}),
    ...(bw !== undefined && !bandwidthCv ? { bandwidth: positiveNumber("--bandwidth", bw) } : {}),
    ...(grid !== undefined ? { grid } : {}),
    ...(text(p, "kernel") ? { kernel: choice("--kernel", text(p, "kernel"), ["epanechnikov", "gaussian"] as const) } : {}),
    ...(text(p, "method") ? { method: choice("--method", text(p, "method"), ["label-consistent", "local-align"] as const) } : {}),
    ...(constant ? { constant } : {}),
    ...(text(p, "seed") !== undefined ? { seed: integer("--seed", text(p, "seed"), -(2 ** 53 - 1), 2 ** 53 - 1) } : {}),
    ...(p.values["no-intercept"] ? { intercept: false } : {}),
    missing: loaded.missing,
  };
  return { options, bandwidthCv };
}
