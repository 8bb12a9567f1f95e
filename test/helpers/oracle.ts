// Error bounds for recovery tests, justified by the truth: the sampling variance of
// an oracle local-linear estimator (true labels known, true curves as weights)
// plus its bias, computed directly from the simulated data (the bias as the
// weighted least-squares projection of the true linear predictor's deviation from
// its local-linear approximation — one IRLS step from the truth). A mixture fit
// cannot do better than the oracle, and for well-separated components it should
// not do much worse: standardised errors (estimate − truth)/sqrt(var + bias²) are
// then of order one.
import type { SimulatedData } from "../../src/simulate/simulate.js";
import type { TrueCurves } from "../../src/simulate/scenarios.js";

export type FamilyName = "gaussian" | "binomial" | "poisson" | "negbin";

const epan = (s: number) => (Math.abs(s) < 1 ? 0.75 * (1 - s * s) : 0);
/** Second and fourth moments of the Epanechnikov kernel. */
const MU2 = 0.2, MU4 = 3 / 35;

/** Solves the small symmetric system M x = b (Gaussian elimination with pivoting). */
export function solve(M: number[][], b: number[]): number[] {
  const d = b.length;
  const A = M.map((r, i) => [...r, b[i]]);
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(A[r][c]) > Math.abs(A[p][c])) p = r;
    [A[c], A[p]] = [A[p], A[c]];
    for (let r = c + 1; r < d; r++) {
      const f = A[r][c] / A[c][c];
      for (let k = c; k <= d; k++) A[r][k] -= f * A[c][k];
    }
  }
  const x = new Array(d).fill(0);
  for (let c = d - 1; c >= 0; c--) {
    let s = A[c][d];
    for (let k = c + 1; k < d; k++) s -= A[c][k] * x[k];
    x[c] = s / A[c][c];
  }
  return x;
}

function inverse(M: number[][]): number[][] {
  const d = M.length;
  const cols = Array.from({ length: d }, (_, j) => solve(M, Array.from({ length: d }, (_, i) => (i === j ? 1 : 0))));
  return Array.from({ length: d }, (_, i) => cols.map((c) => c[i]));
}

/** Sandwich A⁻¹ B A⁻¹ (symmetric A, B). */
function sandwich(A: number[][], B: number[][]): number[][] {
  const Ai = inverse(A);
  const d = A.length;
  const T = Ai.map((r) => Array.from({ length: d }, (_, j) => r.reduce((s, v, k) => s + v * B[k][j], 0)));
  return T.map((r) => Array.from({ length: d }, (_, j) => r.reduce((s, v, k) => s + v * Ai[k][j], 0)));
}

/** Fisher weight of the linear predictor for one row of component c. */
function exptWeight(family: FamilyName, eta: number, tr: TrueCurves, c: number, trials: number): number {
  if (family === "gaussian") return 1 / tr.sigma[c] ** 2;
  if (family === "binomial") { const p = 1 / (1 + Math.exp(-eta)); return trials * p * (1 - p); }
  const mu = Math.exp(eta);
  if (family === "poisson") return mu;
  const th = tr.theta![c];
  return (mu * th) / (mu + th);
}

/** Second and fourth derivatives of f at u by central differences. */
const second = (f: (u: number) => number, u: number, e = 1e-3) => (f(u + e) - 2 * f(u) + f(u - e)) / (e * e);
const derivative = (f: (u: number) => number, u: number, e = 1e-5) => (f(u + e) - f(u - e)) / (2 * e);
const fourth = (f: (u: number) => number, u: number, e = 1e-2) => (f(u + 2 * e) - 4 * f(u + e) + 6 * f(u) - 4 * f(u - e) + f(u - 2 * e)) / e ** 4;

/**
 * Squared interior bias terms of a local-linear (or, for a uniform design, locally
 * constant) kernel estimate of the curve f: (h²μ₂f''/2)² + (h⁴μ₄f⁗/24)². The second
 * matters where the variance is tiny (large counts).
 */
function biasTerms(f: (u: number) => number, u: number, h: number): number {
  const b2 = 0.5 * h * h * MU2 * second(f, u), b4 = (h ** 4 * MU4 * fourth(f, u)) / 24;
  return b2 * b2 + b4 * b4;
}

/**
 * Expected information about the negative-binomial size θ in one observation with
 * mean mu: E[Σ_{k<y} 1/(θ+k)²] − μ/(θ(θ+μ)) (the pmf summed by its recursion).
 */
export function thetaInformation(mu: number, th: number): number {
  let p = Math.exp(th * Math.log(th / (th + mu))), cum = p, inner = 0, e = 0;
  for (let y = 0; cum < 1 - 1e-12 && y < 100000; y++) {
    // p = P(Y = y); inner = Σ_{k<y} 1/(θ+k)²
    e += p * inner;
    inner += 1 / (th + y) ** 2;
    p *= ((y + th) / (y + 1)) * (mu / (th + mu));
    cum += p;
  }
  e += p * inner;
  return e - mu / (th * (th + mu));
}

