// Plot specs and their rendering: the spec's data are checked against the fit, the bands
// and predict(); the rendered SVG against the spec (one line per curve, fixed colours,
// panel titles). Vega runs headless in Node here.
import { describe, expect, test } from "vitest";
import { confidenceBands, fit, fitConstant, predict, simulate, standardErrors, VCMoEInputError, type VCMoEData } from "../../src/index.js";
import { COMPONENT_COLOURS, dataPlotSpec, plotSpec, renderHtml, renderSvg } from "../../src/plot/index.js";
import { readReference, wsData } from "../helpers/data.js";

type Row = Record<string, number | string | boolean | null>;
const rowsOf = (spec: Record<string, unknown>): Row[] => (spec.data as { values: Row[] }).values;

/** Paths drawn by line marks in a Vega SVG: the `d` and `stroke` of each, per <g class="mark-line ..."> group. */
function linePaths(svg: string): Array<{ stroke: string; dash: boolean }> {
  const out: Array<{ stroke: string; dash: boolean }> = [];
  for (const g of svg.matchAll(/<g class="mark-line role-mark[^"]*"[^>]*>(.*?)<\/g>/gs)) {
    for (const p of g[1].matchAll(/<path [^>]*>/g)) {
      const stroke = /stroke="([^"]+)"/.exec(p[0])?.[1] ?? "";
      out.push({ stroke, dash: /stroke-dasharray/.test(p[0]) });
    }
  }
  return out;
}

