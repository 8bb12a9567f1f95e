// Files the command line writes. Each is written to a temporary file beside the target
// and renamed into place, so Ctrl-C or a failure never leaves half a file.
import { renameSync, unlinkSync, writeFileSync } from "node:fs";
import Papa from "papaparse";
import type { ConfidenceBands, VCMoEFit } from "../index.js";
import { CliError } from "./errors.js";

export function writeFileAtomic(path: string, content: string, flagName: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* nothing was written */ }
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(`${flagName}: cannot write ${path}${code === "ENOENT" ? " (no such directory)" : code === "EACCES" ? " (permission denied)" : `: ${(e as Error).message}`}`);
  }
}

/**
 * CSV text from a header and rows (quoting by papaparse; numbers at full precision, NaN as NA,
 * ±∞ as Inf/-Inf, which R, pandas and spreadsheets read as numbers: an unbounded band's limits).
 */
export function csvText(fields: string[], rows: Array<Array<string | number>>): string {
  const cell = (v: string | number) => (typeof v !== "number" ? v : Number.isFinite(v) ? String(v) : v === Infinity ? "Inf" : v === -Infinity ? "-Inf" : "NA");
  return Papa.unparse({ fields, data: rows.map((r) => r.map(cell)) }, { newline: "\n" }) + "\n";
}

/** The curves in long form: one row per curve and grid point, with standard errors and band limits when there are bands. */
export function curvesCsv(res: VCMoEFit, bands?: ConfidenceBands): string {
  const fields = ["part", "component", "term", "u", "estimate", ...(bands ? ["se", "lower", "upper"] : [])];
  const rows: Array<Array<string | number>> = [];
  for (const c of res.curves) {
    const b = bands?.curves.find((x) => x.part === c.part && x.component === c.component && x.term === c.term);
    c.values.forEach((v, j) => {
      rows.push([c.part, c.component, c.term, res.grid[j], v, ...(bands ? (b ? [b.se[j], b.lower[j], b.upper[j]] : [NaN, NaN, NaN]) : [])]);
    });
  }
  return csvText(fields, rows);
}
