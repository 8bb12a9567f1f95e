// Builds the browser demo (demo/) into a static folder, build/demo/ by default: the page,
// its script and Web Worker bundled by esbuild (the library through its "browser" export,
// Vega and Vega-Lite included), the library's pool worker script, and the example data.
// Any static host can serve the folder; `npm run demo` serves it locally.
//   node scripts/build-demo.mjs [outdir]
import { copyFileSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export async function buildDemo(outdir = join(root, "build/demo")) {
  for (const f of ["dist/vcmoe.browser.js", "dist/worker.browser.js"]) {
    if (!existsSync(join(root, f))) throw new Error(`${f} is missing: run \`npm run build\` first`);
  }
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(join(outdir, "data"), { recursive: true });
  // "vcmoe" is this package, resolved as an app's bundler would: its browser export
  const self = {
    name: "vcmoe-self",
    setup(build) {
      build.onResolve({ filter: /^vcmoe$/ }, () => ({ path: join(root, "dist/vcmoe.browser.js") }));
    },
  };
  const result = await esbuild.build({
    entryPoints: { app: join(root, "demo/app.ts"), fitWorker: join(root, "demo/fitWorker.ts") },
    outdir, bundle: true, format: "esm", platform: "browser", target: "es2022", minify: true,
    plugins: [self], logLevel: "silent", metafile: true,
  });
  copyFileSync(join(root, "dist/worker.browser.js"), join(outdir, "worker.browser.js"));
  for (const f of ["index.html", "style.css"]) copyFileSync(join(root, "demo", f), join(outdir, f));
  for (const f of ["examples/data/ws_n1000.csv", "data/hsmm_markers.csv", "data/seizure.csv"]) copyFileSync(join(root, f), join(outdir, "data", f.split("/").pop()));
  return { outdir, warnings: result.warnings, errors: result.errors, metafile: result.metafile };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = await buildDemo(process.argv[2] ? resolve(process.argv[2]) : undefined);
  for (const w of r.warnings) console.warn(`warning: ${w.text}`);
  console.log(`demo built: ${r.outdir}`);
}
