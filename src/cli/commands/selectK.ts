// vcmoe select-k data.csv ... --candidates 1-5: one fit per K, a table of
// log-likelihood, effective df, BIC and ICL.
import { selectK, type KSelection } from "../../index.js";
import { formatNumber, formatTable } from "../../io/textTable.js";
import { DATA_FLAGS, integerList, MODEL_FLAGS, parseFlags, text } from "../args.js";
import { loadData, modelOptions } from "../data.js";
import { CliError, inContext } from "../errors.js";
import type { Io } from "../io.js";
import { writeFileAtomic } from "../output.js";
import { resultToJson } from "../../io/json.js";

export const SELECT_K_USAGE = `Usage: vcmoe select-k DATA.csv --y COL --u COL [--z COLS] [--x COLS] [--candidates 1-5] [options]

Fits K = each candidate (1 = no mixture) with the same bandwidth and prints the
log-likelihood, the effective degrees of freedom, BIC and ICL (smaller is better).

  --candidates LIST       numbers of components: 1-5 (default), 2,3,4 or 1-3,5
  --bandwidth H           bandwidth on the unit u scale (default: the rule of thumb)
  --out FILE.json         the selection (every K's scores) as JSON
Data and model flags as for vcmoe fit (see vcmoe fit --help), except -K.
`;

/** The table of scores, the choices marked. */
export function selectionTable(sel: KSelection): string[] {
  const rows = [["K", "logLik", "df", "BIC", "ICL", "", ""]];
  for (const s of sel.scores) {
    const note = s.error ? `failed: ${s.error}` : [s.converged ? "" : "not converged", s.degenerate ? "degenerate" : ""].filter(Boolean).join(", ");
    const mark = [s.K === sel.chosen.bic ? "<- BIC" : "", s.K === sel.chosen.icl ? "<- ICL" : ""].filter(Boolean).join(" ");
    rows.push([String(s.K), s.logLik === null ? "" : formatNumber(s.logLik, 7), s.df ? formatNumber(s.df.total, 4) : "",
      s.bic === null ? "" : formatNumber(s.bic, 7), s.icl === null ? "" : formatNumber(s.icl, 7), mark, note]);
  }
  return formatTable(rows);
}

export async function runSelectK(argv: string[], io: Io): Promise<void> {
  const p = parseFlags("select-k", argv, { ...DATA_FLAGS, ...MODEL_FLAGS, candidates: { type: "string" }, out: { type: "string" } });
  if (p.values.help) { io.out(SELECT_K_USAGE); return; }
  if (p.positionals.length !== 1) throw new CliError(`expected one data file (see vcmoe select-k --help)`);
  if (text(p, "K") !== undefined) throw new CliError("-K is what select-k chooses; give --candidates instead");
  if (text(p, "bandwidth") === "cv") throw new CliError("--bandwidth cv needs a K: choose the bandwidth with vcmoe fit -K N --bandwidth cv and pass that number here");
  const loaded = loadData(p, p.positionals[0]);
  const { options } = modelOptions(p, loaded, false);
  const { K: _k, ...rest } = options;
  const candidates = integerList("--candidates", text(p, "candidates") ?? "1-5", 1, 10);
  const bar = io.progress("select-k");
  bar.update(0, candidates.length);
  let sel: KSelection;
  try {
    sel = await inContext(loaded.ctx, () => selectK(loaded.data, { ...rest, candidates, signal: io.signal, onProgress: ({ done, total }) => bar.update(done, total) }));
  } finally {
    bar.clear();
  }
  io.out([
    `Number of components: n = ${sel.scores[0].n}, bandwidth ${formatNumber(sel.bandwidth, 4)} (unit u scale)`,
    ...selectionTable(sel),
    `  chosen: K = ${sel.chosen.bic} by BIC, K = ${sel.chosen.icl} by ICL`,
    ...(sel.warnings.length ? ["", "Warnings:", ...sel.warnings.map((w) => `  - ${w}`)] : []),
  ].join("\n") + "\n");
  const out = text(p, "out");
  if (out) {
    writeFileAtomic(out, resultToJson({ ...sel, call: loaded.call }) + "\n", "--out");
    io.info(`wrote ${out}`);
  }
}
