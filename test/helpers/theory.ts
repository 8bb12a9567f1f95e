// Asymptotic accuracy of the kernel estimator, computed from the truth alone (no
// Monte Carlo), to bound the integrated squared error (ISE) of fitted curves.
//
// For a local polynomial fit at t (u rescaled to [0, 1], design density f = 1,
// kernel K, bandwidth h) the estimator is, to first order, a kernel smoother with
// the equivalent kernel K*_t of the local fit (Fan & Gijbels 1996, ch. 3; for
// local likelihood, Fan, Heckman & Wand 1995):
//   β̂(t) − β(t) ≈ b(t) + (1/n) Σ_i k_t(u_i) ψ_i,   k_t(w) = K*_t((w − t)/h) / h,
// with the influence ψ_i of observation i having variance V(u_i) = [I(u_i)⁻¹]_ββ,
// I(u) the per-observation Fisher information of the mixture at u, and bias
//   b(t) = h β'(t) m1(t) + ½ h² β''(t) m2(t),  m_k(t) = ∫ s^k K*_t(s) ds
// (m1 = 0 for a local-linear fit; both m's change near the ends of [0, 1], which
// the equivalent kernel handles, so no boundary region needs excluding).
// The ISE over a grid with trapezoid weights W is then ISE ≈ ‖b + Z‖²_W with Z
// Gaussian, Cov(Z_a, Z_b) = (1/n) ∫ k_a(w) k_b(w) V(w) dw. Its variance part
// ‖Z‖²_W is a weighted sum of χ²₁ (Satterthwaite: g·χ²_ν), and
//   ISE ≤ (√B + √Q_p)²,  B = ‖b‖²_W,  Q_p = the p-quantile of ‖Z‖²_W,
// holds with probability ≥ p under the Gaussian approximation (triangle inequality).

/** Epanechnikov kernel on [−1, 1]. */
export const epanechnikov = (s: number): number => (Math.abs(s) < 1 ? 0.75 * (1 - s * s) : 0);

/** Equivalent kernel of a local polynomial fit of degree 0 or 1 at t ∈ [0, 1] (uniform design). */
export function equivalentKernel(t: number, h: number, degree: 0 | 1, K = epanechnikov, nodes = 2001): { kstar: (s: number) => number; m1: number; m2: number; nu: number } {
  const a = Math.max(-1, -t / h), b = Math.min(1, (1 - t) / h);
  const mom = (fn: (s: number) => number): number => {
    const ds = (b - a) / (nodes - 1);
    let tot = 0;
    for (let k = 0; k < nodes; k++) tot += (k === 0 || k === nodes - 1 ? 0.5 : 1) * fn(a + k * ds);
    return tot * ds;
  };
  const mu0 = mom(K), mu1 = mom((s) => s * K(s)), mu2 = mom((s) => s * s * K(s));
  const kstar = degree === 1
    ? (s: number) => (s < a || s > b ? 0 : ((mu2 - mu1 * s) * K(s)) / (mu0 * mu2 - mu1 * mu1))
    : (s: number) => (s < a || s > b ? 0 : K(s) / mu0);
  return { kstar, m1: mom((s) => s * kstar(s)), m2: mom((s) => s * s * kstar(s)), nu: mom((s) => kstar(s) ** 2) };
}

/** Two-component Gaussian mixture of experts at one u: the ws scenario's parameter layout. */
export interface TwoComponentPoint {
  alpha: Array<[number, number]>; // [intercept, slope on z] per component
  sigma: [number, number];
  /** Logit of component 1 versus 2: [intercept, coefficient on x]. */
  eta: [number, number];
}

/** Parameter order of fisherInverse(): α10, α11, α20, α21, σ1, σ2, η0, η1. */
export const PARAM_NAMES = ["alpha0_c1", "alpha1_c1", "alpha0_c2", "alpha1_c2", "sigma_c1", "sigma_c2", "eta0", "eta1"] as const;

