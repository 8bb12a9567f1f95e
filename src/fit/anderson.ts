// Anderson acceleration of an EM-type fixed-point map G (Walker & Ni 2011, SIAM J.
// Numer. Anal.; for EM: Henderson & Varadhan 2019, J. Comput. Graph. Stat.). From the
// last mk residuals f_k = G(x_k) − x_k and images g_k = G(x_k) it proposes
//   x_{k+1} = g_k − ΔG γ,  γ = argmin ‖f_k − ΔF γ‖₂
// (ΔF, ΔG: differences of consecutive residuals and images). With mk = 0 this is the plain
// map. The least-squares problem is solved by modified Gram–Schmidt on the columns of ΔF,
// dropping the oldest column while any is numerically dependent on the ones before it.
// Two safeguards for the maps of mixture EMs, whose objective can be nearly flat in some
// directions (e.g. a negative-binomial θ with little overdispersion): no proposal until
// `minHistory` differences exist (a one-column secant step overshoots there), and no
// proposal further from g_k than `cap`·‖f_k‖. Monotonicity is the caller's: it evaluates
// the objective at the proposal and falls back to g_k (and calls reset()) if it fell.

export class Anderson {
  private dF: Float64Array[] = [];
  private dG: Float64Array[] = [];
  private fPrev: Float64Array | null = null;
  private gPrev: Float64Array | null = null;

  constructor(private readonly depth: number, private readonly minHistory: number, private readonly cap: number) {}

  reset(): void {
    this.dF = []; this.dG = []; this.fPrev = null; this.gPrev = null;
  }

  /** The proposal from the image g = G(x) of the current point x; returns g itself while no history exists. */
  propose(x: Float64Array, g: Float64Array): Float64Array {
    const D = x.length;
    const f = new Float64Array(D);
    for (let k = 0; k < D; k++) f[k] = g[k] - x[k];
    if (this.fPrev && this.gPrev) {
      const df = new Float64Array(D), dg = new Float64Array(D);
      for (let k = 0; k < D; k++) { df[k] = f[k] - this.fPrev[k]; dg[k] = g[k] - this.gPrev[k]; }
      this.dF.push(df); this.dG.push(dg);
      if (this.dF.length > this.depth) { this.dF.shift(); this.dG.shift(); }
    }
    this.fPrev = f; this.gPrev = g;
    if (this.dF.length < this.minHistory) return g;
    const gamma = this.solve(f);
    // solve() may have dropped dependent columns: still no proposal from fewer than minHistory
    if (!gamma || gamma.length < this.minHistory) return g;
    const out = g.slice();
    for (let c = 0; c < gamma.length; c++) {
      const col = this.dG[c], gc = gamma[c];
      for (let k = 0; k < D; k++) out[k] -= gc * col[k];
    }
    for (let k = 0; k < D; k++) if (!Number.isFinite(out[k])) return g;
    let ff = 0, dd = 0;
    for (let k = 0; k < D; k++) { ff += f[k] * f[k]; const e = out[k] - g[k]; dd += e * e; }
    const lim = this.cap * Math.sqrt(ff), len = Math.sqrt(dd);
    if (len > lim) {
      const sc = lim / len;
      for (let k = 0; k < D; k++) out[k] = g[k] + sc * (out[k] - g[k]);
    }
    return out;
  }

  /** γ minimising ‖f − ΔF γ‖ over the newest columns that are numerically independent (null: none). */
  private solve(f: Float64Array): Float64Array | null {
    for (;;) {
      const mk = this.dF.length;
      if (mk === 0) return null;
      const D = f.length;
      // modified Gram–Schmidt: ΔF = Q R
      const Q: Float64Array[] = [];
      const R = new Float64Array(mk * mk);
      let dependent = false;
      for (let c = 0; c < mk; c++) {
        const v = this.dF[c].slice();
        let norm0 = 0;
        for (let k = 0; k < D; k++) norm0 += v[k] * v[k];
        for (let r = 0; r < c; r++) {
          let dot = 0;
          const qr = Q[r];
          for (let k = 0; k < D; k++) dot += qr[k] * v[k];
          R[r * mk + c] = dot;
          for (let k = 0; k < D; k++) v[k] -= dot * qr[k];
        }
        let norm = 0;
        for (let k = 0; k < D; k++) norm += v[k] * v[k];
        if (!(norm > 1e-20 * norm0) || !(norm > 0)) { dependent = true; break; }
        norm = Math.sqrt(norm);
        R[c * mk + c] = norm;
        for (let k = 0; k < D; k++) v[k] /= norm;
        Q.push(v);
      }
      if (dependent) { this.dF.shift(); this.dG.shift(); continue; }
      // γ = R⁻¹ Qᵀ f
      const gamma = new Float64Array(mk);
      for (let r = 0; r < mk; r++) {
        let dot = 0;
        const qr = Q[r];
        for (let k = 0; k < D; k++) dot += qr[k] * f[k];
        gamma[r] = dot;
      }
      for (let r = mk - 1; r >= 0; r--) {
        let s = gamma[r];
        for (let c = r + 1; c < mk; c++) s -= R[r * mk + c] * gamma[c];
        gamma[r] = s / R[r * mk + r];
      }
      return gamma;
    }
  }
}
