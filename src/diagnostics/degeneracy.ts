// Checks that flag a degenerate fit: a component that collapsed onto a few
// observations (sigma at its floor, tiny local weight, tiny effective sample size)
// or a stage of the fit that stopped without converging.

export interface DegeneracyInput {
  K: number;
  /** Expert columns (the local expert has 2q coefficients plus sigma). */
  q: number;
  sigmaFloored: number;
  lowWeight: number;
  minComponentWeight: number;
  effectiveRows: number[][];
  gridU: number[];
}

/**
 * Smallest effective sample size at which a local expert is taken as estimated
 * rather than interpolated: its parameter count, 2q coefficients plus sigma.
 * (Thin but honest components near the ends of u, e.g. a 10% component at the
 * boundary with a small bandwidth, stay above it; a component that collapsed onto
 * a few points does not.)
 */
function minSupportedRows(q: number): number {
  return 2 * q + 1;
}

/** Reasons (empty when none) for calling the fit degenerate. */
export function degeneracyReasons(d: DegeneracyInput): string[] {
  const reasons: string[] = [];
  if (d.sigmaFloored > 0) reasons.push("sigma-floor");
  if (d.lowWeight > 0) reasons.push("no-local-weight");
  if (d.K > 1 && d.minComponentWeight < 0.02) reasons.push("tiny-component-weight");
  const need = minSupportedRows(d.q);
  let worst = Infinity;
  for (const row of d.effectiveRows) for (const v of row) worst = Math.min(worst, v);
  if (worst < need) reasons.push("few-effective-rows");
  return reasons;
}

/** Human-readable warning for the few-effective-rows check (null when it passes). */
export function effectiveRowsWarning(d: DegeneracyInput): string | null {
  const need = minSupportedRows(d.q);
  let worst = Infinity, at = 0, comp = 0;
  d.effectiveRows.forEach((row, j) => row.forEach((v, c) => { if (v < worst) { worst = v; at = j; comp = c; } }));
  if (!(worst < need)) return null;
  return `component ${comp + 1} rests on about ${worst.toFixed(1)} effective observations near u = ${d.gridU[at].toPrecision(4)} (fewer than its ${need} local parameters): it may have collapsed onto a few points`;
}
