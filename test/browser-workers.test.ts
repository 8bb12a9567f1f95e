// Web Workers in Chromium: the browser bundle (dist/vcmoe.browser.js) starts its
// pool's module workers from dist/worker.browser.js, and a bootstrap band computed
// there on 2 workers equals the one computed in Node (same seed). Browser set-up and
// the skip rule: test/helpers/browser.ts.
import type { Page } from "playwright-core";
import { afterAll, expect } from "vitest";
import { confidenceBands, fit, glrt, simulate } from "../src/index.js";
import { browserTest, openBundlePage, type BrowserPage } from "./helpers/browser.js";

const ROOT = new URL("..", import.meta.url);
let bp: BrowserPage | undefined;
let page: Page;
let pageErrors: string[] = [];
let ready: Promise<void> | undefined;
const setUp = (): Promise<void> => (ready ??= openBundlePage(ROOT).then((b) => { bp = b; page = b.page; pageErrors = b.errors; }));

afterAll(async () => { await bp?.close(); });

browserTest("bootstrap band on 2 Web Workers in Chromium equals Node's", { timeout: 120_000 }, async () => {
  await setUp();
  const { data } = await simulate({ n: 300, seed: 8 });
  const options = { K: 2, bandwidth: 0.25, grid: 10, seed: 1, backend: "wasm" as const };
  const bandOptions = { method: "bootstrap" as const, B: 6, seed: 42, workers: 2 };
  const inBrowser = await page.evaluate(async ({ d, options, bandOptions }) => {
    const v = (window as any).vcmoe;
    const pool = await v.runParallel({ kind: "vcmoe:selftest", payload: { factor: 2 }, count: 5 }, { workers: 2 });
    const res = await v.fit(d, options);
    const progress: number[] = [];
    const bands = await v.confidenceBands(res, d, { ...bandOptions, onProgress: (p: { done: number }) => progress.push(p.done) });
    return { selftest: pool.outcomes.map((o: { value: number }) => o.value), bands, progress };
  }, { d: data, options, bandOptions });
  expect(pageErrors, "errors in the page").toEqual([]);
  expect(inBrowser.selftest).toEqual([0, 2, 8, 18, 32]);
  expect(Math.max(...inBrowser.progress)).toBe(6);
  const res = await fit(data, options);
  const inNode = await confidenceBands(res, data, bandOptions);
  expect(inBrowser.bands.details.bootstrap.succeeded).toBe(6);
  expect(inBrowser.bands.curves).toEqual(inNode.curves);
  expect(inBrowser.bands.details.bootstrap.statistics).toEqual(inNode.details.bootstrap!.statistics);
});

browserTest("GLRT bootstrap on 2 Web Workers in Chromium equals Node's", { timeout: 120_000 }, async () => {
  await setUp();
  const { data } = await simulate({ n: 300, seed: 5 });
  const options = { K: 2, bandwidth: 0.3, grid: 20, backend: "wasm" as const };
  const testOptions = { coefficient: { part: "expert" as const, component: 1, term: "z1" }, B: 4, seed: 9, workers: 2 };
  const inBrowser = await page.evaluate(async ({ d, options, testOptions }) => {
    const r = await (window as any).vcmoe.glrt(d, options, testOptions);
    return { statistic: r.statistic, pBoot: r.pValueBootstrap, workers: r.bootstrap.workers, replicates: r.bootstrap.replicates };
  }, { d: data, options, testOptions });
  expect(pageErrors, "errors in the page").toEqual([]);
  const inNode = await glrt(data, options, testOptions);
  expect(inBrowser.workers).toBe(2);
  expect(inBrowser.statistic).toBe(inNode.statistic);
  expect(inBrowser.pBoot).toBe(inNode.pValueBootstrap);
  expect(inBrowser.replicates).toEqual(inNode.bootstrap!.replicates);
});
