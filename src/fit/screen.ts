// Choosing the constant-coefficient start of a varying-coefficient fit by a short
// varying-coefficient EM. The constant fit with the highest likelihood need not
// label the components the way the varying model does: when the curves move a lot
// relative to the noise (large counts, small σ), the constant mixture may spend
// components on that movement. Each distinct start of runConstant is therefore run
// for a few label-consistent EM iterations on a coarse subset of the grid, and the
// one with the highest smoothed log-likelihood (the EM objective) is kept (a candidate whose
// Gaussian σ hit its floor — a likelihood spike — only when every candidate does).
// The chosen candidate's short run is also the warm start of the full-grid EM (warmStart.ts).
import { localGrid, type LocalGrid } from "../model/grid.js";
import type { ConstantRun } from "./constant.js";
import { runEM } from "./em.js";
import { GridState, type CoreData, type GridParams } from "./workspace.js";
import { STATUS_DISPERSION_BOUND } from "../core/generated/constants.js";
import type { ScreenReport } from "../model/result.js";
import type { WarmStart } from "./warmStart.js";

export interface ScreenSettings {
  /** EM iterations per candidate (0 turns screening off). */
  iterations: number;
  /** Distinct starts screened besides the best (plus the best start of each kind). */
  maxCandidates: number;
  /** At most this many grid points (a subset of the fit's grid). */
  maxGrid: number;
  sigmaFloor: number;
  /** Convergence settings of the constant EM run from a chosen non-best start. */
  maxIter: number;
  tol: number;
}


/**
 * Starts whose burn-in log-likelihoods differ from better ones (a different mode),
 * best first, without the best start itself: at most `cap`, plus the best start of
 * each kind (runConstant: 0 residual quantiles, odd k-means++, even ≥ 2 random).
 */
function distinctStarts(ll: number[], cap: number): number[] {
  const order = ll.map((_, i) => i).filter((i) => Number.isFinite(ll[i])).sort((a, b) => ll[b] - ll[a] || a - b);
  const kept: number[] = [];
  for (const i of order) {
    const same = (j: number) => Math.abs(ll[i] - ll[j]) <= 0.05 + 1e-7 * Math.abs(ll[j]);
    if (!kept.some(same)) kept.push(i);
  }
  const out = kept.slice(1, cap + 1); // kept[0] is the best start, represented by the converged fit
  const kind = (i: number) => (i === 0 ? 0 : i % 2 === 1 ? 1 : 2);
  for (let k = 0; k < 3; k++) {
    const first = kept.find((i) => kind(i) === k);
    if (first !== undefined && first !== kept[0] && !out.includes(first)) out.push(first);
  }
  return out;
}

/** Evenly spread subset of the grid indices (both ends included). */
function gridSubset(m: number, maxGrid: number): number[] {
  if (m <= maxGrid) return Array.from({ length: m }, (_, j) => j);
  const out = new Set<number>();
  for (let k = 0; k < maxGrid; k++) out.add(Math.round((k * (m - 1)) / (maxGrid - 1)));
  return [...out].sort((a, b) => a - b);
}

/**
 * Returns the constant-coefficient parameters the varying-coefficient EM would start
 * from (the converged best constant fit unless another start screens better) and the
 * chosen candidate's short run on the coarse grid, from which it does start (warmStart.ts).
 * With a single candidate there is nothing to choose: its short run is still made, for the warm start.
 */
export function screenStarts(cd: CoreData, init: ConstantRun, local: LocalGrid, s: ScreenSettings): { params: GridParams; logLik: number; report: ScreenReport | null; grid: LocalGrid | null; warm?: WarmStart } {
  const others = distinctStarts(init.startLogLiks, s.maxCandidates);
  if (s.iterations <= 0) return { params: init.params, logLik: init.trace.logLik, report: null, grid: null };
  const idx = gridSubset(local.grid.length, s.maxGrid);
  const coarse = Float64Array.from(idx, (j) => local.grid[j]);
  const grid = localGrid(cd.ds, coarse, local.h, local.kernel!);
  const state = new GridState(cd, grid);
  const starts = [-1, ...others];
  const ends: GridParams[] = [];
  const degenerate: boolean[] = [];
  const objectives = starts.map((k) => {
    state.writeConstant(k < 0 ? init.params : init.startParams[k]);
    const tr = runEM(state, { maxIter: s.iterations, tol: 0, sigmaFloor: s.sigmaFloor, maxNewton: 1, objectiveOnly: true });
    ends.push(state.read());
    // a Gaussian σ at its floor is a likelihood spike, not a better mode (a negative-binomial
    // θ at a bound is legitimate): the family says which
    degenerate.push(cd.family.boundIsDegenerate && state.statusE.view().some((v) => (v & STATUS_DISPERSION_BOUND) !== 0));
    return Number.isFinite(tr.objective) ? tr.objective : -Infinity;
  });
  // the highest objective among candidates without a degenerate component (among all if none is)
  const all = starts.map((_, k) => k);
  const pool = degenerate.every(Boolean) ? all : all.filter((k) => !degenerate[k]);
  let chosen = pool[0];
  for (const k of pool) if (objectives[k] > objectives[chosen]) chosen = k;
  // one candidate (every start reached the same mode): nothing was chosen, its run is only the warm start
  const report = starts.length > 1 ? { starts, objectives, degenerate, chosen } : null;
  if (chosen === 0) return { params: init.params, logLik: init.trace.logLik, report, grid: report && grid, warm: { params: ends[0], grid: coarse } };
  // converge the chosen start's constant fit (cheap: one window of all rows)
  init.state.write(init.startParams[starts[chosen]]);
  const tr = runEM(init.state, { maxIter: s.maxIter, tol: s.tol, sigmaFloor: s.sigmaFloor, maxNewton: 5, accelerate: "squarem" });
  return { params: init.state.read(), logLik: tr.logLik, report, grid, warm: { params: ends[chosen], grid: coarse } };
}
