// The browser demo (demo/, built by scripts/build-demo.mjs) in real Chromium, driven as a user
// would: drop a bad CSV, upload the example CSV, fit, compute a bootstrap band, read the plot,
// the summary and both downloads, cancel a long bootstrap, fit a real-data example in one click.
// Numbers must equal the library's in Node on the same data. A screenshot of the finished page
// is saved to build/demo-screenshot.png.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, describe, expect, test } from "vitest";
import { buildDemo } from "../../scripts/build-demo.mjs";
import { confidenceBands, fit, type ConfidenceBands, type VCMoEData, type VCMoEFit } from "../../src/index.js";
import { browserTest, BrowserPage, contentType } from "../helpers/browser.js";
import { readExample, readReference, repoRoot, wsData } from "../helpers/data.js";
import { axisLabels, buildData, curvesCsv, curveTable, parseTable, type ColumnChoice } from "../../demo/model.js";

const OUT = join(repoRoot, "build/demo-test");
const EXAMPLE_CSV = join(repoRoot, "examples/data/ws_n1000.csv");

interface DemoState { res: VCMoEFit | null; bands: ConfidenceBands | null; busy: boolean; df: number | null; data: VCMoEData | null }
const demoState = (page: Page) => page.evaluate(() => {
  const s = (window as any).vcmoeDemo.state; // not the Vega views: only what the test reads
  return { res: s.res, bands: s.bands, busy: s.busy, df: s.df, data: s.data } as DemoState;
});
const idle = (page: Page, what: "res" | "bands", timeout = 120_000) =>
  page.waitForFunction((w) => { const s = (window as any).vcmoeDemo.state; return !s.busy && s[w] !== null; }, what, { timeout });

/** Line and area marks in a Vega SVG: [paths of line marks, paths of area marks]. */
function marks(svg: string): { lines: number; areas: number } {
  const count = (cls: string) => [...svg.matchAll(new RegExp(`<g class="mark-${cls} role-mark[^"]*"[^>]*>(.*?)</g>`, "gs"))]
    .reduce((s, g) => s + (g[1].match(/<path /g) ?? []).length, 0);
  return { lines: count("line"), areas: count("area") };
}

