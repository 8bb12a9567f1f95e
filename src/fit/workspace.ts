// The fit's state inside the numerical core: the data written once (CoreData, with its
// Rows argument struct), parameters on a grid (GridState, with its Grid struct), and
// thin methods that call the kernels. Orchestration (EM loops, starts, alignment)
// lives in the other src/fit modules.
import type { Core, F64Buf, I32Buf, Struct } from "../core/backend.js";
import type { Dataset } from "../data/dataset.js";
import { KERNELS, kernelCode } from "../model/kernel.js";
import type { LocalGrid } from "../model/grid.js";
import { auxColumns } from "../core/aux.js";
import { seededState } from "../core/seed.js";
import type { FamilyDriver } from "../model/families/index.js";

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

/** Which parts a (local) M-step updates; the others keep their values. */
export interface MStepParts {
  /** The expert coefficients (value and slope on s). */
  experts: boolean;
  /** The dispersion: Gaussian σ, negative-binomial θ (needs experts). */
  dispersion: boolean;
  /** The gating coefficients. */
  gating: boolean;
}

export const ALL_PARTS: Readonly<MStepParts> = { experts: true, dispersion: true, gating: true };

export interface MStepSettings {
  sigmaFloor: number;
  /** Newton steps of the GLM experts and of the gating. */
  maxNewton: number;
  /** GLM experts: start from the data (after hard labels) instead of the current coefficients. */
  fresh?: boolean;
  /** Default: every part. */
  parts?: MStepParts;
}

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
  /** One dispersion per component (negative-binomial θ): a global step after the local M-steps. */
  readonly constantDispersion: boolean;
  /** The rows as the kernels' argument struct (assembly/abi.ts Rows). */
  readonly rows: Struct<"Rows">;
  /** Largest squared norm of a row of the gating and of the expert design (safe Newton steps). */
  readonly xNorm2: number; readonly zNorm2: number;
  /** Scratch for random draws, allocated once: allocating mid-fit could grow wasm memory and detach views. */
  private readonly draws: F64Buf;
  constructor(readonly core: Core, readonly ds: Dataset, readonly K: number, readonly family: FamilyDriver, options: { constantDispersion?: boolean } = {}) {
    this.constantDispersion = options.constantDispersion ?? false;
    this.t = core.f64From(ds.t);
    this.y = core.f64From(ds.y);
    this.w = core.f64From(ds.w);
    this.Z = core.f64From(ds.Z);
    this.X = core.f64From(ds.X);
    this.R = core.f64(ds.n * K);
    this.rowLL = core.f64(ds.n);
    this.rng = core.i32(4);
    this.aux = core.f64From(auxColumns(ds.n, ds.offset, ds.trials));
    this.scratch = family.expertStep === "irls" ? core.f64(3 * ds.n) : null;
    this.draws = core.f64(ds.n);
    this.rows = core.struct("Rows", {
      n: ds.n, K, q: ds.q, p: ds.p, family: family.code, t: this.t, y: this.y, w: this.w, Z: this.Z, X: this.X,
      aux: this.aux, R: this.R, rowLL: this.rowLL, scratch: this.scratch,
    });
    core.kernels.familyRowConstants(this.rows);
    this.xNorm2 = maxSquaredRowNorm(ds.X, ds.n, ds.p);
    this.zNorm2 = maxSquaredRowNorm(ds.Z, ds.n, ds.q);
  }

  /** After new responses were written into y (a simulated replicate): their log-density constants. */
  responsesChanged(): void {
    this.core.kernels.familyRowConstants(this.rows);
  }

  seed(seed: number): void {
    seededState(this.core, seed, this.rng);
  }

  /** n <= ds.n uniforms on [0, 1) from the fit's stream (a copy). */
  uniforms(n: number): Float64Array {
    this.core.kernels.fillUniform(this.rng, this.draws, n);
    return this.draws.view().slice(0, n);
  }
}

/** Largest squared Euclidean norm of a row of the n×d matrix M. */
function maxSquaredRowNorm(M: Float64Array, n: number, d: number): number {
  let mx = 0;
  for (let i = 0; i < n; i++) {
    let s2 = 0;
    for (let k = 0; k < d; k++) s2 += M[i * d + k] ** 2;
    mx = Math.max(mx, s2);
  }
  return mx;
}

