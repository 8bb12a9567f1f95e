// A printable summary of a fit, in the spirit of R's print methods.
import type { VCMoEFit } from "../model/result.js";

function pick(values: number[], idx: number[]): string {
  return idx.map((j) => values[j].toFixed(3).padStart(8)).join("");
}

/**
 * Text summary: model, convergence, and each curve at five points along u.
 *
 * @example
 * ```ts
 * const res = await fit(data, { K: 2, bandwidth: 0.25 });
 * console.log(formatSummary(res));
 * ```
 */
export function formatSummary(res: VCMoEFit): string {
  const { model } = res;
  const m = res.grid.length;
  const idx = [0, Math.round((m - 1) / 4), Math.round((m - 1) / 2), Math.round((3 * (m - 1)) / 4), m - 1];
  const lines = [
    `Varying-coefficient mixture of experts: ${model.family}, K = ${model.K}, n = ${model.n}${model.droppedRows ? ` (${model.droppedRows} incomplete rows dropped)` : ""}`,
    `  ${model.method} EM${res.diagnostics.refinement ? " + local refinement" : ""}, ${model.kernel} kernel, bandwidth ${model.bandwidth} (unit u scale), ${m} grid points, backend ${model.backend}`,
    `  log-likelihood ${res.logLik.toFixed(4)}, ${res.converged ? "converged" : "NOT converged"} after ${res.iterations} iterations`,
    `  gating: centred logits (γ_c − mean_k γ_k)`,
    "",
    `  ${"curve".padEnd(34)}${idx.map((j) => ("u=" + res.grid[j].toPrecision(3)).padStart(8)).join("")}`,
  ];
  for (const c of res.curves) lines.push(`  ${`${c.part}[${c.component}] ${c.term}`.padEnd(34)}${pick(c.values, idx)}`);
  if (res.diagnostics.warnings.length) lines.push("", ...res.diagnostics.warnings.map((w) => `  warning: ${w}`));
  return lines.join("\n");
}