describe("demo model helpers (Node)", () => {
  test("CSV, roles and transforms give the data the library would be called with", () => {
    const table = parseTable("a,b,c,d\r\n1,\"2\",0,x\n3,4,1.5,y\n\n5,NA,3,z\n");
    expect(table.rows).toBe(3);
    const choices: Record<string, ColumnChoice> = { a: { role: "y", transform: "none" }, b: { role: "u", transform: "none" }, c: { role: "z", transform: "log1p" }, d: { role: "", transform: "none" } };
    const data = buildData(table, choices);
    expect(data.y).toEqual([1, 3, 5]);
    expect(data.u).toEqual([2, 4, Number.NaN]);
    expect(data.z).toEqual({ "log1p(c)": [0, Math.log1p(1.5), Math.log1p(3)] });
    // a text column is a categorical covariate (the library codes it as a factor), never a number
    expect(buildData(table, { ...choices, d: { role: "x", transform: "none" } }).x).toEqual({ d: ["x", "y", "z"] });
    expect(() => buildData(table, { ...choices, d: { role: "x", transform: "log1p" } })).toThrow(/column 'd' is text \(categorical\): it takes no transform/);
    expect(() => buildData(table, { ...choices, a: { role: "", transform: "none" }, d: { role: "y", transform: "none" } })).toThrow(/column 'd' has text in row 2 \('x'\)/);
    expect(() => buildData(table, { ...choices, c: { role: "y", transform: "none" } })).toThrow(/one response \(y\) column \(now: a, c\)/);
    expect(() => buildData(table, { ...choices, b: { role: "", transform: "none" } })).toThrow(/choose the index \(u\) column/);
    expect(() => buildData(table, { ...choices, c: { role: "z", transform: "log" } })).toThrow(/log needs positive values \(row 2 has 0\)/);
    expect(() => parseTable("a,b\n1,2,3\n")).toThrow(/row 2 has 3 fields/);
  });

  test("a text column as a gating covariate is fitted as a factor: one gating curve per non-reference level", async () => {
    const table = parseTable(readFileSync(join(repoRoot, "data/seizure.csv"), "utf8"));
    const choices: Record<string, ColumnChoice> = Object.fromEntries(table.names.map((n) => [n, { role: "", transform: "none" } as ColumnChoice]));
    choices.Seizures.role = "y"; choices.Day.role = "u"; choices.Treatment.role = "x"; choices.Hours = { role: "offset", transform: "log" };
    const data = buildData(table, choices);
    const res = await fit(data, { family: "poisson", K: 2, bandwidth: 0.4, grid: 10, seed: 1 });
    const gatingTerms = [...new Set(res.curves.filter((c) => c.part === "gating").map((c) => c.term))];
    expect(gatingTerms).toEqual(["(Intercept)", "Treatment=Yes"]);
    expect(res.model.factors?.[0]).toMatchObject({ part: "x", column: "Treatment", levels: ["No", "Yes"], reference: "No" });
  });

  test("curves CSV: one row per curve and grid point, with the band's limits", async () => {
    const cols = readReference("sim_ws_n300.csv");
    const data = wsData(cols);
    const res = await fit(data, { K: 2, bandwidth: 0.3, grid: 12, seed: 1 });
    const bands = await confidenceBands(res, data, { method: "extreme-value" });
    const lines = curvesCsv(res, bands).trim().split("\n");
    expect(lines[0]).toBe("u,part,component,term,estimate,se,lower,upper,critical_value");
    expect(lines.length - 1).toBe(res.curves.length * res.grid.length);
    const [u, part, comp, term, est, , lo, hi, cv] = lines[1].split(",");
    const c = res.curves[0], b = bands.curves[0];
    expect([Number(u), part, Number(comp), term, Number(est)]).toEqual([res.grid[0], c.part, c.component, c.term, c.values[0]]);
    expect([Number(lo), Number(hi), Number(cv)]).toEqual([b.lower[0], b.upper[0], b.criticalValue]);

    // the summary table: both ends and the quartiles of the grid; limits only where the band exists
    const noBand = { ...bands, curves: bands.curves.map((x) => ({ ...x, lower: x.lower.map(() => Number.NaN), upper: x.upper.map(() => Number.NaN) })) };
    const withBand = curveTable(res, bands), without = curveTable(res, noBand);
    // u spans 0.98 here: three significant digits of the span are three decimals
    expect(res.grid[11] - res.grid[0]).toBeGreaterThan(0.1);
    expect(res.grid[11] - res.grid[0]).toBeLessThan(1);
    expect(withBand.head).toEqual(["curve", ...[0, 3, 6, 8, 11].map((j) => `u = ${res.grid[j].toFixed(3)}`)]);
    expect(withBand.rows[0][1]).toBe(`${Number(c.values[0].toPrecision(4))} [${Number(b.lower[0].toPrecision(3))}, ${Number(b.upper[0].toPrecision(3))}]`);
    expect(without.rows[0][1]).toBe(`${Number(c.values[0].toPrecision(4))}`);
  });

  test("axis titles name the chosen columns; counts with a log offset are drawn as rates", () => {
    const choices: Record<string, ColumnChoice> = { Seizures: { role: "y", transform: "none" }, Day: { role: "u", transform: "none" }, Hours: { role: "offset", transform: "log" } };
    expect(axisLabels(choices, "poisson")).toEqual({ y: "Seizures / Hours", u: "Day" });
    expect(axisLabels(choices, "gaussian")).toEqual({ y: "Seizures", u: "Day" });
    expect(axisLabels({ ...choices, Hours: { role: "offset", transform: "none" } }, "negbin").y).toBe("Seizures / exp(Hours)");
    expect(axisLabels({ k: { role: "y", transform: "none" }, n: { role: "trials", transform: "none" } }, "binomial")).toEqual({ y: "k / n", u: undefined });
    expect(axisLabels({ TNNT1: { role: "y", transform: "log1p" } }, "gaussian").y).toBe("log1p(TNNT1)");
  });
});

