// Stage 3 of a fit: the varying-coefficient estimator on the fit's grid — the
// label-consistent EM (with the hybrid steps of a hybrid model) and the optional local
// refinement of its expert coefficients, or the per-grid-point baseline with label alignment (./em.ts,
// ./hybrid.ts, ./refine.ts, ./localAlign.ts). It records convergence and warnings in
// the order a reader meets the stages.
import type { FitDiagnostics, StageConvergence } from "../model/result.js";
import { runEM } from "./em.js";
import { HybridSteps } from "./hybrid.js";
import type { FitStart } from "./initialise.js";
import { runLocalAlign } from "./localAlign.js";
import type { FitProblem } from "./problem.js";
import { refineLocally } from "./refine.js";
import { GridState } from "./workspace.js";
import { interpolateParams } from "./warmStart.js";

export interface Estimate {
  /** The grid state at the estimate (posteriors belong to its parameters). */
  state: GridState;
  logLik: number;
  converged: boolean;
  iterations: number;
  /** Label-consistent EM: the path of its objective (the smoothed log-likelihood) and its decreases. */
  path: number[];
  decreases: number;
  largestDecrease: number;
  stages: StageConvergence[];
  refinement?: FitDiagnostics["refinement"];
  alignment?: FitDiagnostics["alignment"];
  warnings: string[];
}

export function estimate(problem: FitProblem, start: FitStart): Estimate {
  const { ds, spec, masks } = problem;
  const { init, sigmaFloor } = start;
  const state = new GridState(start.cd, problem.local);
  const warnings: string[] = [];
  const stages: StageConvergence[] = [{ stage: "initialisation", converged: init.trace.converged, iterations: init.trace.iterations }];
  if (!init.trace.converged) warnings.push("the constant-coefficient initialisation did not converge within 2000 iterations");
  let est: Estimate;
  if (spec.method === "label-consistent") {
    // from the screening's short run on the coarse grid (fewer EM steps on the full grid);
    // hybrid fits start from constants, which their constant coefficients must stay
    if (start.warm && !masks) state.write(interpolateParams(start.warm, problem.local.grid, problem.local.h, start.cd.K, ds.q, ds.p));
    else state.writeConstant(start.params);
    const hyb = masks ? new HybridSteps(state, masks) : null;
    const tr = runEM(state, { maxIter: spec.maxIter, tol: spec.tol, sigmaFloor, maxNewton: 1, accelerate: spec.accelerate },
      hyb ? () => hyb.mstep({ sigmaFloor, maxNewton: 1 }) : undefined);
    if (hyb) warnings.push(...hyb.warnings());
    est = { state, ...tr, stages, warnings };
    stages.push({ stage: "label-consistent EM", converged: tr.converged, iterations: tr.iterations });
    if (spec.refine && !masks) { // refinement would let the constants vary: not applied to hybrid fits
      const rt = refineLocally(state, state.read(), spec.maxIter, spec.refineTol, sigmaFloor);
      est.refinement = {
        labelConsistentLogLik: tr.logLik, iterations: rt.iterations, converged: rt.converged.every(Boolean),
        reverted: rt.reverted.map((j) => ds.uMin + spec.grid[j] * ds.uRange),
      };
      est.logLik = state.estep();
      if (rt.reverted.length) warnings.push(`local refinement would have changed a component's identity at ${rt.reverted.length} grid point(s); kept the label-consistent values there`);
      if (!est.refinement.converged) warnings.push(`local refinement did not converge at every grid point within ${spec.maxIter} iterations`);
      stages.push({ stage: "local refinement", converged: est.refinement.converged, iterations: Math.max(...rt.iterations), notConverged: rt.converged.filter((c) => !c).length });
    }
    // hybrid fits: the global step for the constants maximises the interpolated criterion, not ℓ_S (README), so small decreases are expected there
    if (tr.decreases > 0 && !masks) warnings.push(`the EM objective decreased at ${tr.decreases} iteration(s) (largest ${tr.largestDecrease.toExponential(2)}): the iteration is not an ascent there`);
  } else {
    const run = runLocalAlign(state, start.params, { localStarts: spec.localStarts, maxIter: spec.maxIter, tol: spec.tol, sigmaFloor });
    const converged = run.converged.every(Boolean), iterations = Math.max(...run.iterations);
    stages.push({ stage: "local EM", converged, iterations, notConverged: run.converged.filter((c) => !c).length });
    const finite = run.alignment.margins.filter(Number.isFinite);
    est = {
      state, logLik: state.estep(), converged, iterations, path: [], decreases: 0, largestDecrease: 0, stages, warnings,
      alignment: { switches: run.alignment.switches, margins: run.alignment.margins, minMargin: finite.length ? Math.min(...finite) : Infinity, permutations: run.alignment.perms },
    };
  }
  if (!est.converged) warnings.push(`EM did not converge within ${spec.maxIter} iterations (tol ${spec.tol})`);
  return est;
}
