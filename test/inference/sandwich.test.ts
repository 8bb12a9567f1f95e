// The analytic sandwich of the core (assembly/infer.ts) against an independent
// plain-JS computation: the local observed-data log-likelihood written out from
// its definition, its Hessian and per-row scores by central finite differences,
// then L H⁻¹ S H⁻¹ Lᵀ. Agreement to ~1e-5 relative checks the scores, the
// Hessian (including the between-component term and the gating block), the
// centred-gating mapping and the weights, for every family (offsets and trials
// included; the negative-binomial dispersion in log θ, reported as θ).
import { describe, expect, test } from "vitest";
import { fit, simulate, standardErrors, type VCMoEFit } from "../../src/index.js";
import type { VCMoEData } from "../../src/data/dataset.js";
import { mulberry32 } from "../helpers/random.js";
import { logDensityRef } from "../helpers/glm.js";
import type { FamilyName } from "../../src/model/families/index.js";

type Rows = { t: number[]; y: number[]; z: number[][]; x: number[][]; w: number[]; offset: number[]; trials: number[] };

/** The family's local dispersion parameter: σ (Gaussian), log θ (negative binomial), none. */
const dispersionParam = (family: FamilyName) => (family === "gaussian" ? "sigma" : family === "negbin" ? "logTheta" : null);

function kernel(name: string, s: number): number {
  if (name === "epanechnikov") return Math.abs(s) < 1 ? 0.75 * (1 - s * s) : 0;
  return Math.abs(s) <= 6 ? Math.exp(-0.5 * s * s) / Math.sqrt(2 * Math.PI) : 0;
}

/** θ layout: per component [α (q), α_S (q), σ or log θ (if any)]; then components 1..K−1: [γ (p), γ_S (p)]. */
function thetaAt(res: VCMoEFit, j: number, q: number, p: number): number[] {
  const P = res.parameters, K = res.model.K, th: number[] = [];
  const disp = dispersionParam(res.model.family);
  for (let c = 0; c < K; c++) {
    for (let k = 0; k < q; k++) th.push(P.alpha[(j * K + c) * q + k]);
    for (let k = 0; k < q; k++) th.push(P.alphaS[(j * K + c) * q + k]);
    if (disp) th.push(disp === "sigma" ? P.phi[j * K + c] : Math.log(P.phi[j * K + c]));
  }
  for (let c = 1; c < K; c++) {
    for (let k = 0; k < p; k++) th.push(P.gamma[(j * K + c) * p + k]);
    for (let k = 0; k < p; k++) th.push(P.gammaS[(j * K + c) * p + k]);
  }
  return th;
}

/** log Σ_c π_c f_c for one row, from the definition. */
function rowLogLik(family: FamilyName, th: number[], K: number, q: number, p: number, rows: Rows, i: number, s: number): number {
  const zi = rows.z[i], xi = rows.x[i], yi = rows.y[i];
  const disp = dispersionParam(family);
  const eb = 2 * q + (disp ? 1 : 0), G0 = K * eb;
  const logits = [0];
  for (let c = 1; c < K; c++) {
    let l = 0;
    for (let k = 0; k < p; k++) l += xi[k] * (th[G0 + (c - 1) * 2 * p + k] + th[G0 + (c - 1) * 2 * p + p + k] * s);
    logits.push(l);
  }
  const mx = Math.max(...logits);
  const lse = mx + Math.log(logits.reduce((a, l) => a + Math.exp(l - mx), 0));
  let L = 0;
  for (let c = 0; c < K; c++) {
    let eta = rows.offset[i];
    for (let k = 0; k < q; k++) eta += zi[k] * (th[c * eb + k] + th[c * eb + q + k] * s);
    const ph = th[c * eb + 2 * q];
    const lf = family === "gaussian" ? -0.5 * ((yi - eta) / ph) ** 2 - Math.log(Math.sqrt(2 * Math.PI) * ph)
      : logDensityRef(family, yi, eta, Math.exp(ph), rows.trials[i]);
    L += Math.exp(logits[c] - lse + lf);
  }
  return Math.log(L);
}

function solve(A: number[][], b: number[]): number[] {
  const n = b.length, M = A.map((r, i) => [...r, b[i]]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[piv][c])) piv = r;
    [M[c], M[piv]] = [M[piv], M[c]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let k = r + 1; k < n; k++) s -= M[r][k] * x[k];
    x[r] = s / M[r][r];
  }
  return x;
}

/**
 * Finite-difference influence values at grid point j: for every curve e (order of
 * standardErrors()) and window row i, ψ_ie = L_e H⁻¹ s_i. Var = Σ_i w_i ψ_ie².
 */
