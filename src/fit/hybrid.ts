// The M-step of a hybrid model inside the label-consistent EM: (a) local steps for
// the varying coefficients with the constant ones as offsets, then (b) global steps
// for the constant coefficients with the varying ones at each row's own u
// (kernels in assembly/hybrid.ts; GLM experts: assembly/hybridGlm.ts, chosen by the
// family driver's expert step). A negative binomial fitted with dispersion
// 'constant' has every θ_c constant. runEM takes it through its `mstep` hook, so the
// E-step, convergence rule and trace are those of the ordinary fit. Start from
// parameters whose constants are equal at every grid point with zero slopes (as
// writeConstant() leaves them); otherwise the first global step makes them so.
import type { F64Buf, Struct } from "../core/backend.js";
import type { HybridMasks } from "../model/constants.js";
import type { GridState } from "./workspace.js";
import { STATUS_DISPERSION_BOUND, STATUS_LOW_WEIGHT, STATUS_NO_ASCENT, STATUS_RIDGE, STATUS_SINGULAR } from "../core/generated/constants.js";

export interface HybridStepSettings {
  sigmaFloor: number;
  /** Newton steps of the local gating M-step (as for the ordinary fit). */
  maxNewton: number;
  /** Newton steps of the global gating step (default 5). */
  maxNewtonGlobal?: number;
}

/** Status flags of the last global steps (assembly/status.ts). */
export interface HybridStepStatus {
  expert: number;
  gating: number;
}

export class HybridSteps {
  /** The masks as the kernels' argument struct. */
  private readonly masksRef: Struct<"Masks">;
  private readonly work: F64Buf;
  /** Work buffer of the ordinary gating kernel, used when the gating has no constant coefficient. */
  private readonly workL: F64Buf;
  /** GLM experts (the family's expert step is IRLS): the hybrid Newton steps' scratch, else null. */
  private readonly workGlm: F64Buf | null;
  /** Largest norm of a gating design row x (the global step; local steps use the grid's). */
  private readonly normGlobal: number;
  private readonly anyLocalExpert: boolean;
  private readonly anyLocalGating: boolean;
  private readonly anyGlobalExpert: boolean;
  private readonly anyGlobalGating: boolean;
  readonly status: HybridStepStatus = { expert: 0, gating: 0 };

  constructor(readonly state: GridState, readonly masks: HybridMasks) {
    const { core, K, ds } = state.data;
    if (masks.K !== K || masks.q !== ds.q || masks.p !== ds.p) throw new Error("hybrid masks do not match the model dimensions");
    const constS = masks.constS.map((v) => (state.data.constantDispersion ? 1 : v));
    this.masksRef = core.struct("Masks", { constE: core.i32From(masks.constE), constS: core.i32From(constS), constG: core.i32From(masks.constG) });
    this.workGlm = state.data.family.expertStep === "irls" ? core.f64(core.kernels.hybridGlmWorkSize(ds.q)) : null;
    this.work = core.f64(core.kernels.hybridWorkSize(K, ds.q, ds.p));
    this.workL = core.f64(core.kernels.logitWorkSize(K, ds.p));
    this.normGlobal = Math.sqrt(state.data.xNorm2);
    const some = (a: number[], v: number) => a.some((x) => x === v);
    this.anyGlobalExpert = some(masks.constE, 1) || some(constS, 1);
    this.anyLocalExpert = some(masks.constE, 0) || some(constS, 0);
    const gatingRows = masks.constG.slice(masks.p);
    this.anyGlobalGating = some(gatingRows, 1);
    this.anyLocalGating = some(gatingRows, 0);
  }

  /** One hybrid M-step: local (a) at every grid point, then global (b). */
  mstep(s: HybridStepSettings): void {
    const st = this.state, d = st.data, k = d.core.kernels, rows = d.rows, grid = st.grid;
    // (a) local steps; a part without constants uses the ordinary (faster) kernel
    if (!this.anyGlobalExpert) {
      st.mstep(0, st.m, { sigmaFloor: s.sigmaFloor, maxNewton: s.maxNewton, parts: { experts: true, dispersion: true, gating: false } });
    } else if (this.anyLocalExpert) {
      if (this.workGlm) k.mstepExpertHybridGlm(rows, grid, this.masksRef, 0, st.m, s.maxNewton, this.workGlm);
      else k.mstepExpertHybrid(rows, grid, this.masksRef, 0, st.m, s.sigmaFloor, this.work);
    } else {
      st.statusE.view().fill(0);
    }
    if (!this.anyGlobalGating) {
      k.mstepGating(rows, grid, 0, st.m, s.maxNewton, this.workL);
    } else if (this.anyLocalGating) {
      k.mstepGatingHybrid(rows, grid, this.masksRef, 0, st.m, s.maxNewton, this.work);
    } else {
      st.statusG.view().fill(0);
    }
    // (b) global steps for the constants, varying parts at each row's u
    if (this.anyGlobalExpert) {
      this.status.expert = this.workGlm
        ? k.globalExpertHybridGlm(rows, grid, this.masksRef, s.maxNewtonGlobal ?? 5, this.workGlm)
        : k.globalExpertHybrid(rows, grid, this.masksRef, s.sigmaFloor, this.work);
    }
    if (this.anyGlobalGating) {
      this.status.gating = k.globalGatingHybrid(rows, grid, this.masksRef, s.maxNewtonGlobal ?? 5, this.normGlobal, this.work);
    }
  }

  /** Warnings from the status flags of the last global steps. */
  warnings(): string[] {
    const out: string[] = [];
    const e = this.status.expert, g = this.status.gating;
    if (e & STATUS_LOW_WEIGHT) out.push("a component had almost no posterior weight in a global expert step: its constant coefficients were carried over");
    if (e & STATUS_SINGULAR) out.push("a global expert step was singular: its constant coefficients were carried over");
    if (e & STATUS_DISPERSION_BOUND) out.push("a constant dispersion was held at its bound (sigma at its floor: a degenerate component; theta at 1e-4 or 1e8)");
    if ((e | g) & STATUS_RIDGE) out.push("a global step needed a ridge (nearly collinear constant terms)");
    if (g & STATUS_SINGULAR) out.push("the global gating step was singular: its constants were carried over");
    if (g & STATUS_NO_ASCENT) out.push("the global gating Newton step found no ascent direction at some iteration");
    return out;
  }
}
