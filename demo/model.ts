// What the demo page does with a table, without touching the page: CSV text to columns,
// the user's column roles and transforms to fit() data, and a fit (with its bands) to the
// summary table and the curves CSV. Plain functions, so the Node test can check them
// against the library called directly.
import Papa from "papaparse";
import type { ConfidenceBands, FamilyName, VCMoEData, VCMoEFit } from "vcmoe";

export type Role = "" | "y" | "u" | "z" | "x" | "trials" | "offset" | "weights";
export type Transform = "none" | "log1p" | "log";
export const ROLES: Role[] = ["", "y", "u", "z", "x", "trials", "offset", "weights"];
export const TRANSFORMS: Transform[] = ["none", "log1p", "log"];

export interface ColumnChoice { role: Role; transform: Transform }

export interface Table {
  names: string[];
  /** Cells as text, by column name. */
  cells: Record<string, string[]>;
  rows: number;
}

/** A problem the user can fix (bad CSV, a text column chosen as a number, a missing role). */
export class DemoInputError extends Error {}

/** Parses CSV text with a header row (quoted fields, CRLF, empty lines skipped). */
export function parseTable(text: string): Table {
  // line ends normalised: a file edited on two systems can mix CRLF and LF
  const res = Papa.parse<string[]>(text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n"), { skipEmptyLines: "greedy", newline: "\n" });
  const bad = res.errors.find((e) => e.type !== "Delimiter");
  if (bad) throw new DemoInputError(`CSV: ${bad.message}${bad.row !== undefined ? ` (row ${bad.row + 1})` : ""}`);
  const [head, ...rows] = res.data;
  if (!head || head.length === 0) throw new DemoInputError("CSV: no header row");
  if (rows.length === 0) throw new DemoInputError("CSV: a header row but no data");
  const names = head.map((h, k) => h.trim() || `column ${k + 1}`);
  const dup = names.find((h, k) => names.indexOf(h) !== k);
  if (dup) throw new DemoInputError(`CSV: the column name '${dup}' appears twice`);
  const cells: Record<string, string[]> = Object.fromEntries(names.map((h) => [h, []]));
  rows.forEach((r, i) => {
    if (r.length !== names.length) throw new DemoInputError(`CSV: row ${i + 2} has ${r.length} fields, the header has ${names.length}`);
    names.forEach((h, k) => cells[h].push(r[k]));
  });
  return { names, cells, rows: rows.length };
}

const MISSING = new Set(["", "NA", "NaN", "nan", "null", "NULL", "."]);

/** Is every non-missing cell of the column a number? */
export function isNumeric(cells: string[]): boolean {
  return cells.every((c) => MISSING.has(c.trim()) || Number.isFinite(Number(c)));
}

/** The column's numbers after the transform; missing cells are NaN (the fit drops their rows). */
export function numericColumn(table: Table, name: string, transform: Transform): number[] {
  return table.cells[name].map((raw, i) => {
    const c = raw.trim();
    if (MISSING.has(c)) return Number.NaN;
    const v = Number(c);
    if (!Number.isFinite(v)) throw new DemoInputError(`column '${name}' has text in row ${i + 2} ('${c}'): choose numeric columns`);
    if (transform === "log1p") {
      if (v <= -1) throw new DemoInputError(`column '${name}': log1p needs values above −1 (row ${i + 2} has ${c})`);
      return Math.log1p(v);
    }
    if (transform === "log") {
      if (v <= 0) throw new DemoInputError(`column '${name}': log needs positive values (row ${i + 2} has ${c})`);
      return Math.log(v);
    }
    return v;
  });
}

/** The name a transformed column gets in the fit (and its curves): "log1p(MYOG)". */
export const termName = (name: string, t: Transform): string => (t === "none" ? name : `${t}(${name})`);

/**
 * Axis titles from the chosen columns ("log1p(TNNT1)", "Pseudotime"). The data plot draws
 * binomial responses as y / trials and log-link counts with an offset as rates y / exp(offset)
 * (see dataPlotSpec), so the y title says which; "Seizures / Hours" when the offset is log(Hours).
 */
export function axisLabels(choices: Record<string, ColumnChoice>, family: FamilyName): { y?: string; u?: string } {
  const chosen = (role: Role) => {
    const e = Object.entries(choices).filter(([, c]) => c.role === role);
    return e.length === 1 ? { name: e[0][0], transform: e[0][1].transform, term: termName(e[0][0], e[0][1].transform) } : undefined;
  };
  const y = chosen("y"), trials = chosen("trials"), offset = chosen("offset");
  let yTitle = y?.term;
  if (y && family === "binomial" && trials) yTitle = `${y.term} / ${trials.term}`;
  else if (y && LOG_LINK.has(family) && offset) yTitle = `${y.term} / ${offset.transform === "log" ? offset.name : `exp(${offset.term})`}`;
  return { y: yTitle, u: chosen("u")?.term };
}
const LOG_LINK = new Set<FamilyName>(["poisson", "negbin"]);

/** fit() data from the chosen roles: exactly one y and one u; any number of z and x columns. */
export function buildData(table: Table, choices: Record<string, ColumnChoice>): VCMoEData & { y: number[]; u: number[] } {
  const pick = (role: Role) => table.names.filter((n) => choices[n]?.role === role);
  const one = (role: Role, what: string, required: boolean): string | undefined => {
    const cols = pick(role);
    if (cols.length > 1) throw new DemoInputError(`choose one ${what} column (now: ${cols.join(", ")})`);
    if (required && cols.length === 0) throw new DemoInputError(`choose the ${what} column`);
    return cols[0];
  };
  const col = (name: string) => numericColumn(table, name, choices[name].transform);
  const yName = one("y", "response (y)", true)!;
  const uName = one("u", "index (u)", true)!;
  const data: VCMoEData & { y: number[]; u: number[] } = { y: col(yName), u: col(uName) };
  const z = pick("z"), x = pick("x");
  // a text covariate goes to fit() as text (missing cells as null): the library codes it as a factor
  const covariate = (n: string): [string, number[] | Array<string | null>] => {
    if (isNumeric(table.cells[n])) return [termName(n, choices[n].transform), col(n)];
    if (choices[n].transform !== "none") throw new DemoInputError(`column '${n}' is text (categorical): it takes no transform`);
    return [n, table.cells[n].map((c) => (MISSING.has(c.trim()) ? null : c.trim()))];
  };
  if (z.length) data.z = Object.fromEntries(z.map(covariate));
  if (x.length) data.x = Object.fromEntries(x.map(covariate));
  for (const [role, what] of [["trials", "trials"], ["offset", "offset"], ["weights", "weights"]] as const) {
    const n = one(role, what, false);
    if (n) data[role] = col(n);
  }
  return data;
}

/** `digits` significant digits; large numbers (θ at its bound, 1e8) as 1e+8 rather than 100000000. */
const fmt = (v: number | null | undefined, digits = 4): string => {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  const r = Number(v.toPrecision(digits));
  return Math.abs(r) >= 1e6 ? r.toExponential() : r.toString();
};

/** Five grid indices: both ends and the quartiles of the grid. */
export function summaryPoints(grid: number[]): number[] {
  const m = grid.length;
  return [0, Math.round((m - 1) / 4), Math.round((m - 1) / 2), Math.round((3 * (m - 1)) / 4), m - 1];
}

export const curveLabel = (c: { part: string; component: number; term: string }): string =>
  c.part === "sigma" || c.part === "theta" ? `${c.part === "sigma" ? "σ" : "θ"}[${c.component}]` : `${c.part}[${c.component}] ${c.term}`;

export interface SummaryTable {
  head: string[];
  rows: string[][];
}

/** The curves at five u values, with the band's limits beside each estimate where the band exists. */
export function curveTable(res: VCMoEFit, bands?: ConfidenceBands): SummaryTable {
  const idx = summaryPoints(res.grid);
  // u to a fixed number of decimals, three significant digits of the grid's span
  const span = res.grid[res.grid.length - 1] - res.grid[0];
  const decimals = Math.min(10, Math.max(0, 2 - Math.floor(Math.log10(span > 0 ? span : 1))));
  const head = ["curve", ...idx.map((j) => `u = ${res.grid[j].toFixed(decimals)}`)];
  const rows = res.curves.map((c) => {
    const b = bands?.curves.find((x) => x.part === c.part && x.component === c.component && x.term === c.term);
    return [curveLabel(c), ...idx.map((j) => (b && Number.isFinite(b.lower[j]) ? `${fmt(c.values[j])} [${fmt(b.lower[j], 3)}, ${fmt(b.upper[j], 3)}]` : fmt(c.values[j])))];
  });
  return { head, rows };
}

/** Model facts for the summary: what was fitted, the likelihood, convergence, information criteria. */
export function modelFacts(res: VCMoEFit, df: number | null): Array<[string, string]> {
  const m = res.model;
  const n = m.n;
  const facts: Array<[string, string]> = [
    ["family", m.family], ["K", String(m.K)], ["n (rows used)", `${n}${m.droppedRows ? ` (${m.droppedRows} incomplete rows dropped)` : ""}`],
    ["bandwidth (unit u scale)", fmt(m.bandwidth)], ["grid points", String(res.grid.length)],
    ["log-likelihood", res.logLik.toFixed(4)], ["EM", `${res.converged ? "converged" : "NOT converged"} after ${res.iterations} iterations`],
  ];
  const st = res.statistics;
  if (st) facts.push(["effective df", fmt(st.df)], ["AIC", fmt(st.AIC, 6)], ["BIC", fmt(st.BIC, 6)], ["ICL", fmt(st.ICL, 6)]);
  else if (df !== null) facts.push(["effective df", fmt(df)], ["AIC", fmt(-2 * res.logLik + 2 * df, 6)], ["BIC", fmt(-2 * res.logLik + Math.log(n) * df, 6)]);
  return facts;
}

/** One row per curve and grid point: u, curve, estimate and, with bands, se and the band's limits. */
export function curvesCsv(res: VCMoEFit, bands?: ConfidenceBands): string {
  const fields = ["u", "part", "component", "term", "estimate", ...(bands ? ["se", "lower", "upper", "critical_value"] : [])];
  const data: Array<Array<string | number>> = [];
  for (const c of res.curves) {
    const b = bands?.curves.find((x) => x.part === c.part && x.component === c.component && x.term === c.term);
    res.grid.forEach((u, j) => {
      const row: Array<string | number> = [u, c.part, c.component, c.term, c.values[j]];
      if (bands) row.push(b ? b.se[j] : "", b ? b.lower[j] : "", b ? b.upper[j] : "", b ? b.criticalValue : "");
      data.push(row);
    });
  }
  return Papa.unparse({ fields, data }, { newline: "\n" }) + "\n";
}
