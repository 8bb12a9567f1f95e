// Input validation (issue 2, item 7): every bad input is a VCMoEInputError whose
// `.argument` names the offending argument; nothing the caller passed is mutated.
import { describe, expect, test } from "vitest";
import { fit, fitConstant, predict, VCMoEInputError, type FitOptions, type VCMoEData } from "../src/index.js";
import { testRng } from "./helpers/data.js";

/** A small clean two-component data set (n rows, u on [0, 1]). */
function smallData(n = 200, seed = 7): { y: number[]; u: number[]; z: { z1: number[] }; x: { x1: number[] } } {
  const r = testRng(seed);
  const y: number[] = [], u: number[] = [], z1: number[] = [], x1: number[] = [];
  for (let i = 0; i < n; i++) {
    const ui = r.uniform(), zi = r.normal(), xi = r.normal();
    const c = r.uniform() < 0.5 ? 0 : 1;
    y.push((c === 0 ? -1 + ui : 1 - ui) + (c === 0 ? 0.5 : -0.3) * zi + 0.3 * r.normal());
    u.push(ui); z1.push(zi); x1.push(xi);
  }
  return { y, u, z: { z1 }, x: { x1 } };
}

const base: FitOptions = { K: 2, bandwidth: 0.3, grid: 10, maxIter: 30, starts: 2 };

