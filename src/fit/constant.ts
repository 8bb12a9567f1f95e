// The constant-coefficient mixture of experts: global EM from several starts,
// best log-likelihood kept. It initialises the varying-coefficient fit and is
// offered to users as fitConstant().
import type { Dataset } from "../data/dataset.js";
import { argsortStable } from "../data/columns.js";
import { runEM, type EMTrace } from "./em.js";
import { CoreData, GridState, type GridParams } from "./workspace.js";
import { globalGrid } from "../model/grid.js";
import { VCMoEFitError } from "../errors.js";
import { kmeansppLabels, wlsResiduals } from "./starts.js";

export interface ConstantSettings {
  starts: number;
  maxIter: number;
  tol: number;
  sigmaFloor: number;
  seed: number;
  /** EM iterations given to each start before the best one is run to convergence. */
  burnIn?: number;
}

export interface ConstantRun {
  params: GridParams;
  trace: EMTrace;
  /** Log-likelihood reached by each start after burn-in. */
  startLogLiks: number[];
  /** Parameters of each start after burn-in (candidates for screening, see screen.ts). */
  startParams: GridParams[];
  state: GridState;
}

/** Writes hard labels (one per row) into the posterior matrix. */
function setHardLabels(data: CoreData, labels: Int32Array): void {
  const R = data.R.view(), K = data.K;
  R.fill(0);
  for (let i = 0; i < labels.length; i++) R[i * K + labels[i]] = 1;
}

/**
 * Deterministic start: split rows into K groups of equal total weight by the rank of
 * their weighted least-squares residual (on the link scale for GLM families).
 */
function residualQuantileLabels(ds: Dataset, K: number, res: Float64Array): Int32Array {
  const { n, w } = ds;
  const idx = argsortStable(res); // by residual, ties in row order
  let wsum = 0;
  for (let i = 0; i < n; i++) wsum += w[i];
  const labels = new Int32Array(n);
  let acc = 0;
  for (const i of idx) {
    // the weight of the rows ranked before it decides its group (= rank·K/n for unit weights)
    labels[i] = Math.min(K - 1, Math.floor((acc * K) / wsum));
    acc += w[i];
  }
  return labels;
}

/** Runs the global EM from `starts` starts on the given core data; returns the best. */
export function runConstant(data: CoreData, s: ConstantSettings): ConstantRun {
  const { ds, K } = data;
  const state = new GridState(data, globalGrid(ds.n));
  // burn-in runs use one Newton step per gating M-step (still an ascent step): cheap screening of starts
  const emShort = { maxIter: s.burnIn ?? 10, tol: s.tol, sigmaFloor: s.sigmaFloor, maxNewton: 1 };
  data.seed(s.seed);
  let best: GridParams | null = null;
  let bestLL = -Infinity;
  const startLogLiks: number[] = [];
  const startParams: GridParams[] = [];
  const res = wlsResiduals(ds, data.family.workingResponse(ds));
  for (let k = 0; k < s.starts; k++) {
    // start 0: residual quantiles; then k-means++ partitions of the residuals and
    // uniformly random labels in turn
    const labels = k === 0 ? residualQuantileLabels(ds, K, res)
      : k % 2 === 1 ? kmeansppLabels(res, ds.w, K, data.uniforms(K))
        : Int32Array.from(data.uniforms(ds.n), (v) => Math.min(K - 1, Math.floor(v * K)));
    setHardLabels(data, labels);
    state.alpha.view().fill(0); state.gamma.view().fill(0); state.phi.view().fill(1);
    state.mstep(0, 1, { sigmaFloor: s.sigmaFloor, maxNewton: 5, fresh: true });
    const tr = runEM(state, emShort);
    startLogLiks.push(tr.logLik);
    startParams.push(state.read());
    // starts that reach the same mode (often with permuted labels) tie up to rounding: the
    // earliest wins, so that a change of units (rounding-level changes of the data) cannot
    // switch the labels of the fit
    if (best === null ? tr.logLik > bestLL : tr.logLik > bestLL + 1e-12 * (Math.abs(bestLL) + 1)) { bestLL = tr.logLik; best = startParams[k]; }
  }
  if (best === null) throw new VCMoEFitError("every start of the constant-coefficient initialisation failed (non-finite log-likelihood)");
  state.write(best);
  const trace = runEM(state, { maxIter: s.maxIter, tol: s.tol, sigmaFloor: s.sigmaFloor, maxNewton: 5, accelerate: "squarem" });
  return { params: state.read(), trace, startLogLiks, startParams, state };
}
