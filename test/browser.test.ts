// The browser bundle (dist/vcmoe.browser.js, built by `npm run build`) loads in headless
// Chromium, fits the bundled example data on the WebAssembly backend there, and gives the
// same numbers as Node. Chromium is Debian's package (or VCMOE_CHROMIUM), driven by
// playwright-core; no browser is ever downloaded. Without a browser these tests are skipped
// with a notice, except under VCMOE_REQUIRE_BROWSER=1 (.ci/run), where they fail.
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, expect } from "vitest";
import { fit, glrt, parseCsvColumns, simulate, type VCMoEFit } from "../src/index.js";
import { browserTest, openBundlePage, type BrowserPage } from "./helpers/browser.js";

const ROOT = new URL("..", import.meta.url);
const REL_TOL = 1e-12;
const FIT_OPTIONS = { K: 2, bandwidth: 0.25, seed: 1, backend: "wasm" } as const;

let bp: BrowserPage | undefined;
let page: Page;
let pageErrors: string[] = [];
// Set-up runs inside the tests (not in beforeAll): a failing beforeAll marks the tests
// "skipped" in the runner's counts, while a browser that fails to start must count as a failure.
let ready: Promise<void> | undefined;
const setUp = (): Promise<void> => (ready ??= openBundlePage(ROOT).then((b) => { bp = b; page = b.page; pageErrors = b.errors; }));

afterAll(async () => { await bp?.close(); });

/** Largest relative difference |a−b| / max(|a|,|b|) (0 when equal, Infinity when one is not finite). */
function relDiff(a: number, b: number): number {
  if (Object.is(a, b) || a === b) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

/** Walks two JSON-like values; returns the largest relative numeric difference and any structural mismatch. */
function compare(a: unknown, b: unknown, path = "result"): { maxRel: number; worst: string; mismatch: string | null } {
  let maxRel = 0, worst = "", mismatch: string | null = null;
  const walk = (x: unknown, y: unknown, p: string): void => {
    if (mismatch) return;
    if (typeof x === "number" && typeof y === "number") {
      const d = relDiff(x, y);
      if (d > maxRel) { maxRel = d; worst = `${p}: node ${x} vs browser ${y}`; }
    } else if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length) mismatch = `${p}: length ${x.length} vs ${y.length}`;
      else x.forEach((v, i) => walk(v, y[i], `${p}[${i}]`));
    } else if (x !== null && y !== null && typeof x === "object" && typeof y === "object") {
      const kx = Object.keys(x).filter((k) => (x as any)[k] !== undefined).sort();
      const ky = Object.keys(y).filter((k) => (y as any)[k] !== undefined).sort();
      if (kx.join() !== ky.join()) mismatch = `${p}: keys [${kx}] vs [${ky}]`;
      else kx.forEach((k) => walk((x as any)[k], (y as any)[k], `${p}.${k}`));
    } else if (x !== y) {
      mismatch = `${p}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`;
    }
  };
  walk(a, b, path);
  return { maxRel, worst, mismatch };
}

browserTest("browser bundle fits the example data on WebAssembly in Chromium, same numbers as Node", {}, async () => {
  await setUp();
  const cols = parseCsvColumns(readFileSync(new URL("examples/data/ws_n1000.csv", ROOT), "utf8"));
  const input = { y: cols.y, u: cols.u, z1: cols.z1, x1: cols.x1 };
  const inBrowser = await page.evaluate(async ({ d, options }) => {
    const v = (window as any).vcmoe;
    const res = await v.fit({ y: d.y, u: d.u, z: { z1: d.z1 }, x: { x1: d.x1 } }, options);
    return { wasm: typeof WebAssembly === "object", res };
  }, { d: input, options: FIT_OPTIONS });
  expect(pageErrors, "errors in the page").toEqual([]);
  expect(inBrowser.wasm, "WebAssembly available in Chromium").toBe(true);
  const b = inBrowser.res as VCMoEFit;
  const n = await fit({ y: cols.y, u: cols.u, z: { z1: cols.z1 }, x: { x1: cols.x1 } }, FIT_OPTIONS);

  expect(b.model.backend).toBe("wasm");
  expect(n.model.backend).toBe("wasm");
  expect(b.iterations).toBe(n.iterations);
  expect(b.converged).toBe(n.converged);
  expect(Number.isFinite(n.logLik)).toBe(true);
  expect(relDiff(n.logLik, b.logLik), `logLik node ${n.logLik} vs browser ${b.logLik}`).toBeLessThanOrEqual(REL_TOL);

  // Every curve, every value.
  expect(b.curves.map((c) => `${c.part}/${c.component}/${c.term}`)).toEqual(n.curves.map((c) => `${c.part}/${c.component}/${c.term}`));
  expect(n.curves.length).toBeGreaterThan(0);
  for (let k = 0; k < n.curves.length; k++) {
    const nc = n.curves[k], bc = b.curves[k];
    expect(bc.values.length).toBe(n.grid.length);
    const c = compare(nc.values, bc.values, `curve ${nc.part}/${nc.component}/${nc.term}`);
    expect(c.mismatch).toBeNull();
    expect(c.maxRel, c.worst).toBeLessThanOrEqual(REL_TOL);
  }
  // Posteriors (n × K).
  expect(n.posteriors.length).toBe(cols.y.length);
  const p = compare(n.posteriors, b.posteriors, "posteriors");
  expect(p.mismatch).toBeNull();
  expect(p.maxRel, p.worst).toBeLessThanOrEqual(REL_TOL);

  // Everything else in the result (grid, raw parameters, diagnostics) as well.
  const all = compare(n, b);
  console.log(`browser vs Node fit: iterations ${n.iterations}, largest relative difference over the whole result ${all.maxRel}${all.worst ? ` (${all.worst})` : ""}`);
  expect(all.mismatch).toBeNull();
  expect(all.maxRel, all.worst).toBeLessThanOrEqual(REL_TOL);
});