/** Expects `run` to reject with a VCMoEInputError naming `argument`. */
async function expectInputError(run: () => Promise<unknown>, argument: string): Promise<VCMoEInputError> {
  let caught: unknown = null;
  try {
    await run();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected a VCMoEInputError for ${argument}`).toBeInstanceOf(VCMoEInputError);
  const err = caught as VCMoEInputError;
  expect(err.argument).toBe(argument);
  expect(err.message).toContain(argument);
  return err;
}

describe("fit(): data errors name the argument", () => {
  test("length mismatch of u, z and x columns and weights", async () => {
    const d = smallData();
    await expectInputError(() => fit({ ...d, u: d.u.slice(1) }, base), "data.u");
    await expectInputError(() => fit({ ...d, z: { z1: d.z.z1.slice(2) } }, base), "data.z.z1");
    await expectInputError(() => fit({ ...d, x: { x1: [...d.x.x1, 0] } }, base), "data.x.x1");
    await expectInputError(() => fit({ ...d, weights: new Float64Array(10).fill(1) }, base), "data.weights");
  });

  test("NaN and ±Infinity are errors by default, naming the column", async () => {
    const d = smallData();
    const withBad = (col: number[], i: number, v: number) => { const c = col.slice(); c[i] = v; return c; };
    await expectInputError(() => fit({ ...d, y: withBad(d.y, 5, NaN) }, base), "data.y");
    await expectInputError(() => fit({ ...d, u: withBad(d.u, 9, Infinity) }, base), "data.u");
    await expectInputError(() => fit({ ...d, z: { z1: withBad(d.z.z1, 0, -Infinity) } }, base), "data.z.z1");
    await expectInputError(() => fit({ ...d, x: { x1: Float64Array.from(withBad(d.x.x1, 3, NaN)) } }, base), "data.x.x1");
  });

  test("missing: 'drop' drops incomplete rows and reports the count", async () => {
    const d = smallData();
    const y = d.y.slice(), z1 = d.z.z1.slice(), x1 = d.x.x1.slice();
    y[3] = NaN; z1[50] = Infinity; x1[120] = -Infinity; y[120] = NaN; // 3 incomplete rows
    const res = await fit({ y, u: d.u, z: { z1 }, x: { x1 } }, { ...base, missing: "drop" });
    expect(res.model.droppedRows).toBe(3);
    expect(res.model.n).toBe(d.y.length - 3);
    expect(res.posteriors.length).toBe(d.y.length - 3);
    expect(Number.isFinite(res.logLik)).toBe(true);
    // the same fit as on the complete rows only
    const keep = (c: number[]) => c.filter((_, i) => i !== 3 && i !== 50 && i !== 120);
    const ref = await fit({ y: keep(d.y), u: keep(d.u), z: { z1: keep(d.z.z1) }, x: { x1: keep(d.x.x1) } }, base);
    expect(res.logLik).toBe(ref.logLik);
    await expectInputError(() => fit({ y, u: d.u, z: { z1 }, x: { x1 } }, { ...base, missing: "skip" as never }), "options.missing");
  });

  test("constant u", async () => {
    const d = smallData();
    await expectInputError(() => fit({ ...d, u: d.u.map(() => 0.4) }, base), "data.u");
  });

  test("singular designs: collinear expert or gating columns", async () => {
    const d = smallData();
    await expectInputError(() => fit({ ...d, z: { z1: d.z.z1, z2: d.z.z1.map((v) => 2 * v - 0.5) } }, base), "data.z");
    await expectInputError(() => fit({ ...d, z: { one: d.y.map(() => 3) } }, base), "data.z"); // collinear with the intercept
    await expectInputError(() => fit({ ...d, x: { x1: d.x.x1, x2: d.x.x1.map((v, i) => v + d.z.z1[i]), x3: d.z.z1 } }, base), "data.x");
  });
});

describe("fit(): option errors name the argument", () => {
  test("K < 2, non-integer K, K missing", async () => {
    const d = smallData();
    for (const K of [1, 0, -2, 2.5, NaN]) await expectInputError(() => fit(d, { ...base, K }), "options.K");
    await expectInputError(() => fit(d, { ...base, K: undefined as never }), "options.K");
    await expectInputError(() => fitConstant({ y: d.y, z: d.z }, { K: 1 }), "options.K");
  });

  test("accelerate: true, false, 'anderson' or 'squarem'; anything else names options.accelerate", async () => {
    const d = smallData();
    for (const accelerate of ["fast", 1, null, "SQUAREM"]) await expectInputError(() => fit(d, { ...base, accelerate: accelerate as never }), "options.accelerate");
    expect((await fit(d, base)).model.settings!.accelerate).toBe("anderson");
    expect((await fit(d, { ...base, accelerate: true })).model.settings!.accelerate).toBe("anderson");
    expect((await fit(d, { ...base, accelerate: "squarem" })).model.settings!.accelerate).toBe("squarem");
    expect((await fit(d, { ...base, accelerate: false })).model.settings!.accelerate).toBe(false);
  });

  test("K too large for the data", async () => {
    const d = smallData(40);
    // 2 expert and 2 gating columns: K = 4 needs 4·5 + 3·4 = 32 rows, K = 5 needs 41
    await expectInputError(() => fit(d, { ...base, K: 5, bandwidth: 1 }), "options.K");
    await expectInputError(() => fit(d, { ...base, K: 11 }), "options.K");
    const tiny = { y: d.y.slice(0, 8), z: { z1: d.z.z1.slice(0, 8) }, x: { x1: d.x.x1.slice(0, 8) } };
    await expectInputError(() => fitConstant(tiny, { K: 3 }), "options.K");
  });

  test("non-positive or non-finite bandwidth; a missing one takes the rule of thumb", async () => {
    const d = smallData();
    for (const bandwidth of [0, -0.2, NaN, Infinity, "0.2" as never]) await expectInputError(() => fit(d, { ...base, bandwidth }), "options.bandwidth");
    const res = await fit(d, { ...base, bandwidth: undefined as never });
    expect(res.model.bandwidth).toBeGreaterThan(0);
    expect(res.model.bandwidth).toBeLessThan(1);
  });

  test("a bandwidth that leaves kernel windows (almost) empty", async () => {
    const d = smallData();
    // a gap in u between 0.4 and 0.7: grid points inside it see no data for a narrow window
    const keep = d.u.map((v) => v < 0.4 || v > 0.7);
    const pick = (c: number[]) => c.filter((_, i) => keep[i]);
    const gap = { y: pick(d.y), u: pick(d.u), z: { z1: pick(d.z.z1) }, x: { x1: pick(d.x.x1) } };
    const err = await expectInputError(() => fit(gap, { ...base, bandwidth: 0.05, grid: 21 }), "options.bandwidth");
    expect(err.message).toMatch(/grid point/);
    // a plain small bandwidth on evenly spread data too
    await expectInputError(() => fit(d, { ...base, bandwidth: 0.001 }), "options.bandwidth");
  });

  test("bad kernel, method, family, backend names", async () => {
    const d = smallData();
    await expectInputError(() => fit(d, { ...base, kernel: "triangle" as never }), "options.kernel");
    await expectInputError(() => fit(d, { ...base, method: "em" as never }), "options.method");
    await expectInputError(() => fit(d, { ...base, family: "gamma" as never }), "options.family");
    await expectInputError(() => fit(d, { ...base, backend: "gpu" as never }), "options.backend");
    await expectInputError(() => fitConstant({ y: d.y, z: d.z }, { K: 2, backend: "native" as never }), "options.backend");
  });

  test("bad grids: too few points, non-increasing, outside the range of u, non-finite, wrong type", async () => {
    const d = smallData();
    const umin = Math.min(...d.u), umax = Math.max(...d.u);
    const bad: unknown[] = [1, 0, 2.5, -3, [0.5], [0.2, 0.6, 0.4], [0.3, 0.3, 0.5], [umin - 0.1, 0.5], [0.5, umax + 0.1], [0.2, NaN, 0.8], "20", { length: 3 }];
    for (const grid of bad) await expectInputError(() => fit(d, { ...base, grid: grid as never }), "options.grid");
  });

  test("other options: maxIter, tol, seed, starts", async () => {
    const d = smallData();
    await expectInputError(() => fit(d, { ...base, maxIter: 0 }), "options.maxIter");
    await expectInputError(() => fit(d, { ...base, tol: -1 }), "options.tol");
    await expectInputError(() => fit(d, { ...base, seed: 1.5 }), "options.seed");
    await expectInputError(() => fit(d, { ...base, starts: 0 }), "options.starts");
  });
});

describe("predict(): errors name the argument", () => {
  test("missing covariate, non-finite values, length mismatch", async () => {
    const d = smallData();
    const res = await fit(d, base);
    await expectInputError(() => predict(res, { u: [0.5], z: { z1: [0] } }), "newData.x.x1");
    await expectInputError(() => predict(res, { u: [0.5, NaN], z: { z1: [0, 1] }, x: { x1: [0, 1] } }), "newData.u");
    await expectInputError(() => predict(res, { u: [0.5, 0.6], z: { z1: [0] }, x: { x1: [0, 1] } }), "newData.z.z1");
    await expectInputError(() => predict(res, { u: [0.5], z: { z1: [0] }, x: { x1: [0] }, y: [Infinity] }), "newData.y");
    await expectInputError(() => predict({} as never, { u: [0.5] }), "fitResult");
  });
});

describe("nothing the caller passed is mutated", () => {
  test("fit, fitConstant and predict leave data, options and the fit result untouched", async () => {
    const d = smallData(240, 11);
    // mix typed arrays and plain arrays, unsorted u, weights, a NaN row to be dropped
    const data: VCMoEData = {
      y: Float64Array.from(d.y), u: d.u.slice(), z: { z1: d.z.z1.slice() }, x: { x1: Float64Array.from(d.x.x1) },
      weights: d.y.map((_, i) => 1 + (i % 3) / 2),
    };
    (data.y as Float64Array)[17] = NaN;
    const options: FitOptions = { ...base, missing: "drop", grid: [0.1, 0.3, 0.5, 0.7, 0.9] };
    const dataBefore = structuredClone(data), optionsBefore = structuredClone(options);

    const res = await fit(data, options);
    expect(data).toStrictEqual(dataBefore);
    expect(options).toStrictEqual(optionsBefore);
    expect(res.model.droppedRows).toBe(1);

    const lcOptions = { K: 2, starts: 3, missing: "drop" as const };
    const lcBefore = structuredClone(lcOptions);
    await fitConstant(data, lcOptions);
    expect(data).toStrictEqual(dataBefore);
    expect(lcOptions).toStrictEqual(lcBefore);

    const newData = { u: Float64Array.of(0.9, 0.1, 1.2), z: { z1: [0.3, -1, 2] }, x: { x1: Float64Array.of(1, 0, -1) }, y: [0.1, -0.4, 0.7] };
    const newBefore = structuredClone(newData), resBefore = structuredClone(res);
    await predict(res, newData);
    expect(newData).toStrictEqual(newBefore);
    expect(res).toStrictEqual(resBefore);
  });
});

describe("degenerate components are held and reported, never NaN", () => {
  test("a component of identical responses: sigma held at the floor, reported in diagnostics and warnings", async () => {
    const r = testRng(5);
    const y: number[] = [], u: number[] = [], z1: number[] = [];
    for (let i = 0; i < 400; i++) {
      const ui = r.uniform(), zi = r.normal();
      u.push(ui); z1.push(zi);
      y.push(r.uniform() < 0.4 ? 2 : Math.sin(3 * ui) + 0.5 * zi + 0.3 * r.normal()); // 40% exactly 2: σ → 0
    }
    const f = await fit({ y, u, z: { z1 } }, { K: 2, bandwidth: 0.3, grid: 20 });
    const all = [f.logLik, ...f.curves.flatMap((c) => c.values), ...f.posteriors.flat()];
    expect(all.every(Number.isFinite)).toBe(true);
    expect(f.diagnostics.sigmaFloored.length).toBeGreaterThan(0);
    expect(f.diagnostics.warnings.some((w) => /floor/.test(w))).toBe(true);
    const sig = f.curves.filter((c) => c.part === "sigma").flatMap((c) => c.values);
    expect(Math.min(...sig)).toBeGreaterThanOrEqual(f.model.sigmaFloor);
    expect(sig.filter((v) => v === f.model.sigmaFloor).length).toBe(f.diagnostics.sigmaFloored.length);
    const g = await fitConstant({ y, z: { z1 } }, { K: 2 });
    expect(Number.isFinite(g.logLik)).toBe(true);
    expect(Math.min(...g.experts.map((e) => e.sigma!))).toBe(g.model.sigmaFloor);
  });
});

describe("text cells and values too large to compute with (found by the fuzz tests)", () => {
  test("a text cell is reported as text, naming the column and row", async () => {
    const d = smallData();
    const withText = { ...d, z: { z1: d.z.z1.map((v, i) => (i === 3 ? "1.23" : v)) as unknown as number[] } };
    const e = await expectInputError(() => fit(withText, base), "data.z.z1");
    expect(e.message).toMatch(/mixes text \("1\.23"\) and other values/);
  });

  test("a single huge value names its column and row instead of failing the fit", async () => {
    const d = smallData();
    for (const [argument, data] of [
      ["data.y", { ...d, y: d.y.map((v, i) => (i === 5 ? 1e300 : v)) }],
      ["data.u", { ...d, u: d.u.map((v, i) => (i === 5 ? 1e300 : v)) }],
      ["data.z.z1", { ...d, z: { z1: d.z.z1.map((v, i) => (i === 5 ? -1e300 : v)) } }],
      ["data.x.x1", { ...d, x: { x1: d.x.x1.map((v, i) => (i === 5 ? 1e200 : v)) } }],
    ] as Array<[string, VCMoEData]>) {
      const e = await expectInputError(() => fit(data, base), argument);
      expect(e.message, argument).toMatch(/row 5 is/);
    }
    const counts = { ...d, y: d.y.map((v) => Math.round(Math.abs(v) * 3)), offset: d.y.map((_, i) => (i === 7 ? 1e300 : 0)) };
    expect((await expectInputError(() => fit(counts, { ...base, family: "poisson" }), "data.offset")).message).toMatch(/row 7 is/);
  });

  test("predict: a huge offset is an input error; overflowing means come with a warning", async () => {
    const d = smallData();
    // counts of about e^10, so that an offset of 700 (the largest accepted) overflows exp
    const counts = { ...d, y: d.y.map((v) => Math.round(22026 * (1 + Math.abs(v)))) };
    const res = await fit(counts, { ...base, family: "poisson" });
    const nd = { u: [0.5, 0.6], z: { z1: [0, 0] }, x: { x1: [0, 0] } };
    await expectInputError(() => predict(res, { ...nd, offset: [1e300, 0] }), "newData.offset");
    const big = await predict(res, { ...nd, offset: [700, 0] });
    expect(big.warnings.join(" ")).toMatch(/not finite at 1 row/);
    expect((await predict(res, nd)).warnings).toEqual([]);
  });
});
