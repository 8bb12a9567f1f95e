// CSV in and out (parsing by papaparse): numeric columns by header name.
import Papa from "papaparse";
import { VCMoEInputError } from "../errors.js";

/**
 * Parses CSV text with a header row into numeric columns (non-numeric cells become NaN).
 *
 * @example
 * ```ts
 * parseCsvColumns("y,u\n1.5,0.1\n2,NA\n"); // { y: [1.5, 2], u: [0.1, NaN] }
 * ```
 */
export function parseCsvColumns(text: string): Record<string, number[]> {
  if (typeof text !== "string") throw new VCMoEInputError("text", "must be a string of CSV");
  const res = Papa.parse<string[]>(text.trim(), { skipEmptyLines: true });
  if (res.errors.length > 0) throw new VCMoEInputError("text", `CSV error at row ${res.errors[0].row}: ${res.errors[0].message}`);
  const [head, ...rows] = res.data;
  if (!head) throw new VCMoEInputError("text", "has no header row");
  const cols: Record<string, number[]> = Object.fromEntries(head.map((h) => [h, []]));
  for (const r of rows) head.forEach((h, k) => cols[h].push(r[k] === undefined || r[k] === "" || r[k] === "NA" ? Number.NaN : Number(r[k])));
  return cols;
}

/**
 * Formats columns of equal length as CSV text with a header row.
 *
 * @example
 * ```ts
 * formatCsv({ u: [0.1, 0.2], estimate: [1.5, 1.25] }); // "u,estimate\r\n0.1,1.5\r\n0.2,1.25\n"
 * ```
 */
export function formatCsv(columns: Record<string, ArrayLike<number>>): string {
  const names = Object.keys(columns);
  const n = names.length ? columns[names[0]].length : 0;
  const rows = Array.from({ length: n }, (_, i) => names.map((k) => String(columns[k][i])));
  return Papa.unparse({ fields: names, data: rows }) + "\n";
}
