// --bandwidth cv: the bandwidth chosen by K-fold cross-validation (selectBandwidth),
// undersmoothed when bands or a GLRT follow (they need the bias to be small against
// the standard error; docs/model-choice.md).
import { selectBandwidth, type FitOptions } from "../../index.js";
import type { LoadedData } from "../data.js";
import { inContext } from "../errors.js";
import { formatNumber, formatTable } from "../../io/textTable.js";
import type { Io } from "../io.js";

export async function cvBandwidth(io: Io, loaded: LoadedData, options: FitOptions, settings: { folds?: number; undersmooth: boolean; why: string }): Promise<number> {
  const bar = io.progress("bandwidth CV");
  const { bandwidth: _b, signal: _s, ...rest } = options;
  let sel;
  try {
    sel = await inContext(loaded.ctx, () => selectBandwidth(loaded.data, { ...rest, ...(settings.folds ? { folds: settings.folds } : {}), signal: io.signal, onProgress: (p) => bar.update(p.done, p.total) }));
  } finally {
    bar.clear();
  }
  const rows = [["bandwidth", "held-out logLik", "se", ""]];
  sel.scores.forEach((s, k) => rows.push([formatNumber(s.bandwidth, 4), s.meanLogLik === null ? "failed" : formatNumber(s.meanLogLik, 6), s.se === null ? "" : formatNumber(s.se, 3), k === sel.chosenIndex ? "<- chosen" : ""]));
  const used = settings.undersmooth ? sel.undersmoothed : sel.chosen;
  io.out([
    `Bandwidth by ${sel.folds}-fold cross-validation (unit u scale; mean held-out log-likelihood per fold):`,
    ...formatTable(rows),
    settings.undersmooth
      ? `  using the undersmoothed ${formatNumber(used, 4)} = chosen × n^(-1/20) for ${settings.why}`
      : `  using ${formatNumber(used, 4)}`,
    ...sel.warnings.map((w) => `  warning: ${w}`),
    "",
  ].join("\n") + "\n");
  return used;
}