function fdInfluence(res: VCMoEFit, rows: Rows, j: number): Array<Map<number, number>> {
  const K = res.model.K, q = res.model.zNames.length, p = res.model.xNames.length, h = res.model.bandwidth;
  const g = res.parameters.gridUnit[j], kern = res.model.kernel;
  const th0 = thetaAt(res, j, q, p), D = th0.length;
  const win = rows.t.map((t, i) => ({ i, s: (t - g) / h })).filter((r) => kernel(kern, r.s) > 0);
  const step = th0.map((v) => 3e-4 * Math.max(0.3, Math.abs(v)));
  const family = res.model.family;
  const rowLL = (th: number[], r: { i: number; s: number }) => rowLogLik(family, th, K, q, p, rows, r.i, r.s);
  // per-row scores of K_i log L_i (central differences)
  const scores = win.map((r) => {
    const kw = kernel(kern, r.s);
    return th0.map((_, a) => {
      const tp = th0.slice(), tm = th0.slice();
      tp[a] += step[a]; tm[a] -= step[a];
      return (kw * (rowLL(tp, r) - rowLL(tm, r))) / (2 * step[a]);
    });
  });
  // Hessian of the local log-likelihood (second central differences)
  const total = (th: number[]) => win.reduce((acc, r) => acc + rows.w[r.i] * kernel(kern, r.s) * rowLL(th, r), 0);
  const H: number[][] = Array.from({ length: D }, () => new Array<number>(D).fill(0));
  for (let a = 0; a < D; a++) {
    for (let b = 0; b <= a; b++) {
      const f = (da: number, db: number) => { const t = th0.slice(); t[a] += da * step[a]; t[b] += db * step[b]; return total(t); };
      const v = (f(1, 1) - f(1, -1) - f(-1, 1) + f(-1, -1)) / (4 * step[a] * step[b]);
      H[a][b] = H[b][a] = -v;
    }
  }
  // curves: per component q expert values then the dispersion (σ; θ = exp(log θ): d/d log θ = θ); then centred gating
  const Ls: number[][] = [];
  const disp = dispersionParam(family);
  const eb = 2 * q + (disp ? 1 : 0), G0 = K * eb;
  for (let c = 0; c < K; c++) {
    for (let k = 0; k < (disp ? q + 1 : q); k++) {
      const L = new Array<number>(D).fill(0);
      L[c * eb + (k < q ? k : 2 * q)] = k < q || disp === "sigma" ? 1 : Math.exp(th0[c * eb + 2 * q]);
      Ls.push(L);
    }
  }
  for (let c = 0; c < K; c++) {
    for (let k = 0; k < p; k++) {
      const L = new Array<number>(D).fill(0);
      for (let c2 = 1; c2 < K; c2++) L[G0 + (c2 - 1) * 2 * p + k] = (c === c2 ? 1 : 0) - 1 / K;
      Ls.push(L);
    }
  }
  return Ls.map((L) => {
    const u = solve(H, L);
    return new Map(win.map((r, k) => [r.i, scores[k].reduce((s2, sv, a) => s2 + sv * u[a], 0)]));
  });
}

function fdStandardErrors(res: VCMoEFit, rows: Rows, j: number): number[] {
  return fdInfluence(res, rows, j).map((psi) => Math.sqrt([...psi].reduce((acc, [i, v]) => acc + rows.w[i] * v * v, 0)));
}

function rowsOf(data: VCMoEData & { z: Record<string, number[]>; x: Record<string, number[]> }, weights?: number[]): Rows {
  const u = data.u as number[];
  const d = data as { offset?: number[]; trials?: number[] };
  const lo = Math.min(...u), hi = Math.max(...u);
  const zk = Object.keys(data.z), xk = Object.keys(data.x);
  return {
    t: u.map((v) => (v - lo) / (hi - lo)),
    y: data.y as number[],
    z: u.map((_, i) => [1, ...zk.map((k) => data.z[k][i])]),
    x: u.map((_, i) => [1, ...xk.map((k) => data.x[k][i])]),
    w: weights ?? u.map(() => 1),
    offset: d.offset ?? u.map(() => 0),
    trials: d.trials ?? u.map(() => 1),
  };
}

/** Three well-separated Gaussian experts with u-varying gating (K = 3 truth). */
function threeComponents(n: number, seed: number) {
  const r = mulberry32(seed);
  const nrm = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const y: number[] = [], u: number[] = [], z1: number[] = [], x1: number[] = [];
  for (let i = 0; i < n; i++) {
    const ui = r(), zi = nrm(), xi = nrm();
    const l = [0, 0.4 * xi + 0.8 * (ui - 0.5), -0.3 * xi + 0.2];
    const e = l.map(Math.exp), s = e[0] + e[1] + e[2];
    const v = r() * s;
    const c = v < e[0] ? 0 : v < e[0] + e[1] ? 1 : 2;
    const mu = [-2 + 0.5 * Math.sin(2 * Math.PI * ui) + zi, 0.3 * ui - zi, 2 + 0.5 * zi][c];
    y.push(mu + [0.3, 0.4, 0.35][c] * nrm()); u.push(ui); z1.push(zi); x1.push(xi);
  }
  return { y, u, z: { z1 }, x: { x1 } };
}

