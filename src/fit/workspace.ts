// The fit's state inside the numerical core: data written once, parameters on a
// grid, and thin methods that call the kernels. Orchestration (EM loops, starts,
// alignment) lives in the other src/fit modules.
import type { Core, F64Buf, I32Buf } from "../core/backend.js";
import type { Dataset } from "../data/dataset.js";
import type { Geometry } from "../model/spec.js";
import { auxColumns } from "../model/families.js";

/** Parameters on a grid of m points (JS copies). Layouts: alpha[(j*K+c)*q+k], phi[j*K+c], gamma[(j*K+c)*p+k]. */
export interface GridParams {
  m: number;
  alpha: Float64Array;
  /** Coefficient on s = (u - g)/h of the local-linear expert (0 in global fits). */
  alphaS: Float64Array;
  /** Dispersion: sigma for the Gaussian family, θ for the negative binomial, 1 (unused) otherwise. */
  phi: Float64Array;
  /** Gating coefficients, baseline component 0 identically 0. */
  gamma: Float64Array;
  gammaS: Float64Array;
}

/** Which parts a local M-step updates besides the expert regression coefficients (held parts keep their values). */
export interface MStepParts { dispersion: boolean; gating: boolean }
const ALL_PARTS: MStepParts = { dispersion: true, gating: true };

/** Data of one fit in core memory, shared by every grid state of that fit. */
export class CoreData {
  readonly t: F64Buf; readonly y: F64Buf; readonly w: F64Buf; readonly Z: F64Buf; readonly X: F64Buf;
  /** Posterior matrix n×K and per-row log-likelihood. */
  readonly R: F64Buf; readonly rowLL: F64Buf;
  readonly rng: I32Buf;
  /** Per-row [offset, trials, log-density constant] (n×3, see assembly/family.ts). */
  readonly aux: F64Buf;
  /** GLM families: scratch of the IRLS / θ steps (3n). */
  readonly scratch: F64Buf | null;
  /** Negative binomial with one θ per component (global θ step after the local M-steps). */
  readonly constantTheta: boolean;
  /** Scratch for random draws, allocated once: allocating mid-fit could grow wasm memory and detach views. */
  private readonly draws: F64Buf;
  constructor(readonly core: Core, readonly ds: Dataset, readonly K: number, readonly family: number, options: { constantTheta?: boolean } = {}) {
    this.constantTheta = options.constantTheta ?? false;
    this.t = core.f64From(ds.t);
    this.y = core.f64From(ds.y);
    this.w = core.f64From(ds.w);
    this.Z = core.f64From(ds.Z);
    this.X = core.f64From(ds.X);
    this.R = core.f64(ds.n * K);
    this.rowLL = core.f64(ds.n);
    this.rng = core.i32(4);
    this.aux = core.f64From(auxColumns(ds));
    core.call("familyRowConstants", family, ds.n, this.y, this.aux);
    this.scratch = family === 0 ? null : core.f64(3 * ds.n);
    this.draws = core.f64(ds.n);
  }

  seed(seed: number): void {
    const lo = seed % 4294967296 | 0;
    const hi = Math.floor(seed / 4294967296) | 0;
    this.core.call("rngSeed", this.rng, lo, hi);
  }

  /** n <= ds.n uniforms on [0, 1) from the fit's stream (a copy). */
  uniforms(n: number): Float64Array {
    this.core.call("fillUniform", this.rng, this.draws, n);
    return this.draws.view().slice(0, n);
  }
}

/** Parameters and geometry on a grid (m = 1 with a whole-data window for global fits). */
export class GridState {
  readonly m: number;
  readonly g: F64Buf; readonly lo: I32Buf; readonly hi: I32Buf;
  readonly jl: I32Buf; readonly jr: I32Buf; readonly lam: F64Buf;
  readonly alpha: F64Buf; readonly alphaS: F64Buf; readonly phi: F64Buf;
  readonly gamma: F64Buf; readonly gammaS: F64Buf;
  readonly statusE: I32Buf; readonly statusG: I32Buf;
  private readonly workW: F64Buf; private readonly workL: F64Buf; private readonly workG: F64Buf | null;
  /** Largest Euclidean norm of a local gating design row [x, x·s] over the kernel's support. */
  private readonly designNormMax: number;
  /** The same for the expert design [z, z·s] (GLM families' safe Newton steps). */
  private readonly zNormMax: number;

