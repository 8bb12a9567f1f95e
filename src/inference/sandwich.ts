// Sandwich standard errors of every curve at every grid point, computed by the
// core's localSandwich kernel (assembly/infer.ts documents the mathematics; a
// constant negative-binomial θ is held fixed there, fixedPhi),
// and the cross-grid covariance of one curve from the stored influence values.
import type { F64Buf, I32Buf, Struct } from "../core/backend.js";
import type { GridState } from "../fit/workspace.js";


export interface SandwichResult {
  /** Values β̂_e(u_j) at est[j*E + e]. */
  est: Float64Array;
  /** Standard errors at se[j*E + e]. */
  se: Float64Array;
  /** INFER_* flags per grid point (assembly/status.ts). */
  status: Int32Array;
}

/** Buffers of the sandwich computation for one grid state (allocated once, reused per call). */
export class Sandwich {
  readonly E: number;
  readonly m: number;
  private readonly work: F64Buf;
  private readonly est: F64Buf;
  private readonly se: F64Buf;
  private readonly status: I32Buf;
  private readonly psiOff: I32Buf;
  private readonly psi: F64Buf;
  /** The outputs as the kernels' argument struct. */
  private readonly out: Struct<"Sandwich">;
  private readonly totalRows: number;
  private cov: F64Buf | undefined;

  constructor(private readonly state: GridState, readonly storePsi: boolean) {
    const { core, K, ds } = state.data;
    this.m = state.m;
    this.E = core.kernels.inferCoefCount(K, ds.q, ds.p);
    const lo = state.lo.view(), hi = state.hi.view();
    let maxRows = 0, total = 0;
    const off = new Int32Array(this.m);
    for (let j = 0; j < this.m; j++) {
      off[j] = total;
      total += hi[j] - lo[j];
      maxRows = Math.max(maxRows, hi[j] - lo[j]);
    }
    this.totalRows = total;
    this.work = core.f64(core.kernels.inferWorkSize(K, ds.q, ds.p, maxRows));
    this.est = core.f64(this.m * this.E);
    this.se = core.f64(this.m * this.E);
    this.status = core.i32(this.m);
    this.psiOff = core.i32(this.m);
    this.psiOff.view().set(off);
    this.psi = core.f64(storePsi ? total * this.E : 1);
    this.out = core.struct("Sandwich", { storePsi: storePsi ? 1 : 0, fixedPhi: state.data.constantDispersion ? 1 : 0, psiOff: this.psiOff, psi: this.psi, est: this.est, se: this.se, status: this.status });
  }

  /** Computes values and standard errors at every grid point from the state's current parameters. */
  compute(): SandwichResult {
    const st = this.state;
    st.data.core.kernels.localSandwich(st.data.rows, st.grid, 0, this.m, this.out, this.work);
    return { est: this.est.view().slice(), se: this.se.view().slice(), status: this.status.view().slice() };
  }

  /** m×m covariance across grid points of curve e (after compute() with storePsi). */
  covariance(e: number): Float64Array {
    if (!this.storePsi) throw new Error("Sandwich.covariance needs storePsi");
    const st = this.state, d = st.data, core = d.core;
    const C = (this.cov ??= core.f64(this.m * this.m));
    core.kernels.influenceCov(d.rows, st.grid, this.out, e, C);
    return C.view().slice();
  }

  /** Number of (grid point, row) pairs whose influence values are stored. */
  get influenceRows(): number { return this.totalRows; }
}
