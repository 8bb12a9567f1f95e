// The M-step of a hybrid model inside the label-consistent EM: (a) local steps for
// the varying coefficients with the constant ones as offsets, then (b) global steps
// for the constant coefficients with the varying ones at each row's own u
// (kernels in assembly/hybrid.ts). runEM takes it through its `mstep` hook, so the
// E-step, convergence rule and trace are those of the ordinary fit. Start from
// parameters whose constants are equal at every grid point with zero slopes (as
// writeConstant() leaves them); otherwise the first global step makes them so.
import type { I32Buf, F64Buf } from "../core/backend.js";
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
  private readonly constE: I32Buf; private readonly constS: I32Buf; private readonly constG: I32Buf;
  private readonly work: F64Buf;
  /** Work buffers of the ordinary kernels, used for a part that has no constant coefficient. */
  private readonly workW: F64Buf; private readonly workL: F64Buf;
  /** Largest norm of a gating design row: local [x, x·s] over the kernel support, and global x. */
  private readonly normLocal: number; private readonly normGlobal: number;
  private readonly anyLocalExpert: boolean;
  private readonly anyLocalGating: boolean;
  private readonly anyGlobalExpert: boolean;
  private readonly anyGlobalGating: boolean;
  readonly status: HybridStepStatus = { expert: 0, gating: 0 };

  constructor(readonly state: GridState, readonly masks: HybridMasks) {
    const { core, K, ds } = state.data;
    if (masks.K !== K || masks.q !== ds.q || masks.p !== ds.p) throw new Error("hybrid masks do not match the model dimensions");
    this.constE = core.i32(K * ds.q); this.constE.view().set(masks.constE);
    this.constS = core.i32(K); this.constS.view().set(masks.constS);
    this.constG = core.i32(K * ds.p); this.constG.view().set(masks.constG);
    this.work = core.f64(core.kernels.hybridWorkSize(K, ds.q, ds.p));
    this.workW = core.f64(core.kernels.wlsWorkSize(K, ds.q));
    this.workL = core.f64(core.kernels.logitWorkSize(K, ds.p));
    let xn = 0;
    for (let i = 0; i < ds.n; i++) {
      let s2 = 0;
      for (let k = 0; k < ds.p; k++) s2 += ds.X[i * ds.p + k] ** 2;
      xn = Math.max(xn, s2);
    }
    const smax = state.kernelCode === 0 ? 0 : state.kernelCode === 1 ? 1 : 6; // kernel support in units of h
    this.normLocal = Math.sqrt(xn * (1 + smax * smax));
    this.normGlobal = Math.sqrt(xn);
    const some = (a: number[], v: number) => a.some((x) => x === v);
    this.anyGlobalExpert = some(masks.constE, 1) || some(masks.constS, 1);
    this.anyLocalExpert = some(masks.constE, 0) || some(masks.constS, 0);
    const gatingRows = masks.constG.slice(masks.p);
    this.anyGlobalGating = some(gatingRows, 1);
    this.anyLocalGating = some(gatingRows, 0);
  }

  /** One hybrid M-step: local (a) at every grid point, then global (b). */
  mstep(s: HybridStepSettings): void {
    const st = this.state, d = st.data, { ds, K, core } = d;
    // (a) local steps; a part without constants uses the ordinary (faster) kernel
    if (!this.anyGlobalExpert) {
      core.kernels.mstepGaussian(0, st.m, K, ds.q, st.kernelCode, st.h, d.t, d.y, d.w, d.Z, d.R,
        st.g, st.lo, st.hi, st.alpha, st.alphaS, st.phi, s.sigmaFloor, this.workW, st.statusE);
    } else if (this.anyLocalExpert) {
      core.kernels.mstepExpertHybrid(0, st.m, K, ds.q, st.kernelCode, st.h, d.t, d.y, d.w, d.Z, d.R,
        st.g, st.lo, st.hi, st.alpha, st.alphaS, st.phi, this.constE, this.constS, s.sigmaFloor, this.work, st.statusE);
    } else {
      st.statusE.view().fill(0);
    }
    if (!this.anyGlobalGating) {
      core.kernels.mstepGating(0, st.m, K, ds.p, st.kernelCode, st.h, d.t, d.w, d.X, d.R,
        st.g, st.lo, st.hi, st.gamma, st.gammaS, s.maxNewton, this.normLocal, this.workL, st.statusG);
    } else if (this.anyLocalGating) {
      core.kernels.mstepGatingHybrid(0, st.m, K, ds.p, st.kernelCode, st.h, d.t, d.w, d.X, d.R,
        st.g, st.lo, st.hi, st.gamma, st.gammaS, this.constG, s.maxNewton, this.normLocal, this.work, st.statusG);
    } else {
      st.statusG.view().fill(0);
    }
    // (b) global steps for the constants, varying parts at each row's u
    if (this.anyGlobalExpert) {
      this.status.expert = core.kernels.globalExpertHybrid(ds.n, K, ds.q, st.m, d.y, d.w, d.Z, d.R,
        st.jl, st.jr, st.lam, st.alpha, st.alphaS, st.phi, this.constE, this.constS, s.sigmaFloor, this.work);
    }
    if (this.anyGlobalGating) {
      this.status.gating = core.kernels.globalGatingHybrid(ds.n, K, ds.p, st.m, d.w, d.X, d.R,
        st.jl, st.jr, st.lam, st.gamma, st.gammaS, this.constG, s.maxNewtonGlobal ?? 5, this.normGlobal, this.work);
    }
  }

  /** Warnings from the status flags of the last global steps. */
  warnings(): string[] {
    const out: string[] = [];
    const e = this.status.expert, g = this.status.gating;
    if (e & STATUS_LOW_WEIGHT) out.push("a component had almost no posterior weight in a global expert step: its constant coefficients were carried over");
    if (e & STATUS_SINGULAR) out.push("a global expert step was singular: its constant coefficients were carried over");
    if (e & STATUS_DISPERSION_BOUND) out.push("a constant sigma was held at its floor (a degenerate component)");
    if ((e | g) & STATUS_RIDGE) out.push("a global step needed a ridge (nearly collinear constant terms)");
    if (g & STATUS_SINGULAR) out.push("the global gating step was singular: its constants were carried over");
    if (g & STATUS_NO_ASCENT) out.push("the global gating Newton step found no ascent direction at some iteration");
    return out;
  }
}