  constructor(readonly data: CoreData, grid: Float64Array, geo: Geometry, readonly kernelCode: number, readonly h: number) {
    const { core, K, ds } = data;
    const { q, p } = ds;
    const m = (this.m = grid.length);
    this.g = core.f64From(grid);
    this.lo = core.i32(m); this.lo.view().set(geo.lo);
    this.hi = core.i32(m); this.hi.view().set(geo.hi);
    this.jl = core.i32(ds.n); this.jl.view().set(geo.jl);
    this.jr = core.i32(ds.n); this.jr.view().set(geo.jr);
    this.lam = core.f64From(geo.lam);
    this.alpha = core.f64(m * K * q);
    this.alphaS = core.f64(m * K * q);
    this.phi = core.f64(m * K);
    this.gamma = core.f64(m * K * p);
    this.gammaS = core.f64(m * K * p);
    this.statusE = core.i32(m * K);
    this.statusG = core.i32(m);
    let xn = 0;
    for (let i = 0; i < ds.n; i++) {
      let s2 = 0;
      for (let k = 0; k < p; k++) s2 += ds.X[i * p + k] ** 2;
      xn = Math.max(xn, s2);
    }
    const smax = kernelCode === 0 ? 0 : kernelCode === 1 ? 1 : 6;
    this.designNormMax = Math.sqrt(xn * (1 + smax * smax));
    let zn = 0;
    for (let i = 0; i < ds.n; i++) {
      let s2 = 0;
      for (let k = 0; k < q; k++) s2 += ds.Z[i * q + k] ** 2;
      zn = Math.max(zn, s2);
    }
    this.zNormMax = Math.sqrt(zn * (1 + smax * smax));
    this.workW = core.f64(core.call("wlsWorkSize", K, q));
    this.workL = core.f64(core.call("logitWorkSize", K, p));
    this.workG = data.family === 0 ? null : core.f64(core.call("glmWorkSize", K, q));
  }

  /** Label-consistent E-step (curves interpolated at each row's u); returns the log-likelihood. */
  estep(): number {
    const d = this.data, { ds, K } = d;
    return d.core.call("estepInterp", ds.n, K, ds.q, ds.p, d.family, d.y, d.w, d.Z, d.X, d.aux,
      this.jl, this.jr, this.lam, this.alpha, this.phi, this.gamma, d.R, d.rowLL);
  }

  /**
   * Smoothed label-consistent E-step (assembly/estep.ts estepSmoothed): posteriors from the
   * kernel-weighted average of the local fits' log densities; returns the smoothed
   * log-likelihood ℓ_S that the label-consistent EM increases at every iteration.
   */
  estepSmoothed(): number {
    const d = this.data, { ds, K } = d;
    return d.core.call("estepSmoothed", ds.n, this.m, K, ds.q, ds.p, d.family, this.kernelCode, this.h, d.t, d.y, d.w, d.Z, d.X, d.aux,
      this.g, this.lo, this.hi, this.jl, this.jr, this.lam, this.alpha, this.alphaS, this.phi, this.gamma, this.gammaS, d.R);
  }

  /**
   * The E-step of the EM on this state, returning its objective: the interpolated E-step
   * and log-likelihood for a global fit (no kernel), the smoothed E-step and ℓ_S for a
   * varying-coefficient grid. fit() reports the ordinary log-likelihood (estep()) at the end.
   */
  estepEM(): number {
    return this.kernelCode === 0 ? this.estep() : this.estepSmoothed();
  }

  /** Local E-step at grid point j (rows of its window only); returns the local log-likelihood when needLL (else 0). */
  estepLocal(j: number, needLL = true): number {
    const d = this.data, { ds, K } = d;
    return d.core.call("estepLocal", j, K, ds.q, ds.p, d.family, this.kernelCode, this.h, d.t, d.y, d.w, d.Z, d.X, d.aux,
      this.g, this.lo, this.hi, this.alpha, this.alphaS, this.phi, this.gamma, this.gammaS, d.R, needLL ? 1 : 0);
  }