/**
 * Inverse of the per-observation Fisher information of the two-component mixture of
 * experts (z, x ~ N(0, 1) independent, y | z, x from the mixture), by trapezoid
 * quadrature over x, z and y (spectrally accurate for these smooth Gaussian integrands).
 */
export function fisherInverse(pt: TwoComponentPoint, step = 0.3, halfWidth = 7.5): number[][] {
  const nodes: number[] = [], wts: number[] = [];
  for (let v = -halfWidth; v <= halfWidth + 1e-12; v += step) { nodes.push(v); wts.push(step * Math.exp(-0.5 * v * v) / Math.sqrt(2 * Math.PI)); }
  const D = 8;
  const I = Array.from({ length: D }, () => new Array<number>(D).fill(0));
  const s = new Array<number>(D);
  const [s1, s2] = pt.sigma;
  for (let ix = 0; ix < nodes.length; ix++) {
    const x = nodes[ix];
    const pi1 = 1 / (1 + Math.exp(-(pt.eta[0] + pt.eta[1] * x)));
    for (let iz = 0; iz < nodes.length; iz++) {
      const z = nodes[iz];
      const m1 = pt.alpha[0][0] + pt.alpha[0][1] * z, m2 = pt.alpha[1][0] + pt.alpha[1][1] * z;
      for (let c = 0; c < 2; c++) {
        const pc = c === 0 ? pi1 : 1 - pi1;
        const mc = c === 0 ? m1 : m2, sc = c === 0 ? s1 : s2;
        for (let iy = 0; iy < nodes.length; iy++) {
          const y = mc + sc * nodes[iy];
          const w = wts[ix] * wts[iz] * pc * wts[iy];
          const e1 = (y - m1) / s1, e2 = (y - m2) / s2;
          const d1 = pi1 * Math.exp(-0.5 * e1 * e1) / s1, d2 = (1 - pi1) * Math.exp(-0.5 * e2 * e2) / s2;
          const r1 = d1 / (d1 + d2), r2 = 1 - r1;
          s[0] = r1 * e1 / s1; s[1] = s[0] * z;
          s[2] = r2 * e2 / s2; s[3] = s[2] * z;
          s[4] = r1 * (e1 * e1 - 1) / s1; s[5] = r2 * (e2 * e2 - 1) / s2;
          s[6] = r1 - pi1; s[7] = s[6] * x;
          for (let a = 0; a < D; a++) { const wa = w * s[a]; for (let b = 0; b <= a; b++) I[a][b] += wa * s[b]; }
        }
      }
    }
  }
  for (let a = 0; a < D; a++) for (let b = a + 1; b < D; b++) I[a][b] = I[b][a];
  return invertSymmetric(I);
}