export interface OracleSd {
  /** sqrt(variance + bias²) of the oracle estimate of coefficient k of component c's expert at u0. */
  expert(c: number, k: number, u0: number): number;
  /** The same for the centred gating logits (K = 2 only), coefficient k. */
  gating(k: number, u0: number): number;
  /** The same for the locally constant estimate of the negative-binomial θ_c. */
  theta(c: number, u0: number): number;
}

/**
 * Oracle error scales for a "mix" data set (z1, x1; u on [0, 1]) fitted with the
 * Epanechnikov kernel and bandwidth h.
 */
export function oracle(sim: SimulatedData, family: FamilyName, h: number): OracleSd {
  const { u, z, x } = sim.data;
  const n = u.length;
  const trs = u.map((v) => sim.truth(v));
  let infoTheta: number[] | undefined;
  return {
    expert(c, k, u0) {
      const A = [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]];
      const B = A.map((r) => [...r]);
      const b = [0, 0, 0, 0];
      const a0 = sim.truth(u0).alpha[c];
      const a1 = [0, 1].map((m) => derivative((v) => sim.truth(v).alpha[c][m], u0));
      for (let i = 0; i < n; i++) {
        if (sim.component[i] !== c + 1) continue;
        const s = (u[i] - u0) / h, kw = epan(s);
        if (kw === 0) continue;
        const tr = trs[i], zi = z.z1[i];
        const eta = tr.alpha[c][0] + tr.alpha[c][1] * zi + (sim.data.offset?.[i] ?? 0);
        const W = exptWeight(family, eta, tr, c, sim.data.trials?.[i] ?? 1);
        const d = [1, zi, s, zi * s];
        // the true linear predictor minus its local-linear approximation at u0
        const dev = tr.alpha[c][0] - a0[0] - a1[0] * (u[i] - u0) + zi * (tr.alpha[c][1] - a0[1] - a1[1] * (u[i] - u0));
        for (let p = 0; p < 4; p++) {
          b[p] += kw * W * d[p] * dev;
          for (let q = 0; q < 4; q++) { A[p][q] += kw * W * d[p] * d[q]; B[p][q] += kw * kw * W * d[p] * d[q]; }
        }
      }
      const V = sandwich(A, B)[k][k];
      const bias = solve(A, b)[k];
      return Math.sqrt(V + bias * bias);
    },
    gating(k, u0) {
      const A = [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]];
      const B = A.map((r) => [...r]);
      const b = [0, 0, 0, 0];
      const g0 = sim.truth(u0).gamma[0];
      const g1 = [0, 1].map((m) => derivative((v) => sim.truth(v).gamma[0][m], u0));
      for (let i = 0; i < n; i++) {
        const s = (u[i] - u0) / h, kw = epan(s);
        if (kw === 0) continue;
        const g = trs[i].gamma, xi = x.x1[i];
        const l = 2 * (g[0][0] + g[0][1] * xi);
        const p = 1 / (1 + Math.exp(-l)), W = p * (1 - p);
        const d = [1, xi, s, xi * s];
        const dev = 2 * (g[0][0] - g0[0] - g1[0] * (u[i] - u0) + xi * (g[0][1] - g0[1] - g1[1] * (u[i] - u0)));
        for (let a = 0; a < 4; a++) {
          b[a] += kw * W * d[a] * dev;
          for (let q = 0; q < 4; q++) { A[a][q] += kw * W * d[a] * d[q]; B[a][q] += kw * kw * W * d[a] * d[q]; }
        }
      }
      // centred logit = half the logit of component 1 versus 2
      const V = sandwich(A, B)[k][k] / 4;
      const bias = solve(A, b)[k] / 2;
      return Math.sqrt(V + bias * bias);
    },
    theta(c, u0) {
      infoTheta ??= trs.map((tr, i) => {
        const cc = sim.component[i] - 1;
        const mu = Math.exp(tr.alpha[cc][0] + tr.alpha[cc][1] * z.z1[i] + (sim.data.offset?.[i] ?? 0));
        return thetaInformation(mu, tr.theta![cc]);
      });
      let A = 0, B = 0;
      for (let i = 0; i < n; i++) {
        if (sim.component[i] !== c + 1) continue;
        const kw = epan((u[i] - u0) / h);
        A += kw * infoTheta[i]; B += kw * kw * infoTheta[i];
      }
      // locally constant: the same bias terms (θ' terms cancel in the interior for a uniform design)
      return Math.sqrt(B / (A * A) + biasTerms((v) => sim.truth(v).theta![c], u0, h));
    },
  };
}

/** All permutations of 0..K-1. */
export function permutations(K: number): number[][] {
  if (K === 1) return [[0]];
  return permutations(K - 1).flatMap((p) => Array.from({ length: K }, (_, i) => [...p.slice(0, i), K - 1, ...p.slice(i)]));
}