describe("the demo in Chromium", () => {
  let bp: BrowserPage | undefined;
  afterAll(async () => { await bp?.close(); });

  browserTest("upload, fit, bootstrap band, plot, summary and download; numbers equal Node's; cancel; real-data examples", { timeout: 240_000 }, async () => {
    const built = await buildDemo(OUT);
    expect(built.errors).toEqual([]);
    expect(built.warnings).toEqual([]);
    bp = new BrowserPage({}, (path) => {
      const rel = path === "/" ? "index.html" : path.slice(1);
      if (rel.includes("..")) return null;
      return { file: new URL(`file://${join(OUT, rel)}`), type: contentType(rel) };
    });
    const page = await bp.open("/");
    await page.waitForFunction(() => (window as any).vcmoeDemo !== undefined, undefined, { timeout: 30_000 });
    await page.evaluate(() => (window as any).vcmoeDemo.ready());

    // 0. a file dropped on the page is read; a ragged one gets a message naming the row
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(["a,b\n1,2\n3\n"], "ragged.csv", { type: "text/csv" }));
      document.getElementById("drop")!.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    await page.waitForFunction(() => document.getElementById("status-text")!.className === "error");
    expect(await page.textContent("#status-text")).toBe("CSV: row 3 has 1 fields, the header has 2");

    // 1. upload the example CSV; the roles y, u, z1 -> z, x1 -> x are guessed from the names
    await page.setInputFiles("#file", EXAMPLE_CSV);
    await page.waitForSelector("#columns:not([hidden])");
    expect(await page.textContent("#data-info")).toBe("ws_n1000.csv: 1000 rows, 5 columns");
    expect(await page.inputValue("select[name='role:z1']")).toBe("z");
    expect(await page.inputValue("select[name='role:component']")).toBe("");
    await page.fill("#bandwidth", "0.25");
    await page.fill("#grid", "20");
    await page.click("#fit");
    await idle(page, "res");
    const { res } = await demoState(page);

    const data = wsData(readExample());
    const nodeRes = await fit(data, { K: 2, family: "gaussian", bandwidth: 0.25, grid: 20, seed: 1, missing: "drop" });
    expect(res!.logLik).toBe(nodeRes.logLik);
    expect(res!.curves).toEqual(nodeRes.curves);
    expect(await page.textContent("#facts")).toContain(`log-likelihood${nodeRes.logLik.toFixed(4)}`);
    const plain = marks(await page.innerHTML("#curves-plot"));
    expect(plain).toEqual({ lines: nodeRes.curves.length, areas: 0 });

    // 2. a parametric bootstrap band on two pool workers inside the demo's worker (Node runs the
    // replicates in its own thread: each replicate is seeded by its index, so the split does not matter)
    await page.selectOption("#band-method", "bootstrap:parametric");
    await page.fill("#B", "10");
    await page.fill("#workers", "2");
    await page.click("#bands");
    await idle(page, "bands");
    const { bands } = await demoState(page);
    const nodeBands = await confidenceBands(nodeRes, data, { method: "bootstrap", bootstrap: "parametric", B: 10, level: 0.95, seed: 1, workers: 0 });
    expect(bands!.curves).toEqual(nodeBands.curves);
    const banded = marks(await page.innerHTML("#curves-plot"));
    expect(banded).toEqual({ lines: nodeRes.curves.length, areas: nodeRes.curves.length });
    const first = nodeBands.curves[0];
    expect(await page.textContent("#curve-table")).toContain(`${Number(first.estimate[0].toPrecision(4))} [${Number(first.lower[0].toPrecision(3))}, ${Number(first.upper[0].toPrecision(3))}]`);
    await page.check("#pointwise");
    await page.waitForFunction((n) => document.querySelectorAll("#curves-plot g.mark-line path").length === n, 3 * nodeRes.curves.length);
    await page.screenshot({ path: join(repoRoot, "build/demo-screenshot.png"), fullPage: true });

    // 3. the curves CSV download
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#dl-csv")]);
    const csv = readFileSync((await download.path())!, "utf8");
    expect(csv).toBe(curvesCsv(nodeRes, nodeBands));
    const [dlJson] = await Promise.all([page.waitForEvent("download"), page.click("#dl-json")]);
    const saved = JSON.parse(readFileSync((await dlJson.path())!, "utf8"));
    expect(saved.result.logLik).toBe(nodeRes.logLik);
    expect(saved.result.curves).toEqual(nodeRes.curves);
    expect(saved.bands.curves).toEqual(nodeBands.curves);

    // 4. Cancel stops a long bootstrap; the fresh worker then serves the next request
    await page.fill("#B", "5000");
    await page.click("#bands");
    await page.waitForFunction(() => Number((document.getElementById("progress") as HTMLProgressElement).value) > 0, undefined, { timeout: 60_000 });
    await page.click("#cancel");
    expect(await page.textContent("#status-text")).toBe("cancelled");
    expect((await demoState(page)).busy).toBe(false);
    await page.selectOption("#band-method", "multiplier");
    await page.click("#bands");
    await page.waitForFunction(() => { const s = (window as any).vcmoeDemo.state; return !s.busy && s.bands?.method === "multiplier"; }, undefined, { timeout: 60_000 });

    // 5. one click to a real-data example: seizure counts, Poisson with log(Hours) offset
    await page.click("button[data-example='seizure']");
    await page.waitForFunction(() => (window as any).vcmoeDemo.state.res === null);
    await page.click("#fit");
    await idle(page, "res");
    const { res: seizure, data: pageData } = await demoState(page);
    // the page's data are the columns with log(Hours) as the offset; Chromium's Math.log may
    // differ from Node's in the last bit (log(3) does), so Node fits the page's own data
    const cols = readReference("seizure.csv");
    expect(pageData!.y).toEqual(cols.Seizures);
    expect(pageData!.u).toEqual(cols.Day);
    (pageData!.offset as number[]).forEach((o, i) => expect(Math.abs(o - Math.log(cols.Hours[i]))).toBeLessThanOrEqual(4e-16 * Math.abs(o)));
    const nodeSeizure = await fit(pageData!, { K: 2, family: "poisson", bandwidth: 0.3, grid: 20, seed: 1, missing: "drop" });
    expect(seizure!.logLik).toBe(nodeSeizure.logLik);
    expect(seizure!.curves).toEqual(nodeSeizure.curves);
    expect(marks(await page.innerHTML("#curves-plot")).lines).toBe(nodeSeizure.curves.length);
    await page.click("#bands"); // count families have bands too
    await page.waitForFunction(() => { const s = (window as any).vcmoeDemo.state; return !s.busy && s.bands?.method === "multiplier" && s.bands.curves[0].estimate.length === 20; }, undefined, { timeout: 60_000 });
    const seizureBands = (await demoState(page)).bands!;
    expect(seizureBands.curves.map((c) => [c.part, c.component, c.term])).toEqual(nodeSeizure.curves.map((c) => [c.part, c.component, c.term]));
    for (const c of seizureBands.curves) expect(c.criticalValue).toBeGreaterThan(seizureBands.details.pointwiseCritical);

    // 6. the HSMM single cells are one click away too, set up as in docs/worked-example.md
    await page.click("button[data-example='hsmm']");
    await page.waitForFunction(() => /271 rows/.test(document.getElementById("data-info")!.textContent ?? ""));
    expect([await page.inputValue("select[name='role:TNNT1']"), await page.inputValue("select[name='transform:TNNT1']")]).toEqual(["y", "log1p"]);
    expect(await page.inputValue("select[name='role:Pseudotime']")).toBe("u");
    expect(await page.isChecked("#cv")).toBe(true);
    expect(bp.errors, "errors in the page").toEqual([]);
  });
});
