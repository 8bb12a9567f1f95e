// The hybrid kernels against independent computations: the local and global expert
// steps against weighted least squares solved here, the gating steps against their
// first-order conditions (gradient zero at the returned solution).
import { expect, test } from "vitest";
import { simulate, type FitOptions } from "../src/index.js";
import { prepareData } from "../src/data/dataset.js";
import { createCore } from "../src/core/backend.js";
import { CoreData, GridState } from "../src/fit/workspace.js";
import { FAMILIES } from "../src/model/families/index.js";
import { makeSpec } from "../src/model/spec.js";
import { localGrid } from "../src/model/grid.js";

/** Solves the d×d system A x = b by Gaussian elimination with partial pivoting. */
function solve(A: number[][], b: number[]): number[] {
  const d = b.length, M = A.map((r, i) => [...r, b[i]]);
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= d; k++) M[r][k] -= f * M[c][k];
    }
  }
  return M.map((r, i) => r[d] / r[i]);
}

function wls(rows: Array<{ x: number[]; y: number; w: number }>): number[] {
  const d = rows[0].x.length;
  const A = Array.from({ length: d }, () => new Array(d).fill(0)), b = new Array(d).fill(0);
  for (const { x, y, w } of rows) for (let a = 0; a < d; a++) { b[a] += w * x[a] * y; for (let c = 0; c < d; c++) A[a][c] += w * x[a] * x[c]; }
  return solve(A, b);
}

async function setup() {
  const { data } = await simulate({ n: 300, seed: 8 });
  const opts: FitOptions = { K: 2, bandwidth: 0.3, grid: 12 };
  const ds = prepareData(data, opts);
  const spec = makeSpec(opts, ds);
  const core = await createCore("wasm");
  const cd = new CoreData(core, ds, 2, FAMILIES.gaussian);
  const st = new GridState(cd, localGrid(ds, spec.grid, spec.h, spec.kernel));
  const m = st.m, n = ds.n;
  // arbitrary smooth curves; constants (component 0 slope, sigma of component 1, contrast slope) equal on the grid
  const A = st.alpha.view(), AS = st.alphaS.view(), PH = st.phi.view(), G = st.gamma.view(), GS = st.gammaS.view();
  for (let j = 0; j < m; j++) {
    const g = spec.grid[j];
    A.set([-0.4 + 0.3 * g, 0.7, 0.5 - 0.2 * g, -0.3 + 0.4 * g], j * 4);
    AS.set([0.05, 0, -0.02, 0.1], j * 4);
    PH.set([0.35 + 0.1 * g, 0.45], j * 2);
    G.set([0, 0, 0.2 - 0.5 * g, 0.3], j * 4);
    GS.set([0, 0, -0.1, 0], j * 4);
  }
  // posteriors: a smooth function of the row, rows summing to 1
  const R = cd.R.view();
  for (let i = 0; i < n; i++) { const r = 0.15 + 0.7 * ((i * 37) % 100) / 100; R[2 * i] = r; R[2 * i + 1] = 1 - r; }
  const masks = core.struct("Masks", { constE: core.i32From([0, 1, 0, 0]), constS: core.i32From([0, 1]), constG: core.i32From([0, 0, 0, 1]) });
  const work = core.f64(core.kernels.hybridWorkSize(2, 2, 2));
  return { ds, spec, core, cd, st, m, n, masks, work };
}

const interp = (v: Float64Array, jl: Int32Array, jr: Int32Array, lam: Float64Array, i: number, idx: (j: number) => number) =>
  (1 - lam[i]) * v[idx(jl[i])] + lam[i] * v[idx(jr[i])];

test("local expert step = kernel-weighted least squares of the offset response", async () => {
  const { ds, spec, core, cd, st, masks, work } = await setup();
  const j = 5;
  const before = st.alpha.view().slice();
  core.kernels.mstepExpertHybrid(cd.rows, st.grid, masks, j, j + 1, 1e-6, work);
  const R = cd.R.view(), lo = st.lo.view()[j], hi = st.hi.view()[j], gj = spec.grid[j];
  const rows0: Array<{ x: number[]; y: number; w: number }> = [], rows1: typeof rows0 = [];
  for (let i = lo; i < hi; i++) {
    const s = (ds.t[i] - gj) / spec.h, kw = Math.max(0, 0.75 * (1 - s * s)) * ds.w[i], z = ds.Z[i * 2 + 1];
    rows0.push({ x: [1, s], y: ds.y[i] - 0.7 * z, w: kw * R[2 * i] }); // component 0: slope 0.7 is constant
    rows1.push({ x: [1, z, s, z * s], y: ds.y[i], w: kw * R[2 * i + 1] });
  }
  const b0 = wls(rows0), b1 = wls(rows1);
  const A = st.alpha.view(), AS = st.alphaS.view();
  expect(A[j * 4]).toBeCloseTo(b0[0], 10);
  expect(AS[j * 4]).toBeCloseTo(b0[1], 10);
  expect(A[j * 4 + 1]).toBe(0.7); // the constant is untouched
  expect(AS[j * 4 + 1]).toBe(0);
  expect([A[j * 4 + 2], A[j * 4 + 3], AS[j * 4 + 2], AS[j * 4 + 3]].map((v, k) => v - [b1[0], b1[1], b1[2], b1[3]][k]).every((d) => Math.abs(d) < 1e-10)).toBe(true);
  // sigma of component 0 varies: local weighted residual sd; sigma of component 1 is constant: untouched
  let ss = 0, sw = 0;
  for (const r of rows0) { const e = r.y - b0[0] - b0[1] * r.x[1]; ss += r.w * e * e; sw += r.w; }
  expect(st.phi.view()[j * 2]).toBeCloseTo(Math.sqrt(ss / sw), 10);
  expect(st.phi.view()[j * 2 + 1]).toBe(0.45);
  // other grid points untouched
  expect(Array.from(A.subarray(0, j * 4))).toEqual(Array.from(before.subarray(0, j * 4)));
});

