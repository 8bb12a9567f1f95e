// Node: the source of Vega's standalone browser build (vega/build/vega.min.js, a
// UMD script defining `vega`), inlined by renderHtml so the page works offline.
// Browser builds of the library swap this module for ./vegaScript.browser.ts.
export async function vegaScript(): Promise<string> {
  const { createRequire } = await import("node:module");
  const { readFile } = await import("node:fs/promises");
  const { dirname, join } = await import("node:path");
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve("vega");
  } catch {
    throw new Error("renderHtml needs the 'vega' and 'vega-lite' packages: npm install vega vega-lite");
  }
  // the package's entry is build/vega.module.js; the standalone build sits beside it
  return readFile(join(dirname(entry), "vega.min.js"), "utf8");
}
