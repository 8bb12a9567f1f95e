// Bundles the TypeScript API (with both core builds) into dist/ as ESM for Node
// and browsers, and emits type declarations.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const common = { bundle: true, format: "esm", target: "es2022", logLevel: "warning", sourcemap: true };
// Node built-ins that workerpool's browser build only requires when it runs under Node
const browserExternal = ["node:*", "worker_threads", "os", "child_process"];
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
// The library bundle leaves runtime dependencies to the consumer's package manager;
// dist/vcmoe.browser.js bundles everything for a plain <script type="module">.
await esbuild.build({ ...common, entryPoints: [join(root, "src/index.ts")], outfile: join(root, "dist/index.js"), platform: "neutral",
  external: ["node:*", ...Object.keys(pkg.dependencies ?? {})] });
await esbuild.build({ ...common, entryPoints: [join(root, "src/index.ts")], outfile: join(root, "dist/vcmoe.browser.js"), platform: "browser",
  external: browserExternal });
// Worker scripts of the parallel pool (src/parallel/worker.ts): for Node worker_threads
// (dependencies left to the package manager, like dist/index.js) and, fully bundled,
// for browser module Web Workers. src/parallel/pool.ts finds them beside the bundles.
await esbuild.build({ ...common, entryPoints: [join(root, "src/parallel/worker.ts")], outfile: join(root, "dist/worker.js"), platform: "neutral",
  external: ["node:*", ...Object.keys(pkg.dependencies ?? {})] });
await esbuild.build({ ...common, entryPoints: [join(root, "src/parallel/worker.ts")], outfile: join(root, "dist/worker.browser.js"), platform: "browser",
  external: browserExternal });
if (!process.argv.includes("--no-types")) {
  execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
}
// vcmoe/plot: the renderers load the optional peer dependencies vega and vega-lite.
await esbuild.build({ ...common, entryPoints: [join(root, "src/plot/index.ts")], outfile: join(root, "dist/plot.js"), platform: "neutral",
  external: ["node:*", ...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})] });
console.log("library built: dist/index.js");