/** Parameters and geometry on a grid (m = 1 with a whole-data window for global fits). */
export class GridState {
  readonly m: number;
  /** Kernel code of the core and bandwidth of the local grid. */
  readonly kernelCode: number;
  readonly h: number;
  readonly g: F64Buf; readonly lo: I32Buf; readonly hi: I32Buf;
  readonly jl: I32Buf; readonly jr: I32Buf; readonly lam: F64Buf;
  readonly alpha: F64Buf; readonly alphaS: F64Buf; readonly phi: F64Buf;
  readonly gamma: F64Buf; readonly gammaS: F64Buf;
  readonly statusE: I32Buf; readonly statusG: I32Buf;
  /** The grid as the kernels' argument struct (assembly/abi.ts Grid). */
  readonly grid: Struct<"Grid">;
  private readonly workW: F64Buf; private readonly workL: F64Buf; private readonly workG: F64Buf | null;

  constructor(readonly data: CoreData, readonly local: LocalGrid) {
    const { core, K, ds } = data;
    const { q, p } = ds;
    const geo = local.geometry, h = local.h;
    const m = (this.m = local.grid.length);
    this.kernelCode = kernelCode(local.kernel);
    this.h = h;
    this.g = core.f64From(local.grid);
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
    // largest norm of a local design row [x, x·s] ([z, z·s]) over the kernel's support
    const smax = local.kernel === null ? 0 : KERNELS[local.kernel].support;
    const xNorm = Math.sqrt(data.xNorm2 * (1 + smax * smax)), zNorm = Math.sqrt(data.zNorm2 * (1 + smax * smax));
    this.workW = core.f64(core.kernels.wlsWorkSize(K, q));
    this.workL = core.f64(core.kernels.logitWorkSize(K, p));
    this.workG = data.family.expertStep === "irls" ? core.f64(core.kernels.glmWorkSize(K, q)) : null;
    this.grid = core.struct("Grid", {
      h, xNorm, zNorm, m, kernel: this.kernelCode,
      g: this.g, lo: this.lo, hi: this.hi, jl: this.jl, jr: this.jr, lam: this.lam,
      alpha: this.alpha, alphaS: this.alphaS, phi: this.phi, gamma: this.gamma, gammaS: this.gammaS,
      statusE: this.statusE, statusG: this.statusG,
    });
  }

  /** Label-consistent E-step (curves interpolated at each row's u); returns the log-likelihood. */
  estep(): number {
    return this.data.core.kernels.estepInterp(this.data.rows, this.grid);
  }

  /**
   * Smoothed label-consistent E-step (assembly/estep.ts estepSmoothed): posteriors from the
   * kernel-weighted average of the local fits' log densities; returns the smoothed
   * log-likelihood ℓ_S that the label-consistent EM increases at every iteration.
   */
  estepSmoothed(): number {
    return this.data.core.kernels.estepSmoothed(this.data.rows, this.grid);
  }

  /**
   * The E-step of the EM on this state, returning its objective: the interpolated E-step
   * and log-likelihood for a global fit (no kernel), the smoothed E-step and ℓ_S for a
   * varying-coefficient grid. Fits report the ordinary log-likelihood (estep()) at the end.
   */
  estepEM(): number {
    return this.local.kernel === null ? this.estep() : this.estepSmoothed();
  }

  /** Local E-step at grid point j (rows of its window only); returns the local log-likelihood when needLL (else 0). */
  estepLocal(j: number, needLL = true): number {
    return this.data.core.kernels.estepLocal(this.data.rows, this.grid, j, needLL);
  }

  /**
   * M-step at grid points j0..j1-1 with the current posteriors: of the parts `s.parts`
   * names (default all), the expert coefficients, the dispersion (σ, θ; re-estimated
   * with the coefficients, so it needs them) and the gating; the others keep their
   * values. GLM experts and the gating take s.maxNewton Newton steps; `s.fresh` starts
   * the GLM experts from the data instead of the current coefficients (after hard labels).
   */
  mstep(j0: number, j1: number, s: MStepSettings): void {
    const parts = s.parts ?? ALL_PARTS;
    if (parts.dispersion && !parts.experts) throw new Error("GridState.mstep: the dispersion is re-estimated with the expert coefficients");
    const d = this.data, k = d.core.kernels;
    if (parts.experts) {
      if (d.family.expertStep === "wls") {
        k.mstepGaussian(d.rows, this.grid, j0, j1, s.sigmaFloor, parts.dispersion ? 1 : 0, this.workW);
      } else {
        // one θ per component: a global step after the local ones (not for a global fit, whose one window is global)
        const globalTheta = d.constantDispersion && this.kernelCode !== 0;
        k.mstepGlm(d.rows, this.grid, j0, j1, s.maxNewton, s.fresh ? 1 : 0, parts.dispersion && !globalTheta ? 1 : 0, this.workG!);
        if (parts.dispersion && globalTheta && j0 === 0 && j1 === this.m) k.mstepThetaGlobal(d.rows, this.grid, s.maxNewton, this.workG!);
      }
    }
    if (parts.gating) k.mstepGating(d.rows, this.grid, j0, j1, s.maxNewton, this.workL);
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
