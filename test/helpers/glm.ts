// Independent reference computations for the GLM families, written here with the
// engine's Math functions and different algorithms from the core's: log-factorials
// and rising factorials by summation (counts are integers), Newton with step-halving on the full design for β, golden-section search
// for the negative-binomial θ, and the mixture log-likelihood by direct summation.
export type GlmFamily = "binomial" | "poisson" | "negbin";

/** log k! by direct summation of logs (cached; counts in the tests are modest). */
const lfactTable: number[] = [0];
export function logFactorial(k: number): number {
  while (lfactTable.length <= k) lfactTable.push(lfactTable[lfactTable.length - 1] + Math.log(lfactTable.length));
  return lfactTable[k];
}

/** log Γ(θ + y) − log Γ(θ) = Σ_{k<y} log(θ + k) for an integer count y. */
export function logRising(theta: number, y: number): number {
  let s = 0;
  for (let k = 0; k < y; k++) s += Math.log(theta + k);
  return s;
}

/** log f(y | η) for one row (η includes the offset). */
export function logDensityRef(family: GlmFamily, y: number, eta: number, theta = 1, m = 1): number {
  if (family === "poisson") return y * eta - Math.exp(eta) - logFactorial(y);
  if (family === "binomial") {
    const lp = -Math.log1p(Math.exp(-eta)), lq = -Math.log1p(Math.exp(eta)); // log π, log(1 − π)
    return logFactorial(m) - logFactorial(y) - logFactorial(m - y) + y * lp + (m - y) * lq;
  }
  const mu = Math.exp(eta);
  return logRising(theta, y) - logFactorial(y) + theta * Math.log(theta / (theta + mu)) + y * Math.log(mu / (theta + mu));
}

export interface GlmRows {
  y: ArrayLike<number>;
  /** Design rows (intercept first). */
  X: number[][];
  w: ArrayLike<number>;
  offset?: ArrayLike<number>;
  trials?: ArrayLike<number>;
}

function solve(M: number[][], b: number[]): number[] {
  const d = b.length, A = M.map((r, i) => [...r, b[i]]);
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(A[r][c]) > Math.abs(A[p][c])) p = r;
    [A[c], A[p]] = [A[p], A[c]];
    for (let r = c + 1; r < d; r++) { const f = A[r][c] / A[c][c]; for (let k = c; k <= d; k++) A[r][k] -= f * A[c][k]; }
  }
  const x = new Array(d).fill(0);
  for (let c = d - 1; c >= 0; c--) { let s = A[c][d]; for (let k = c + 1; k < d; k++) s -= A[c][k] * x[k]; x[c] = s / A[c][c]; }
  return x;
}

/** Weighted log-likelihood Σ w_i log f(y_i | x_iᵀβ + off_i). */
export function glmLogLik(family: GlmFamily, rows: GlmRows, beta: number[], theta = 1): number {
  let s = 0;
  for (let i = 0; i < rows.y.length; i++) {
    if (rows.w[i] === 0) continue;
    const eta = rows.X[i].reduce((a, v, k) => a + v * beta[k], rows.offset?.[i] ?? 0);
    s += rows.w[i] * logDensityRef(family, rows.y[i], eta, theta, rows.trials?.[i] ?? 1);
  }
  return s;
}

/** Weighted GLM by Newton's method with step-halving (θ fixed for the negative binomial). */
export function fitGlmRef(family: GlmFamily, rows: GlmRows, theta = 1, start?: number[]): number[] {
  const d = rows.X[0].length;
  let beta = start ? [...start] : new Array(d).fill(0);
  let ll = glmLogLik(family, rows, beta, theta);
  for (let it = 0; it < 200; it++) {
    const g = new Array(d).fill(0), H = Array.from({ length: d }, () => new Array(d).fill(0));
    for (let i = 0; i < rows.y.length; i++) {
      const w = rows.w[i];
      if (w === 0) continue;
      const x = rows.X[i], y = rows.y[i];
      const eta = x.reduce((a, v, k) => a + v * beta[k], rows.offset?.[i] ?? 0);
      let score: number, info: number;
      if (family === "poisson") { const mu = Math.exp(eta); score = y - mu; info = mu; }
      else if (family === "binomial") { const m = rows.trials?.[i] ?? 1, p = 1 / (1 + Math.exp(-eta)); score = y - m * p; info = m * p * (1 - p); }
      else { const mu = Math.exp(eta); score = (y - mu) * theta / (theta + mu); info = (y + theta) * mu * theta / (theta + mu) ** 2; }
      for (let a = 0; a < d; a++) { g[a] += w * score * x[a]; for (let b = 0; b < d; b++) H[a][b] += w * info * x[a] * x[b]; }
    }
    const step = solve(H, g);
    const dec = step.reduce((a, v, k) => a + v * g[k], 0);
    if (dec < 1e-15 * (Math.abs(ll) + 1)) break; // the predicted gain is at roundoff level
    let tau = 1, next = beta, llNext = -Infinity;
    for (let h = 0; h < 50; h++) {
      next = beta.map((b, k) => b + tau * step[k]);
      llNext = glmLogLik(family, rows, next, theta);
      if (llNext >= ll) break;
      tau /= 2;
    }
    if (!(llNext >= ll)) break;
    const gain = llNext - ll;
    beta = next; ll = llNext;
    if (gain === 0) break;
  }
  return beta;
}

/** Negative-binomial GLM with θ estimated: golden-section search of the profile likelihood in log θ. */
export function fitNegbinRef(rows: GlmRows): { beta: number[]; theta: number } {
  let start: number[] | undefined;
  const profile = (lt: number) => {
    const beta = fitGlmRef("negbin", rows, Math.exp(lt), start);
    start = beta;
    return glmLogLik("negbin", rows, beta, Math.exp(lt));
  };
  let a = Math.log(1e-2), b = Math.log(1e5);
  const r = (Math.sqrt(5) - 1) / 2;
  let c = b - r * (b - a), d = a + r * (b - a), fc = profile(c), fd = profile(d);
  while (b - a > 1e-9) {
    if (fc > fd) { b = d; d = c; fd = fc; c = b - r * (b - a); fc = profile(c); }
    else { a = c; c = d; fc = fd; d = a + r * (b - a); fd = profile(d); }
  }
  const theta = Math.exp((a + b) / 2);
  return { beta: fitGlmRef("negbin", rows, theta, start), theta };
}

/** Small deterministic generator for test data (mulberry32) with the samplers the tests need. */
export function testRng(seed: number) {
  let s = seed >>> 0;
  const unif = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(unif())) * Math.cos(2 * Math.PI * unif());
  const poisson = (mu: number) => {
    // plain inversion: e^−μ must not underflow
    if (!(mu <= 700)) throw new Error("testRng.poisson: mean too large for inversion");
    let k = 0, p = Math.exp(-mu), F = p;
    const u = unif();
    while (u > F && k < 10000) { k++; p *= mu / k; F += p; }
    return k;
  };
  const binomial = (m: number, p: number) => { let k = 0; for (let j = 0; j < m; j++) if (unif() < p) k++; return k; };
  /** Negative binomial with integer size th: Poisson with a gamma(th) mean (sum of exponentials). */
  const negbin = (mu: number, th: number) => {
    let g = 0;
    for (let j = 0; j < th; j++) g -= Math.log(unif());
    return poisson((g * mu) / th);
  };
  return { unif, normal, poisson, binomial, negbin };
}