  /**
   * M-steps of the experts and the gating at grid points j0..j1-1 with the current posteriors.
   * GLM experts take maxNewton Newton (IRLS) steps; `fresh` starts them from the data instead
   * of the current coefficients (after hard labels).
   */
  mstep(j0: number, j1: number, sigmaFloor: number, maxNewton: number, fresh = false, parts: MStepParts = ALL_PARTS): void {
    const d = this.data, { ds, K, core } = d;
    if (d.family === 0) {
      // σ comes out of the same weighted least-squares pass; held parts are restored after it
      const held = parts.dispersion ? null : this.phi.view().slice(j0 * K, j1 * K);
      core.call("mstepGaussian", j0, j1, K, ds.q, this.kernelCode, this.h, d.t, d.y, d.w, d.Z, d.R,
        this.g, this.lo, this.hi, this.alpha, this.alphaS, this.phi, sigmaFloor, this.workW, this.statusE);
      if (held) this.phi.view().set(held, j0 * K);
    } else {
      const globalTheta = d.family === 3 && d.constantTheta && this.kernelCode !== 0;
      const localTheta = !globalTheta && parts.dispersion;
      core.call("mstepGlm", j0, j1, ds.n, K, ds.q, d.family, this.kernelCode, this.h, d.t, d.y, d.w, d.Z, d.aux, d.R,
        this.g, this.lo, this.hi, this.alpha, this.alphaS, this.phi, maxNewton, fresh ? 1 : 0, localTheta ? 1 : 0, this.zNormMax,
        this.workG!, d.scratch!, this.statusE);
      if (globalTheta && parts.dispersion && j0 === 0 && j1 === this.m) {
        core.call("mstepThetaGlobal", ds.n, K, ds.q, this.m, d.y, d.w, d.Z, d.aux, d.R, this.jl, this.jr, this.lam,
          this.alpha, this.phi, maxNewton, this.workG!, d.scratch!, this.statusE);
      }
    }
    if (!parts.gating) return;
    core.call("mstepGating", j0, j1, K, ds.p, this.kernelCode, this.h, d.t, d.w, d.X, d.R,
      this.g, this.lo, this.hi, this.gamma, this.gammaS, maxNewton, this.designNormMax, this.workL, this.statusG);
  }

  read(): GridParams {
    return {
      m: this.m,
      alpha: this.alpha.view().slice(), alphaS: this.alphaS.view().slice(), phi: this.phi.view().slice(),
      gamma: this.gamma.view().slice(), gammaS: this.gammaS.view().slice(),
    };
  }

  write(P: GridParams): void {
    this.alpha.view().set(P.alpha); this.alphaS.view().set(P.alphaS); this.phi.view().set(P.phi);
    this.gamma.view().set(P.gamma); this.gammaS.view().set(P.gammaS);
  }

  /** Sets every grid point to the same constant-fit parameters (slopes 0). */
  writeConstant(P: GridParams): void {
    const { K, ds } = this.data;
    const rep = (src: Float64Array, width: number, dst: F64Buf) => {
      const v = dst.view();
      for (let j = 0; j < this.m; j++) v.set(src.subarray(0, K * width), j * K * width);
    };
    rep(P.alpha, ds.q, this.alpha); rep(P.phi, 1, this.phi); rep(P.gamma, ds.p, this.gamma);
    this.alphaS.view().fill(0); this.gammaS.view().fill(0);
  }

  posteriors(): Float64Array { return this.data.R.view().slice(); }

  /** Views of grid point j's parameters in slice order: alpha, alphaS, phi, gamma, gammaS. */
  private sliceViews(j: number): Float64Array[] {
    const { K, ds } = this.data;
    return [
      this.alpha.view().subarray(j * K * ds.q, (j + 1) * K * ds.q), this.alphaS.view().subarray(j * K * ds.q, (j + 1) * K * ds.q),
      this.phi.view().subarray(j * K, (j + 1) * K),
      this.gamma.view().subarray(j * K * ds.p, (j + 1) * K * ds.p), this.gammaS.view().subarray(j * K * ds.p, (j + 1) * K * ds.p),
    ];
  }

  /** Parameters of grid point j, concatenated (alpha, alphaS, phi, gamma, gammaS). */
  slice(j: number): Float64Array {
    const parts = this.sliceViews(j);
    const out = new Float64Array(parts.reduce((s, a) => s + a.length, 0));
    let o = 0;
    for (const a of parts) { out.set(a, o); o += a.length; }
    return out;
  }

  writeSlice(j: number, v: Float64Array): void {
    let o = 0;
    for (const a of this.sliceViews(j)) { a.set(v.subarray(o, o + a.length)); o += a.length; }
  }

  /** Offset and length of phi inside slice(j). */
  slicePhiRange(): [number, number] {
    const { K, ds } = this.data;
    return [2 * K * ds.q, K];
  }
}

/** Geometry of a global (constant-coefficient) fit: one "grid point" whose window is every row. */
export function globalGeometry(n: number): Geometry {
  return { m: 1, lo: Int32Array.of(0), hi: Int32Array.of(n), jl: new Int32Array(n), jr: new Int32Array(n), lam: new Float64Array(n) };
}
