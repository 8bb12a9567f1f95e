// Stage 2 of a fit: the data in a core, the constant-coefficient fit from several starts,
// and the screening that chooses the start of the varying-coefficient EM (./constant.ts,
// ./screen.ts); for large data both on an evenly spaced subset of the rows (./subsample.ts).
import type { Core } from "../core/backend.js";
import type { Dataset } from "../data/dataset.js";
import { localGrid, type LocalGrid } from "../model/grid.js";
import type { ScreenReport } from "../model/result.js";
import { runConstant, type ConstantRun } from "./constant.js";
import type { FitProblem } from "./problem.js";
import { screenStarts } from "./screen.js";
import { evenRows, initRowCount, pickRows } from "./subsample.js";
import type { WarmStart } from "./warmStart.js";
import { runEM } from "./em.js";
import { CoreData, GridState, type GridParams } from "./workspace.js";

export interface FitStart {
  cd: CoreData;
  /** Lower bound of the dispersion (σ floor; smallest θ). */
  sigmaFloor: number;
  /** The rows the initialisation and the screening ran on: the fit's, or an evenly spaced subset of them. */
  initData: Dataset;
  /** The constant-coefficient fit and every start's burn-in (on initData). */
  init: ConstantRun;
  /** The constant parameters the varying-coefficient EM starts from, their log-likelihood (on initData), and the screening. */
  params: GridParams;
  logLik: number;
  screening: ScreenReport | null;
  /** The coarse grid the screening's objectives were computed on (null without screening). */
  screenGrid: LocalGrid | null;
  /** The chosen candidate's short label-consistent EM run on the coarse grid (absent when screening is off). */
  warm?: WarmStart;
}

/** EM maps on every row (coarse grid) after a subset initialisation: 5 gave the full-data warm start's iteration counts at n = 10⁴. */
const SUBSET_POLISH_MAPS = 5;

export function initialise(core: Core, problem: FitProblem): FitStart {
  const { ds, spec, family } = problem;
  const dispersion = { constantDispersion: spec.dispersion === "constant" };
  const cd = new CoreData(core, ds, spec.K, family, dispersion);
  const sigmaFloor = family.dispersionFloor(ds, spec.sigmaFloorFraction);
  const tol = Math.min(spec.tol, 1e-8);
  const L = initRowCount(ds.n, spec.K, spec.initRows, problem.local);
  const initData = L < ds.n ? pickRows(ds, evenRows(ds.n, L)) : ds;
  const icd = L < ds.n ? new CoreData(core, initData, spec.K, family, dispersion) : cd;
  const init = runConstant(icd, { starts: spec.starts, maxIter: 2000, tol, sigmaFloor, seed: spec.seed });
  const screened = screenStarts(icd, init, problem.local, {
    iterations: spec.initScreening, maxCandidates: 8, maxGrid: 11, sigmaFloor, maxIter: 2000, tol,
  });
  if (icd !== cd && screened.warm && spec.method === "label-consistent" && !problem.masks) {
    // the chosen run continued on every row, still on the coarse grid: a warm start as close as
    // an initialisation on every row gives (EM maps of the full grid cost ~5 coarse ones); only
    // the label-consistent EM of a model without constant coefficients starts from it (estimate.ts)
    const st = new GridState(cd, localGrid(ds, screened.warm.grid, problem.local.h, problem.local.kernel!));
    st.write(screened.warm.params);
    runEM(st, { maxIter: SUBSET_POLISH_MAPS, tol: 0, sigmaFloor, maxNewton: 1, objectiveOnly: true });
    screened.warm = { params: st.read(), grid: screened.warm.grid };
  }
  return { cd, sigmaFloor, initData, init, params: screened.params, logLik: screened.logLik, screening: screened.report, screenGrid: screened.grid, warm: screened.warm };
}