/** Inverse of a symmetric positive-definite matrix (Gauss–Jordan; small D). */
export function invertSymmetric(A: number[][]): number[][] {
  const D = A.length;
  const M = A.map((row, i) => [...row, ...Array.from({ length: D }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < D; c++) {
    let piv = c;
    for (let r = c + 1; r < D; r++) if (Math.abs(M[r][c]) > Math.abs(M[piv][c])) piv = r;
    [M[c], M[piv]] = [M[piv], M[c]];
    const d = M[c][c];
    if (!(Math.abs(d) > 1e-300)) throw new Error("singular information matrix");
    for (let k = 0; k < 2 * D; k++) M[c][k] /= d;
    for (let r = 0; r < D; r++) {
      if (r === c) continue;
      const f = M[r][c];
      if (f !== 0) for (let k = 0; k < 2 * D; k++) M[r][k] -= f * M[c][k];
    }
  }
  return M.map((row) => row.slice(D));
}

/** Upper p-quantile of χ²_ν by the Wilson–Hilferty cube approximation (ν > 0, non-integer allowed). */
export function chiSquareQuantile(nu: number, zp: number): number {
  const c = 2 / (9 * nu);
  return nu * (1 - c + zp * Math.sqrt(c)) ** 3;
}

export interface IseTheory {
  /** Integrated squared bias B (unit-u scale). */
  bias2: number;
  /** Expected integrated variance E‖Z‖². */
  variance: number;
  /** Satterthwaite degrees of freedom of ‖Z‖². */
  df: number;
  /** p-quantile of ‖Z‖². */
  varianceQuantile: number;
  /** (√B + √Q_p)²: the bound. */
  bound: number;
  /** B + E‖Z‖²: the expected ISE. */
  expected: number;
}

/**
 * Expected ISE and its p-bound for one curve β(t), t ∈ [0, 1], estimated on the grid
 * `grid` (unit scale) by a local fit of `degree`, with influence variance V(t) and
 * (optional) a bias transform for curves estimated through a function of β.
 */
export function iseTheory(opts: {
  grid: number[]; n: number; h: number; degree: 0 | 1;
  beta: (t: number) => number;
  /** Influence variance V(t) of the estimated curve. */
  V: (t: number) => number;
  /** The smoothed quantity g(β) and dβ/dg (e.g. σ² for σ: g = β², dβ/dg = 1/(2β)); default identity. */
  smoothed?: { g: (t: number) => number; dBetaDg: (t: number) => number };
  zp?: number;
}): IseTheory {
  const { grid, n, h, degree, beta, V } = opts;
  const zp = opts.zp ?? 3.090232306167813; // p = 0.999
  const m = grid.length;
  const W = grid.map((_, a) => (a === 0 ? grid[1] - grid[0] : a === m - 1 ? grid[m - 1] - grid[m - 2] : grid[a + 1] - grid[a - 1]) / 2);
  const g = opts.smoothed?.g ?? beta;
  const dBdg = opts.smoothed?.dBetaDg ?? (() => 1);
  const e = 1e-3;
  const ek = grid.map((t) => equivalentKernel(t, h, degree));
  const bias = grid.map((t, a) => {
    const t0 = Math.min(1 - e, Math.max(e, t)); // derivatives from a centred stencil inside [0, 1]
    const d1 = (g(t0 + e) - g(t0 - e)) / (2 * e), d2 = (g(t0 + e) - 2 * g(t0) + g(t0 - e)) / (e * e);
    return dBdg(t) * (h * d1 * ek[a].m1 + 0.5 * h * h * d2 * ek[a].m2);
  });
  // Cov(Z_a, Z_b) = (1/n) ∫ k_a k_b V dw on a fine w grid
  const nw = 1001, dw = 1 / (nw - 1);
  const Vw = Array.from({ length: nw }, (_, k) => V(k * dw));
  const kw = grid.map((t, a) => Array.from({ length: nw }, (_, k) => ek[a].kstar((k * dw - t) / h) / h));
  const C = Array.from({ length: m }, () => new Array<number>(m).fill(0));
  for (let a = 0; a < m; a++) {
    for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let k = 0; k < nw; k++) s += (k === 0 || k === nw - 1 ? 0.5 : 1) * kw[a][k] * kw[b][k] * Vw[k];
      C[a][b] = C[b][a] = (s * dw) / n;
    }
  }
  let mean = 0, var2 = 0, bias2 = 0;
  for (let a = 0; a < m; a++) {
    mean += W[a] * C[a][a];
    bias2 += W[a] * bias[a] ** 2;
    for (let b = 0; b < m; b++) var2 += 2 * W[a] * W[b] * C[a][b] ** 2;
  }
  const scale = var2 / (2 * mean), df = (2 * mean * mean) / var2;
  const q = scale * chiSquareQuantile(df, zp);
  return { bias2, variance: mean, df, varianceQuantile: q, bound: (Math.sqrt(bias2) + Math.sqrt(q)) ** 2, expected: bias2 + mean };
}

/** Trapezoid integral of (a − b)² over the grid. */
export function ise(grid: number[], a: number[], b: number[]): number {
  let s = 0;
  for (let j = 0; j + 1 < grid.length; j++) s += 0.5 * (grid[j + 1] - grid[j]) * ((a[j] - b[j]) ** 2 + (a[j + 1] - b[j + 1]) ** 2);
  return s;
}
