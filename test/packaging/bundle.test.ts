// The package as an app builder meets it: what `npm pack` would ship (no source maps,
// nothing unused, no lifecycle script that needs files left out), and tiny apps that
// import "vcmoe", "vcmoe/browser" and "vcmoe/plot" from that file set, bundled by esbuild
// for the browser (no errors, no warnings, nothing of Node), then run in Chromium with
// results equal to Node's.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import * as esbuild from "esbuild";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { confidenceBands, fit, simulate } from "../../src/index.js";
import { browserTest, BrowserPage, contentType } from "../helpers/browser.js";
import { repoRoot } from "../helpers/data.js";

const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));

/** The files `npm pack` would put in the tarball (lifecycle scripts not run). */
function packedFiles(): string[] {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  return (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0].files.map((f) => f.path);
}

/** Every file named by package.json "exports" (all conditions). */
function exportTargets(): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === "string") out.push(v.replace(/^\.\//, ""));
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(pkg.exports);
  walk(pkg.bin); // the command line is shipped as a bin target
  return out;
}

let files: string[] = [];
let app = "";

beforeAll(() => {
  files = packedFiles();
  // an app folder with the packed files installed as node_modules/vcmoe
  app = mkdtempSync(join(tmpdir(), "vcmoe-app-"));
  for (const f of [...files, "package.json"]) {
    const to = join(app, "node_modules/vcmoe", f);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(join(repoRoot, f), to);
  }
  // the optional peer dependencies, as an app that plots would install them
  for (const p of ["vega", "vega-lite"]) symlinkSync(join(repoRoot, "node_modules", p), join(app, "node_modules", p), "dir");
});

afterAll(() => { if (app) rmSync(app, { recursive: true, force: true }); });

describe("what npm pack ships", () => {
  test("the exported files and their types, and nothing else: no source maps, no unused wasm file", () => {
    expect(files.filter((f) => f.endsWith(".map"))).toEqual([]);
    expect(files.filter((f) => f.startsWith("build/"))).toEqual([]);
    const targets = exportTargets();
    for (const t of targets.filter((t) => t !== "package.json")) expect(files, `export target ${t}`).toContain(t);
    // every shipped script is an export target (worker scripts included): none is unused
    expect(files.filter((f) => f.endsWith(".js")).sort()).toEqual(targets.filter((t) => t.endsWith(".js")).filter((t, i, a) => a.indexOf(t) === i).sort());
    expect(files.filter((f) => !f.endsWith(".js") && !f.endsWith(".d.ts") && f !== "README.md" && f !== "package.json")).toEqual([]);
  });

  test("no install-time script (a tarball must not run scripts it does not contain)", () => {
    for (const s of ["preinstall", "install", "postinstall", "prepare"]) expect(pkg.scripts?.[s], s).toBeUndefined();
  });

  test("runtime dependencies are small: no @stdlib, vega and vega-lite only as optional peers", () => {
    expect(Object.keys(pkg.dependencies).sort()).toEqual(["papaparse", "workerpool"]);
    expect(pkg.peerDependenciesMeta).toEqual({ vega: { optional: true }, "vega-lite": { optional: true } });
  });
});

async function bundle(source: string, name: string, format: "esm" | "iife" = "esm") {
  writeFileSync(join(app, `${name}.js`), source);
  return esbuild.build({
    entryPoints: [join(app, `${name}.js`)], bundle: true, platform: "browser", format, outfile: join(app, "www", `${name}.bundle.js`),
    metafile: true, logLevel: "silent", absWorkingDir: app,
  });
}

// import syntax naming a Node module (workerpool carries its own worker script as a string
// that mentions require("worker_threads"): text inside a string literal is not an import)
const NODE_IMPORT = /(from\s*["'](node:|worker_threads|os|child_process)["']|import\(["'](node:|worker_threads|os|child_process))/;

/** External imports left in the bundle's output (a Node built-in would be one). */
const externalImports = (r: esbuild.BuildResult): string[] => Object.values(r.metafile!.outputs).flatMap((o) => o.imports.map((i) => i.path));

describe("esbuild --bundle --platform=browser of apps using the package", () => {
  test("an app importing vcmoe and vcmoe/browser: no warnings, no Node built-ins, no Vega", async () => {
    const src = `import { fit, simulate, plotSpec } from "vcmoe";\nimport * as browser from "vcmoe/browser";\nwindow.app = { fit, simulate, plotSpec, browser };\n`;
    for (const format of ["esm", "iife"] as const) {
      const r = await bundle(src, `fitapp-${format}`, format);
      expect(r.errors).toEqual([]);
      expect(r.warnings).toEqual([]);
      const inputs = Object.keys(r.metafile!.inputs);
      // the browser condition resolves both imports to the one fully bundled file
      expect(inputs.sort()).toEqual([`fitapp-${format}.js`, "node_modules/vcmoe/dist/vcmoe.browser.js"]);
      expect(externalImports(r)).toEqual([]);
      expect(readFileSync(join(app, "www", `fitapp-${format}.bundle.js`), "utf8")).not.toMatch(NODE_IMPORT);
    }
  });

  test("an app importing vcmoe/plot bundles the optional Vega packages with no warnings", async () => {
    const r = await bundle(`import { plotSpec, renderSvg } from "vcmoe/plot";\nimport { fit } from "vcmoe";\nwindow.app = { fit, plotSpec, renderSvg };\n`, "plotapp");
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    const inputs = Object.keys(r.metafile!.inputs);
    expect(inputs).toContain("node_modules/vcmoe/dist/plot.browser.js");
    expect(inputs.some((i) => /node_modules\/vega\//.test(i) || /vega[\\/]build/.test(i))).toBe(true);
    expect(inputs.filter((i) => i.includes("vcmoe/dist/")).sort()).toEqual(["node_modules/vcmoe/dist/plot.browser.js", "node_modules/vcmoe/dist/vcmoe.browser.js"]);
    expect(externalImports(r)).toEqual([]);
    expect(readFileSync(join(app, "www", "plotapp.bundle.js"), "utf8")).not.toMatch(NODE_IMPORT);
  });
});

describe("the bundled apps in Chromium", () => {
  let bp: BrowserPage | undefined;
  afterAll(async () => { await bp?.close(); });

  browserTest("a fit, a bootstrap band on a Web Worker and an SVG plot equal Node's", { timeout: 120_000 }, async () => {
    const src = `import { fit, simulate, confidenceBands, plotSpec } from "vcmoe";
import { renderSvg } from "vcmoe/plot";
window.run = async (options, bandOptions) => {
  const { data } = await simulate({ scenario: "ws", n: 300, seed: 2 });
  const res = await fit(data, options);
  const bands = await confidenceBands(res, data, { ...bandOptions, workerScript: "/worker.browser.js" });
  const svg = await renderSvg(plotSpec(res, bands));
  return { logLik: res.logLik, curves: res.curves, bands: bands.curves, paths: (svg.match(/<path /g) || []).length, svgStart: svg.slice(0, 4) };
};
window.ready = true;
`;
    const r = await bundle(src, "runapp");
    expect(r.warnings).toEqual([]);
    const www = join(app, "www");
    bp = new BrowserPage({
      "/": { body: `<!doctype html><meta charset="utf-8"><script type="module" src="/runapp.bundle.js"></script>`, type: contentType(".html") },
      "/runapp.bundle.js": { body: readFileSync(join(www, "runapp.bundle.js"), "utf8"), type: contentType(".js") },
      "/worker.browser.js": { body: readFileSync(join(app, "node_modules/vcmoe/dist/worker.browser.js"), "utf8"), type: contentType(".js") },
    });
    const page = await bp.open("/");
    await page.waitForFunction(() => (window as any).ready === true, undefined, { timeout: 30_000 });
    const options = { K: 2, bandwidth: 0.3, grid: 12, seed: 1 };
    const bandOptions = { method: "bootstrap" as const, B: 4, seed: 5, workers: 1 };
    const got = await page.evaluate(([o, b]) => (window as any).run(o, b), [options, bandOptions] as const);
    expect(bp.errors, "errors in the page").toEqual([]);
    const { data } = await simulate({ scenario: "ws", n: 300, seed: 2 });
    const res = await fit(data, options);
    const bands = await confidenceBands(res, data, bandOptions);
    expect(got.logLik).toBe(res.logLik);
    expect(got.curves).toEqual(res.curves);
    expect(got.bands).toEqual(bands.curves);
    expect(got.svgStart).toBe("<svg");
    expect(got.paths).toBeGreaterThan(2 * res.curves.length);
  });
});
