// Stage 2 of a fit: the data in a core, the constant-coefficient fit from several starts,
// and the screening that chooses the start of the varying-coefficient EM (./constant.ts,
// ./screen.ts).
import type { Core } from "../core/backend.js";
import type { LocalGrid } from "../model/grid.js";
import type { ScreenReport } from "../model/result.js";
import { runConstant, type ConstantRun } from "./constant.js";
import type { FitProblem } from "./problem.js";
import { screenStarts } from "./screen.js";
import type { WarmStart } from "./warmStart.js";
import { CoreData, type GridParams } from "./workspace.js";

export interface FitStart {
  cd: CoreData;
  /** Lower bound of the dispersion (σ floor; smallest θ). */
  sigmaFloor: number;
  /** The constant-coefficient fit and every start's burn-in. */
  init: ConstantRun;
  /** The constant parameters the varying-coefficient EM starts from, their log-likelihood, and the screening. */
  params: GridParams;
  logLik: number;
  screening: ScreenReport | null;
  /** The coarse grid the screening's objectives were computed on (null without screening). */
  screenGrid: LocalGrid | null;
  /** The chosen candidate's short label-consistent EM run on the coarse grid (absent when screening is off). */
  warm?: WarmStart;
}

export function initialise(core: Core, problem: FitProblem): FitStart {
  const { ds, spec, family } = problem;
  const cd = new CoreData(core, ds, spec.K, family, { constantDispersion: spec.dispersion === "constant" });
  const sigmaFloor = family.dispersionFloor(ds, spec.sigmaFloorFraction);
  const tol = Math.min(spec.tol, 1e-8);
  const init = runConstant(cd, { starts: spec.starts, maxIter: 2000, tol, sigmaFloor, seed: spec.seed });
  const screened = screenStarts(cd, init, problem.local, {
    iterations: spec.initScreening, maxCandidates: 8, maxGrid: 11, sigmaFloor, maxIter: 2000, tol,
  });
  return { cd, sigmaFloor, init, params: screened.params, logLik: screened.logLik, screening: screened.report, screenGrid: screened.grid, warm: screened.warm };
}
