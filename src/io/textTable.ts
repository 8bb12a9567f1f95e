// Plain-text tables for summaries and the command line: numbers with a fixed number of
// significant digits, columns as wide as their contents.

/** A number with `digits` significant digits; exponents for very large or small magnitudes. */
export function formatNumber(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? "NA" : v > 0 ? "Inf" : "-Inf";
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-4) return v.toExponential(Math.max(0, digits - 2));
  return v.toPrecision(digits).replace(/(\.\d*?[1-9])0+$|\.0+$/, "$1");
}

/** Rows of cells as lines: the first column left-aligned, the others right-aligned, widths from the contents. */
export function formatTable(rows: string[][], indent = "  "): string[] {
  const cols = Math.max(...rows.map((r) => r.length));
  const width = Array.from({ length: cols }, (_, k) => Math.max(...rows.map((r) => (r[k] ?? "").length)));
  return rows.map((r) => indent + r.map((cell, k) => (k === 0 ? cell.padEnd(width[k]) : cell.padStart(width[k]))).join("  ").trimEnd());
}