describe("plotSpec and dataPlotSpec", async () => {
  const cols = readReference("sim_ws_n300.csv");
  const data = wsData(cols);
  const res = await fit(data, { K: 2, bandwidth: 0.3, grid: 20, seed: 1 });
  const bands = await confidenceBands(res, data, { method: "multiplier", draws: 2000, seed: 3 });

  test("one panel per coefficient, one series per curve, values equal the fit's and the bands'", () => {
    const spec = plotSpec(res, bands, { pointwise: true });
    const rows = rowsOf(spec);
    const panels = (spec.facet as { sort: string[] }).sort;
    expect(panels).toEqual(["expert: (Intercept)", "expert: z1", "σ (standard deviation)", "gating logit (centred): (Intercept)", "gating logit (centred): x1"]);
    expect(rows.length).toBe(res.curves.length * res.grid.length);
    const z = bands.details.pointwiseCritical;
    for (const b of bands.curves) {
      const panel = b.part === "sigma" ? "σ (standard deviation)" : b.part === "gating" ? `gating logit (centred): ${b.term}` : `expert: ${b.term}`;
      const mine = rows.filter((r) => r.component === String(b.component) && r.panel === panel);
      expect(mine.length).toBe(res.grid.length);
      mine.forEach((r, j) => {
        expect(r.u).toBeCloseTo(res.grid[j], 5);
        expect(r.estimate as number).toBeCloseTo(b.estimate[j], 5);
        expect(r.lower as number).toBeCloseTo(b.lower[j], 5);
        expect(r.upper as number).toBeCloseTo(b.upper[j], 5);
        expect(r.pLower as number).toBeCloseTo(b.estimate[j] - z * b.se[j], 5);
        expect(r.pUpper as number).toBeCloseTo(b.estimate[j] + z * b.se[j], 5);
      });
    }
    // without pointwise: no dashed-interval fields; without bands: estimates only
    expect(rowsOf(plotSpec(res, bands))[0]).not.toHaveProperty("pLower");
    const bare = rowsOf(plotSpec(res));
    expect(bare[0]).not.toHaveProperty("lower");
    expect(bare.map((r) => r.estimate)).toEqual(res.curves.flatMap((c) => c.values.map((v) => Number(v.toPrecision(6)))));
  });

  test("standard errors give pointwise intervals; parts and components select panels", async () => {
    const se = await standardErrors(res, data);
    const rows = rowsOf(plotSpec(res, se));
    const s = se.curves[0];
    expect(rows[3].pLower as number).toBeCloseTo(s.lower[3], 5);
    expect(rows[3]).not.toHaveProperty("lower");
    const onlyGating = plotSpec(res, bands, { parts: ["gating"], components: [2] });
    expect((onlyGating.facet as { sort: string[] }).sort).toEqual(["gating logit (centred): (Intercept)", "gating logit (centred): x1"]);
    expect(new Set(rowsOf(onlyGating).map((r) => r.component))).toEqual(new Set(["2"]));
  });

  test("bad input is refused with the argument named", async () => {
    const other = await fit(data, { K: 2, bandwidth: 0.4, grid: 20, seed: 1 });
    expect(() => plotSpec(other, bands)).toThrow(/bands: belong to another fit/);
    const other30 = await fit(data, { K: 2, bandwidth: 0.3, grid: 30, seed: 1 });
    expect(() => plotSpec(other30, bands)).toThrow(/bands: were computed on another grid/);
    const c = await fitConstant(data, { K: 2 });
    expect(() => plotSpec(c as never)).toThrow(VCMoEInputError);
    expect(() => plotSpec(res, undefined, { pointwise: true })).toThrow(/options.pointwise/);
    expect(() => plotSpec(res, bands, { components: [3] })).toThrow(/options.components/);
    expect(() => plotSpec(res, bands, { parts: ["slope" as never] })).toThrow(/options.parts/);
    expect(() => dataPlotSpec(res, { ...data, y: cols.y.slice(1), u: cols.u.slice(1) })).toThrow(/data/);
    expect(() => dataPlotSpec(res, { ...data, z: { z2: cols.z1 } })).toThrow(/data.z: has no column 'z1'/);
    expect(() => dataPlotSpec(res, data, { at: { x1: 0 } })).toThrow(/options.at.x1/);
  });

  test("dataPlotSpec: points coloured by the largest posterior, mean lines equal predict()'s component means", async () => {
    const spec = dataPlotSpec(res, data, { at: { z1: 0.5 } });
    const [points, , lines] = spec.layer as Array<{ data: { values: Row[] } }>;
    expect(points.data.values.length).toBe(cols.y.length);
    points.data.values.forEach((p, i) => {
      const post = res.posteriors[i];
      expect(p.component).toBe(String(post[0] >= post[1] ? 1 : 2));
      expect(p.probability as number).toBeCloseTo(Math.max(...post), 5);
      expect(p.y as number).toBeCloseTo(cols.y[i], 5);
    });
    const pr = await predict(res, { u: res.grid, z: { z1: res.grid.map(() => 0.5) }, x: { x1: res.grid.map(() => 0) } });
    const means = lines.data.values;
    for (let c = 0; c < 2; c++) {
      const mine = means.filter((r) => r.component === String(c + 1));
      res.grid.forEach((u, j) => {
        const atU = mine.filter((r) => Math.abs((r.u as number) - u) < 1e-5);
        expect(atU.length).toBeGreaterThanOrEqual(1); // 2 where a solid and a dashed segment meet
        for (const r of atU) expect(r.mean as number).toBeCloseTo(pr.componentMeans[j][c], 5);
      });
    }
    // dashed exactly where the component holds under 5% of the local rows
    for (const r of means) {
      const j = res.grid.findIndex((u) => Math.abs(u - (r.u as number)) < 1e-5);
      const w = res.diagnostics.componentWeights[j][Number(r.component) - 1];
      if (r.sparse) expect(w < 0.05 || means.some((o) => o !== r && o.u === r.u && o.component === r.component)).toBe(true);
      else expect(w >= 0.05 || means.some((o) => o !== r && o.u === r.u && o.component === r.component)).toBe(true);
    }
  });

  test("dataPlotSpec: a mean line is dashed exactly where its component holds under 5% of the local rows", () => {
    // the fit's own weights with component 1 made rare at grid points 0..4
    const weights = res.diagnostics.componentWeights.map((w, j) => (j < 5 ? [0.01, 0.99] : w));
    const edited = { ...res, diagnostics: { ...res.diagnostics, componentWeights: weights } };
    const means = (dataPlotSpec(edited, data).layer as Array<{ data: { values: Row[] } }>)[2].data.values;
    const c1 = means.filter((r) => r.component === "1");
    expect(c1.filter((r) => r.sparse).length).toBe(5);
    // two runs (dashed 0..4, solid 4..end: the boundary point 4 is in both), and component 2 stays one solid run
    expect(new Set(c1.map((r) => r.segment)).size).toBe(2);
    expect(c1.length).toBe(res.grid.length + 1);
    expect(means.filter((r) => r.component === "2").every((r) => r.sparse === false)).toBe(true);
    const title = (dataPlotSpec(edited, data).title as { subtitle: string[] }).subtitle;
    expect(title.some((t) => t.startsWith("dashed"))).toBe(true);
  });

  test("dataPlotSpec: counts with an offset are drawn as rates; dropped rows are skipped again", async () => {
    const sim = await simulate({ family: "poisson", K: 2, n: 300, seed: 4 });
    const d = sim.data as VCMoEData;
    const y = Array.from(d.y as ArrayLike<number>);
    y[7] = Number.NaN;
    const withGap = { ...d, y };
    const r = await fit(withGap, { family: "poisson", K: 2, bandwidth: 0.3, grid: 15, seed: 1, missing: "drop" });
    const spec = dataPlotSpec(r, withGap);
    const pts = (spec.layer as Array<{ data: { values: Row[] } }>)[0].data.values;
    expect(pts.length).toBe(299);
    expect(pts.some((p) => p.row === 8)).toBe(false);
    const off = d.offset as ArrayLike<number>;
    const p10 = pts.find((p) => p.row === 11)!;
    expect(p10.y as number).toBeCloseTo(y[10] / Math.exp(off[10]), 5);
    const pr = await predict(r, { u: r.grid, z: Object.fromEntries(Object.keys(d.z ?? {}).map((k) => [k, r.grid.map(() => mean(d.z![k] as ArrayLike<number>))])), x: Object.fromEntries(Object.keys(d.x ?? {}).map((k) => [k, r.grid.map(() => 0)])) });
    const lines = (spec.layer as Array<{ data: { values: Row[] } }>)[2].data.values;
    expect(lines[3].mean as number).toBeCloseTo(pr.componentMeans[3][0], 4);
    function mean(c: ArrayLike<number>): number {
      let s = 0, k = 0;
      for (let i = 0; i < c.length; i++) if (i !== 7) { s += c[i]; k++; }
      return s / k;
    }
  });
});