test("global expert step = global WLS with weights w·r/σ(u)² on the residual after the varying part; constant sigma", async () => {
  const { ds, core, cd, st, m, n, masks, work } = await setup();
  const A0 = st.alpha.view().slice(), P0 = st.phi.view().slice();
  const jl = st.jl.view(), jr = st.jr.view(), lam = st.lam.view(), R = cd.R.view();
  core.kernels.globalExpertHybrid(cd.rows, st.grid, masks, 1e-6, work);
  const rows: Array<{ x: number[]; y: number; w: number }> = [];
  for (let i = 0; i < n; i++) {
    const a0 = interp(A0, jl, jr, lam, i, (j) => j * 4), sg = interp(P0, jl, jr, lam, i, (j) => j * 2);
    rows.push({ x: [ds.Z[i * 2 + 1]], y: ds.y[i] - a0, w: ds.w[i] * R[2 * i] / (sg * sg) });
  }
  const slope = wls(rows)[0];
  const A = st.alpha.view();
  for (let j = 0; j < m; j++) expect(A[j * 4 + 1]).toBeCloseTo(slope, 10);
  expect(A[4 * 3]).toBe(A0[4 * 3]); // varying coefficients untouched
  let ss = 0, sw = 0;
  for (let i = 0; i < n; i++) {
    const mu = interp(A0, jl, jr, lam, i, (j) => j * 4 + 2) + interp(A0, jl, jr, lam, i, (j) => j * 4 + 3) * ds.Z[i * 2 + 1];
    ss += ds.w[i] * R[2 * i + 1] * (ds.y[i] - mu) ** 2; sw += ds.w[i] * R[2 * i + 1];
  }
  for (let j = 0; j < m; j++) expect(st.phi.view()[j * 2 + 1]).toBeCloseTo(Math.sqrt(ss / sw), 10);
});

test("gating steps reach their first-order conditions (local varying terms, global constant term)", async () => {
  const { ds, spec, core, cd, st, m, n, masks, work } = await setup();
  const R = cd.R.view();
  // global: Σ_i w_i (r_i1 − π_i1) x_i = 0 for the constant slope, varying intercept at u_i
  core.kernels.globalGatingHybrid(cd.rows, st.grid, masks, 50, 10, work);
  const G = st.gamma.view(), jl = st.jl.view(), jr = st.jr.view(), lam = st.lam.view();
  const slope = G[3];
  for (let j = 0; j < m; j++) expect(G[j * 4 + 3]).toBe(slope);
  let grad = 0, scale = 0;
  for (let i = 0; i < n; i++) {
    const x = ds.X[i * 2 + 1];
    const l = interp(G, jl, jr, lam, i, (j) => j * 4 + 2) + slope * x;
    const p = 1 / (1 + Math.exp(-l));
    grad += ds.w[i] * (R[2 * i + 1] - p) * x; scale += Math.abs(x);
  }
  expect(Math.abs(grad) / scale).toBeLessThan(1e-9);
  // local at grid point j: kernel-weighted gradient in (intercept, slope on s) is 0, the constant slope as offset
  const j = 4;
  core.kernels.mstepGatingHybrid(cd.rows, st.grid, masks, j, j + 1, 50, work);
  const GS = st.gammaS.view();
  let g0 = 0, g1 = 0, sc = 0;
  for (let i = st.lo.view()[j]; i < st.hi.view()[j]; i++) {
    const s = (ds.t[i] - spec.grid[j]) / spec.h, kw = Math.max(0, 0.75 * (1 - s * s)) * ds.w[i], x = ds.X[i * 2 + 1];
    const l = G[j * 4 + 2] + GS[j * 4 + 2] * s + slope * x;
    const e = R[2 * i + 1] - 1 / (1 + Math.exp(-l));
    g0 += kw * e; g1 += kw * e * s; sc += kw;
  }
  expect(Math.abs(g0) / sc).toBeLessThan(1e-9);
  expect(Math.abs(g1) / sc).toBeLessThan(1e-9);
  expect(G[j * 4 + 3]).toBe(slope); // the constant is untouched by the local step
  expect(st.statusG.view()[j]).toBe(0);
});