browserTest("simulate() in Chromium draws the same data as in Node", {}, async () => {
  await setUp();
  const inBrowser = await page.evaluate(async () => {
    const { data, component } = await (window as any).vcmoe.simulate({ n: 300, seed: 5 });
    return { y: data.y, u: data.u, z1: data.z.z1, x1: data.x.x1, component };
  });
  const s = await simulate({ n: 300, seed: 5 });
  const inNode: Record<string, number[]> = { y: s.data.y, u: s.data.u, z1: s.data.z.z1, x1: s.data.x.x1, component: s.component };
  expect(pageErrors, "errors in the page").toEqual([]);
  expect(inNode.y.length).toBe(300);
  // A seed must give identical data on every engine: exact equality, column by column.
  for (const [k, col] of Object.entries(inNode)) {
    const other = (inBrowser as Record<string, number[]>)[k];
    const rows = col.flatMap((v, i) => (Object.is(v, other[i]) ? [] : [i]));
    const maxRel = Math.max(0, ...rows.map((i) => relDiff(col[i], other[i])));
    expect(rows, `simulate column ${k}: ${rows.length} row(s) differ between Node and Chromium (max relative difference ${maxRel})`).toEqual([]);
    expect(other.length).toBe(col.length);
  }
});

browserTest("glrt() with its bootstrap in Chromium gives the same numbers as in Node", {}, async () => {
  await setUp();
  const opts = { K: 2, bandwidth: 0.3, grid: 20, backend: "wasm" } as const;
  const test_ = { coefficient: { part: "expert", component: 1, term: "z1" }, B: 3, seed: 9, workers: 0 } as const; // Web Workers: test/browser-workers.test.ts
  const summary = (r: Awaited<ReturnType<typeof glrt>>) => ({
    statistic: r.statistic, df: r.df, pAsym: r.pValueAsymptotic, pBoot: r.pValueBootstrap,
    lambdaStar: r.bootstrap!.replicates.map((x) => x.lambda), constants: r.nullFit.constants!.estimates,
  });
  const inBrowser = await page.evaluate(async ({ opts, test_ }) => {
    const v = (window as any).vcmoe;
    const { data } = await v.simulate({ n: 300, seed: 5 });
    const r = await v.glrt(data, opts, test_);
    return {
      statistic: r.statistic, df: r.df, pAsym: r.pValueAsymptotic, pBoot: r.pValueBootstrap,
      lambdaStar: r.bootstrap.replicates.map((x: { lambda: number }) => x.lambda), constants: r.nullFit.constants.estimates,
    };
  }, { opts, test_ });
  const { data } = await simulate({ n: 300, seed: 5 });
  const inNode = summary(await glrt(data, opts, test_));
  expect(pageErrors, "errors in the page").toEqual([]);
  expect(inBrowser.lambdaStar.length).toBe(3);
  for (const k of ["statistic", "df", "pAsym", "pBoot"] as const) {
    expect(relDiff(inNode[k] as number, inBrowser[k] as number), `${k}: node ${inNode[k]} vs browser ${inBrowser[k]}`).toBeLessThanOrEqual(REL_TOL);
  }
  inNode.lambdaStar.forEach((v, i) => expect(relDiff(v, inBrowser.lambdaStar[i])).toBeLessThanOrEqual(REL_TOL));
  inNode.constants.forEach((e, i) => {
    expect(relDiff(e.estimate, inBrowser.constants[i].estimate)).toBeLessThanOrEqual(REL_TOL);
    expect(relDiff(e.se, inBrowser.constants[i].se)).toBeLessThanOrEqual(REL_TOL);
  });
});
