// Initialisation of large data on an evenly spaced subset of the rows (src/fit/subsample.ts,
// options.initRows): the rows chosen, the rule for when a subset is taken, and a fit from it
// reaching the maximum of the fit initialised on every row.
import { expect, test } from "vitest";
import { evenRows, initRowCount, pickRows } from "../src/fit/subsample.js";
import { fit, simulate, VCMoEInputError } from "../src/index.js";
import { prepareData } from "../src/data/dataset.js";
import { localGrid } from "../src/model/grid.js";

test("evenRows takes one row from the middle of each of L equal slices, increasing", () => {
  for (const [n, L] of [[10, 10], [10_000, 2000], [7919, 2000], [2001, 2000]]) {
    const idx = evenRows(n, L);
    expect(idx.length).toBe(L);
    for (let k = 0; k < L; k++) {
      expect(idx[k]).toBeGreaterThanOrEqual(Math.floor((k * n) / L));
      expect(idx[k]).toBeLessThan(Math.ceil(((k + 1) * n) / L));
      if (k > 0) expect(idx[k]).toBeGreaterThan(idx[k - 1]);
    }
  }
  expect(Array.from(evenRows(10, 5))).toEqual([1, 3, 5, 7, 9]);
});

test("pickRows keeps each chosen row whole: response, weight, offset, both designs", () => {
  const n = 40;
  const u = Array.from({ length: n }, (_, i) => (i * 7919) % n); // unsorted on input
  const ds = prepareData({
    y: u.map((v) => v % 5), u, z: { a: u.map((v) => v * 2), b: u.map((v) => v * v) }, x: { c: u.map((v) => -v) },
    weights: u.map((v) => 1 + v / 10), offset: u.map((v) => v / 100),
  });
  const idx = Int32Array.from([0, 3, 17, 39]);
  const sub = pickRows(ds, idx);
  expect(sub.n).toBe(4);
  idx.forEach((i, r) => {
    expect(sub.t[r]).toBe(ds.t[i]);
    expect(sub.y[r]).toBe(ds.y[i]);
    expect(sub.w[r]).toBe(ds.w[i]);
    expect(sub.offset![r]).toBe(ds.offset![i]);
    expect(Array.from(sub.Z.subarray(r * ds.q, (r + 1) * ds.q))).toEqual(Array.from(ds.Z.subarray(i * ds.q, (i + 1) * ds.q)));
    expect(Array.from(sub.X.subarray(r * ds.p, (r + 1) * ds.p))).toEqual(Array.from(ds.X.subarray(i * ds.p, (i + 1) * ds.p)));
    // the row's u in the caller's order, so the subset's t is still the caller's u rescaled
    expect(ds.uMin + sub.t[r] * ds.uRange).toBe(u[sub.order[r]]);
  });
  expect(sub.trials).toBeNull();
});

test("a subset is taken above initRows (K/5 times as many for K > 5) unless a kernel window would keep too few rows", async () => {
  const { data } = await simulate({ n: 12_000, seed: 3 });
  const ds = prepareData(data);
  const grid = Float64Array.from({ length: 50 }, (_, j) => j / 49);
  const wide = localGrid(ds, grid, 0.2, "epanechnikov");
  expect(initRowCount(ds.n, 2, 2000, wide)).toBe(2000);
  expect(initRowCount(ds.n, 5, 2000, wide)).toBe(2000);
  expect(initRowCount(ds.n, 10, 2000, wide)).toBe(4000);
  expect(initRowCount(1999, 2, 2000, wide)).toBe(1999);
  expect(initRowCount(ds.n, 2, 20_000, wide)).toBe(ds.n);
  // a window of ~0.02·n rows keeps ~40 of 2000 (< 50·K): every row is used
  const narrow = localGrid(ds, grid, 0.01, "epanechnikov");
  expect(initRowCount(ds.n, 2, 2000, narrow)).toBe(ds.n);
});

test("the fit initialised on a subset reaches the maximum of the fit initialised on every row; the report gives the rows used", async () => {
  const { data } = await simulate({ scenario: "crossing", n: 6000, seed: 2 });
  const opts = { K: 2, bandwidth: 0.18, seed: 1 };
  const all = await fit(data, { ...opts, initRows: Infinity });
  const sub = await fit(data, opts);
  expect(all.diagnostics.initialisation.rows).toBe(6000);
  expect(sub.diagnostics.initialisation.rows).toBe(2000);
  // both EMs stop at relative changes of 1e-8: the same maximum to that scale
  expect(Math.abs(sub.logLik - all.logLik)).toBeLessThan(1e-6 * Math.abs(all.logLik));
  // the same curves, up to the order of the components (labels follow the start)
  const gap = (perm: number[]) => Math.max(...all.curves.map((cv) => {
    const other = sub.curves.find((o) => o.part === cv.part && o.term === cv.term && o.component === perm[cv.component - 1])!;
    return Math.max(...cv.values.map((v, j) => Math.abs(other.values[j] - v) / (1 + Math.abs(v))));
  }));
  expect(Math.min(gap([1, 2]), gap([2, 1]))).toBeLessThan(1e-3);
  // the subset's log-likelihoods are of its 2000 rows: about 2000/6000 of the fit's
  expect(sub.diagnostics.initialisation.logLik / all.diagnostics.initialisation.logLik).toBeGreaterThan(0.28);
  expect(sub.diagnostics.initialisation.logLik / all.diagnostics.initialisation.logLik).toBeLessThan(0.39);
});

test("the initialisation's log-likelihoods on the caller's scale shift by the subset's rows, not the fit's, when y is rescaled", async () => {
  const { data } = await simulate({ n: 5000, seed: 4 });
  const opts = { K: 2, bandwidth: 0.2, seed: 1 };
  const a = await fit(data, opts);
  const b = await fit({ ...data, y: data.y.map((v) => v * 100) }, opts);
  // log f of y·c is log f of y minus log c per row (the rescaled fit is the same fit in other units)
  const shift = 2000 * Math.log(100);
  expect(b.diagnostics.initialisation.logLik).toBeCloseTo(a.diagnostics.initialisation.logLik - shift, 4);
  // the fits: the same maximum to the EM's tolerance (relative 1e-8 changes stop it)
  expect(Math.abs(b.logLik - (a.logLik - 5000 * Math.log(100)))).toBeLessThan(1e-6 * Math.abs(a.logLik));
});

test("options.initRows is checked", async () => {
  const { data } = await simulate({ n: 300, seed: 1 });
  for (const bad of [50, 2.5, "all", -1, NaN]) {
    await expect(fit(data, { K: 2, initRows: bad as number })).rejects.toThrow(VCMoEInputError);
    await expect(fit(data, { K: 2, initRows: bad as number })).rejects.toThrow(/options\.initRows/);
  }
});
