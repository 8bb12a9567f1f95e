// Web Workers in Chromium: the browser bundle (dist/vcmoe.browser.js) starts its
// pool's module workers from dist/worker.browser.js, and a bootstrap band computed
// there on 2 workers equals the one computed in Node (same seed). Chromium is
// Debian's package (/usr/bin/chromium) driven by playwright-core, as in
// test/browser.test.ts (owned by the CI/browser work); without it this test fails.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, expect, test } from "vitest";
import { confidenceBands, fit, glrt, simulate } from "../src/index.js";

const CHROMIUM = "/usr/bin/chromium";
const ROOT = new URL("..", import.meta.url);
const PAGE = `<!doctype html><meta charset="utf-8"><title>vcmoe workers</title>
<script type="module">
import * as vcmoe from "/vcmoe.browser.js";
window.vcmoe = vcmoe;
window.vcmoeReady = true;
</script>`;

let server: Server | undefined;
let context: BrowserContext | undefined;
let profileDir: string | undefined;
let page: Page;
const pageErrors: string[] = [];

function serve(): Promise<Server> {
  const files: Record<string, string> = { "/vcmoe.browser.js": "dist/vcmoe.browser.js", "/worker.browser.js": "dist/worker.browser.js" };
  const s = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path === "/") { res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE); return; }
    const f = files[path] ? new URL(files[path], ROOT) : null;
    if (!f || !existsSync(f)) { res.writeHead(404).end(); return; }
    res.writeHead(200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-store" }).end(readFileSync(f));
  });
  return new Promise((resolve, reject) => { s.once("error", reject); s.listen(0, "127.0.0.1", () => resolve(s)); });
}

async function setUp(): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y --no-install-recommends chromium`);
  if (!existsSync(new URL("dist/worker.browser.js", ROOT))) throw new Error("dist/worker.browser.js is missing: run `npm run build`");
  server = await serve();
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  profileDir = mkdtempSync(join(tmpdir(), "vcmoe-chromium-workers-"));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM, headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  await context.route("**/*", (route) => (route.request().url().startsWith(origin + "/") ? route.continue() : route.abort()));
  page = context.pages()[0] ?? (await context.newPage());
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") pageErrors.push(m.text()); });
  await page.goto(origin + "/");
  await page.waitForFunction(() => (window as any).vcmoeReady === true, undefined, { timeout: 30_000 });
}

afterAll(async () => {
  await context?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

test("bootstrap band on 2 Web Workers in Chromium equals Node's", { timeout: 120_000 }, async () => {
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

test("GLRT bootstrap on 2 Web Workers in Chromium equals Node's", { timeout: 120_000 }, async () => {
  if (!page) await setUp();
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