describe("sandwich standard errors = finite-difference sandwich of the local observed-data likelihood", { timeout: 60_000 }, () => {
  test.each([
    { K: 2, kernel: "epanechnikov" as const, weights: false },
    { K: 3, kernel: "gaussian" as const, weights: true },
    { K: 3, kernel: "epanechnikov" as const, weights: false },
    { K: 2, kernel: "epanechnikov" as const, weights: true },
  ])("K = $K, $kernel kernel, weights: $weights", async ({ K, kernel: kern, weights }) => {
    const data = K === 2 ? (await simulate({ n: 300, seed: 11 })).data : threeComponents(600, 5);
    const w = weights ? data.y.map((_, i) => 1 + (i % 3)) : undefined;
    const d = { ...data, weights: w };
    const res = await fit(d, { K, bandwidth: kern === "gaussian" ? 0.12 : 0.3, grid: 5, kernel: kern, seed: 3 });
    const se = await standardErrors(res, d);
    const rows = rowsOf(data, w);
    let worst = 0;
    for (const j of [0, 2, 4]) {
      const fd = fdStandardErrors(res, rows, j);
      se.curves.forEach((c, e) => {
        worst = Math.max(worst, Math.abs(c.se[j] - fd[e]) / fd[e]);
        expect(Math.abs(c.se[j] - fd[e]) / fd[e], `${c.part} ${c.component} ${c.term} at grid ${j}`).toBeLessThan(1e-4);
      });
    }
    console.log(`K = ${K}, ${kern}, weights ${weights}: largest relative difference ${worst.toExponential(2)}`);
  });

  test.each([
    { family: "poisson" as const, K: 2, weights: true },
    { family: "binomial" as const, K: 2, weights: false },
    { family: "negbin" as const, K: 2, weights: true },
    { family: "poisson" as const, K: 3, weights: false },
  ])("$family, K = $K, weights: $weights (offsets, trials)", async ({ family, K, weights }) => {
    // the last grid point is left out: there the negative-binomial fit's observed
    // information is not positive definite (outer-product fallback, checked below) and
    // the K = 3 Poisson fit is so weakly identified (se ≈ 1) that the differences lose digits
    const { data } = await simulate({ family, K, n: 600, seed: 21 });
    const w = weights ? data.y.map((_, i) => 1 + (i % 3)) : undefined;
    const d = { ...data, weights: w };
    const res = await fit(d, { family, K, bandwidth: 0.3, grid: 5, seed: 3 });
    const se = await standardErrors(res, d);
    const disp = dispersionParam(family);
    expect(se.curves.map((c) => c.part)).toEqual([...Array.from({ length: K }, () => ["expert", "expert", ...(disp ? ["theta"] : [])]).flat(), ...new Array(2 * K).fill("gating")]);
    if (family === "negbin") expect(se.outerProduct).toEqual([res.grid[4]]);
    const rows = rowsOf(data, w);
    let worst = 0;
    for (const j of [0, 2, 3]) {
      const fd = fdStandardErrors(res, rows, j);
      se.curves.forEach((c, e) => {
        expect(c.se[j] > 0, `${c.part} ${c.component} ${c.term} at grid ${j}: se ${c.se[j]}`).toBe(true);
        worst = Math.max(worst, Math.abs(c.se[j] - fd[e]) / fd[e]);
        expect(Math.abs(c.se[j] - fd[e]) / fd[e], `${c.part} ${c.component} ${c.term} at grid ${j}`).toBeLessThan(1e-4);
      });
    }
    console.log(`${family} K = ${K}, weights ${weights}: largest relative difference ${worst.toExponential(2)}`);
  });

  test("cross-grid covariance Σ_i w_i ψ_ij ψ_ik of overlapping windows", async () => {
    const { data } = await simulate({ n: 300, seed: 11 });
    const w = data.y.map((_, i) => 1 + (i % 2));
    const d = { ...data, weights: w };
    const res = await fit(d, { K: 2, bandwidth: 0.3, grid: 5, seed: 3 });
    const se = await standardErrors(res, d, { covariance: true });
    const rows = rowsOf(data, w);
    const [a, b] = [fdInfluence(res, rows, 1), fdInfluence(res, rows, 2)];
    se.curves.forEach((c, e) => {
      let cov = 0;
      for (const [i, v] of a[e]) if (b[e].has(i)) cov += rows.w[i] * v * b[e].get(i)!;
      expect(Math.abs(c.covariance![1][2] - cov) / (c.se[1] * c.se[2])).toBeLessThan(1e-5);
      expect(c.covariance![2][1]).toBe(c.covariance![1][2]);
    });
  });
});