describe("renderSvg and renderHtml", async () => {
  const cols = readReference("sim_ws_n300.csv");
  const data = wsData(cols);
  const res = await fit(data, { K: 2, bandwidth: 0.3, grid: 20, seed: 1 });
  const bands = await confidenceBands(res, data, { method: "extreme-value" });

  test("the SVG has one estimate line per curve (two dashed per curve with pointwise), in the component colours", async () => {
    const svg = await renderSvg(plotSpec(res, bands, { pointwise: true }));
    expect(svg.startsWith("<svg")).toBe(true);
    const lines = linePaths(svg);
    const solid = lines.filter((l) => !l.dash), dashed = lines.filter((l) => l.dash);
    expect(solid.length).toBe(res.curves.length);
    expect(dashed.length).toBe(2 * res.curves.length);
    expect(solid.filter((l) => l.stroke === COMPONENT_COLOURS[0]).length).toBe(res.curves.length / 2);
    expect(solid.filter((l) => l.stroke === COMPONENT_COLOURS[1]).length).toBe(res.curves.length / 2);
    // one shaded band per curve
    const areas = [...svg.matchAll(/<g class="mark-area role-mark[^"]*"[^>]*>(.*?)<\/g>/gs)].flatMap((g) => [...g[1].matchAll(/<path /g)]);
    expect(areas.length).toBe(res.curves.length);
    for (const t of ["expert: z1", "σ (standard deviation)", "gating logit (centred): x1", "extreme-value"]) expect(svg).toContain(t);
  });

  test("the data plot renders its points and K mean lines", async () => {
    const svg = await renderSvg(dataPlotSpec(res, data));
    expect((svg.match(/<path /g) ?? []).length).toBeGreaterThanOrEqual(cols.y.length);
    // one line per component, more where it is split into solid and dashed (sparse) runs
    const segments = new Set((dataPlotSpec(res, data).layer as Array<{ data: { values: Row[] } }>)[2].data.values.map((r) => r.segment)).size;
    expect(segments).toBeGreaterThanOrEqual(2);
    expect(linePaths(svg).filter((l) => COMPONENT_COLOURS.slice(0, 2).includes(l.stroke)).length).toBe(segments);
  });

  test("the HTML page inlines Vega and the compiled spec, with nothing that ends a script early", async () => {
    const html = await renderHtml(plotSpec(res, bands), "Curves <test>");
    expect(html).toContain("<title>Curves &#60;test&#62;</title>");
    expect((html.match(/<script>/g) ?? []).length).toBe(2);
    expect((html.match(/<\/script>/gi) ?? []).length).toBe(2);
    expect(html).toContain("vega.View(vega.parse(spec)");
    expect(html.length).toBeGreaterThan(300_000); // Vega's script is inlined: the page works offline
    await expect(renderSvg(null as never)).rejects.toThrow(/spec/);
  });
});
