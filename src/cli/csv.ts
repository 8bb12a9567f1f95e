// CSV input for the command line (parsing by papaparse): a header row, quoted fields
// (with separators, quotes and line breaks inside), CRLF or LF line ends, a byte-order
// mark, blank lines; missing values are empty cells or one of the NA strings. Every
// data row remembers its line in the file, so errors can point at it.
import { readFileSync } from "node:fs";
import Papa from "papaparse";
import { factor, type Covariate, type Factor } from "../index.js";
import { CliError } from "./errors.js";

export interface Table {
  /** File name as given (for messages). */
  source: string;
  header: string[];
  /** Data rows (blank lines skipped), cells as text. */
  rows: string[][];
  /** 1-based line of the file where each data row starts. */
  lines: number[];
}

export interface CsvSettings {
  /** Field separator (default ","). */
  separator: string;
  /** Cell texts that mean "missing" besides the empty cell (default NA, NaN). */
  na: string[];
}

export const DEFAULT_NA = ["NA", "NaN"];

function readText(path: string): string {
  try {
    return path === "-" ? readFileSync(0, "utf8") : readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(code === "ENOENT" ? `${path}: no such file` : code === "EISDIR" ? `${path}: is a directory, not a CSV file` : `${path}: cannot be read (${(e as Error).message})`);
  }
}

/** Parses CSV text with a header row. */
export function parseTable(text: string, source: string, settings: CsvSettings): Table {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const res = Papa.parse<string[]>(text, { header: false, skipEmptyLines: false, delimiter: settings.separator });
  const rows: string[][] = [], lines: number[] = [];
  let line = 1, header: string[] | null = null, headerLine = 0;
  res.data.forEach((r) => {
    const start = line;
    let breaks = 0;
    for (const cell of r) for (let k = 0; k < cell.length; k++) if (cell.charCodeAt(k) === 10) breaks++;
    line += 1 + breaks;
    if (r.length === 1 && r[0].trim() === "") return; // blank line
    if (header === null) { header = r.map((h) => h.trim()); headerLine = start; return; }
    rows.push(r);
    lines.push(start);
  });
  const quoteError = res.errors.find((e) => e.type === "Quotes");
  if (quoteError) {
    const at = quoteError.row !== undefined && quoteError.row >= 0 ? lineOfParsedRow(res.data, quoteError.row) : null;
    throw new CliError(`${source}${at ? `, line ${at}` : ""}: ${quoteError.message.toLowerCase()} (a quoted field is not closed)`);
  }
  if (header === null) throw new CliError(`${source}: is empty (a header row with the column names is needed)`);
  const names: string[] = header;
  names.forEach((h, k) => {
    if (h === "") throw new CliError(`${source}, line ${headerLine}: column ${k + 1} of the header has no name`);
    const first = names.indexOf(h);
    if (first !== k) throw new CliError(`${source}, line ${headerLine}: column '${h}' appears twice in the header (columns ${first + 1} and ${k + 1})`);
  });
  rows.forEach((r, i) => {
    if (r.length !== names.length) {
      throw new CliError(`${source}, line ${lines[i]}: has ${r.length} field${r.length === 1 ? "" : "s"}, the header has ${names.length}${settings.separator === "," && r.length === 1 && r[0].includes(";") ? " (is the separator ';'? pass --sep ';')" : ""}`);
    }
  });
  if (rows.length === 0) throw new CliError(`${source}: has a header but no data rows`);
  return { source, header: names, rows, lines };
}

function lineOfParsedRow(data: string[][], row: number): number {
  let line = 1;
  for (let i = 0; i < row && i < data.length; i++) {
    let breaks = 0;
    for (const cell of data[i]) for (let k = 0; k < cell.length; k++) if (cell.charCodeAt(k) === 10) breaks++;
    line += 1 + breaks;
  }
  return line;
}

/** Reads and parses a CSV file ("-" = standard input). */
export function readTable(path: string, settings: CsvSettings): Table {
  return parseTable(readText(path), path, settings);
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A cell as a number: NaN when missing, null when it is not a finite decimal number (text, Inf). */
export function cellNumber(cell: string, na: readonly string[]): number | null {
  const s = cell.trim();
  if (s === "" || na.includes(s)) return Number.NaN;
  if (NUMBER.test(s)) {
    const v = Number(s);
    return Number.isFinite(v) ? v : null;
  }
  return null;
}

/** Column access with the role (flag) it plays, for messages. */
export class Columns {
  constructor(readonly table: Table, readonly settings: CsvSettings) {}

  index(name: string, flag: string): number {
    const k = this.table.header.indexOf(name);
    if (k < 0) {
      const near = this.table.header.find((h) => h.toLowerCase() === name.toLowerCase());
      throw new CliError(`${flag}: ${this.table.source} has no column '${name}'${near ? ` (did you mean '${near}'?)` : ""}; its columns are ${this.table.header.map((h) => `'${h}'`).join(", ")}`);
    }
    return k;
  }

  /** A numeric column (NaN where missing); text is an error naming the column, flag and line. */
  numeric(name: string, flag: string): number[] {
    const k = this.index(name, flag);
    return this.table.rows.map((r, i) => {
      const v = cellNumber(r[k], this.settings.na);
      if (v === null) throw new CliError(`column '${name}' (${flag}), line ${this.table.lines[i]}: '${r[k]}' is not a (finite) number`);
      return v;
    });
  }

  /**
   * A covariate: numbers when every cell is a number (or missing); categorical when every
   * cell is text or the column is listed in --factor; a mix is an error.
   */
  covariate(name: string, flag: string, forceFactor: boolean): number[] | Covariate {
    const k = this.index(name, flag);
    const cells = this.table.rows.map((r) => r[k].trim());
    const missing = (s: string) => s === "" || this.settings.na.includes(s);
    if (forceFactor) return factor(cells.map((s) => (missing(s) ? null : s))) as Factor;
    const nums = cells.map((s) => cellNumber(s, this.settings.na));
    const textAt = nums.findIndex((v) => v === null);
    if (textAt < 0) return nums as number[];
    const numberAt = nums.findIndex((v, i) => v !== null && !missing(cells[i]));
    if (numberAt >= 0) {
      throw new CliError(`column '${name}' (${flag}), line ${this.table.lines[textAt]}: '${cells[textAt]}' is text in a column of numbers (line ${this.table.lines[numberAt]} is ${cells[numberAt]}); fix the cell, add it to --na, or pass --factor ${name} to treat the column as categorical`);
    }
    return cells.map((s) => (missing(s) ? null : s));
  }

  /** Rows (0-based) where any of the given columns is missing. */
  missingRows(columns: Array<number[] | Covariate>): number[] {
    const out: number[] = [];
    const n = this.table.rows.length;
    for (let i = 0; i < n; i++) {
      if (columns.some((c) => isMissing(c, i))) out.push(i);
    }
    return out;
  }
}

function isMissing(c: number[] | Covariate, i: number): boolean {
  const v = Array.isArray(c) ? c[i] : (c as Factor).values[i];
  return v === null || v === undefined || (typeof v === "number" && !Number.isFinite(v));
}
