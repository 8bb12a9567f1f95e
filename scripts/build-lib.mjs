// Bundles the TypeScript API (with both core builds) into dist/ as ESM, and emits type
// declarations. What ships (package.json "exports"):
//   dist/index.js          Node (and any ESM runtime): runtime dependencies left to the package manager
//   dist/vcmoe.browser.js  browsers: everything bundled, nothing of Node left in it; the "browser"
//                          condition of "vcmoe" and the file behind "vcmoe/browser"
//   dist/worker.js, dist/worker.browser.js   worker scripts of the parallel pool
//   dist/plot.browser.js   the "browser" condition of "vcmoe/plot": the plot functions with Vega
//                          imported from the app's node_modules (Node's "vcmoe/plot" is dist/index.js)
import { execFileSync } from "node:child_process";
import { chmodSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
// Source maps stay out of the package (they tripled its size); `--sourcemap` builds them for debugging.
const common = { bundle: true, format: "esm", target: "es2022", logLevel: "warning", sourcemap: process.argv.includes("--sourcemap") };
const packages = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})];

// Browser builds: a module X.node.ts is replaced by its twin X.browser.ts, and Node built-ins
// (reached only on code paths guarded by "is this Node?": workerpool's worker_threads/os/
// child_process, the pool's node:fs for finding its script) become a module that throws if it
// is ever evaluated. So the browser files import nothing of Node and bundlers (esbuild, Vite,
// webpack) take them without warnings or polyfills. `keep` lists twins not to swap.
const NODE_BUILTINS = /^(node:.*|worker_threads|os|child_process|fs|path|url|module)$/;
const browserPlugin = (keep = []) => ({
  name: "vcmoe-browser",
  setup(build) {
    build.onResolve({ filter: /\.node\.js$/ }, (args) => {
      if (keep.some((k) => args.path.endsWith(`/${k}.node.js`))) return undefined;
      return { path: join(args.resolveDir, args.path.replace(/\.node\.js$/, ".browser.ts")) };
    });
    build.onResolve({ filter: NODE_BUILTINS }, (args) => ({ path: args.path, namespace: "node-builtin-stub" }));
    build.onLoad({ filter: /.*/, namespace: "node-builtin-stub" }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`vcmoe (browser build): '${args.path}' is a Node module and is not available here`)});`,
      loader: "js",
    }));
  },
});

// dist/plot.browser.js imports the main browser file's code (plot specs, errors) instead of
// bundling a copy, so that an error it throws is `instanceof VCMoEInputError` of "vcmoe".
const sharedWithMain = {
  name: "vcmoe-shared-with-main",
  setup(build) {
    const shared = new Set([join(root, "src/index.ts"), join(root, "src/errors.ts")]);
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      const target = resolve(args.resolveDir, args.path).replace(/\.js$/, ".ts");
      return shared.has(target) ? { path: "./vcmoe.browser.js", external: true } : undefined;
    });
  },
};

const node = (entry, outfile) => esbuild.build({
  ...common, entryPoints: [join(root, entry)], outfile: join(root, outfile), platform: "neutral", external: ["node:*", ...packages],
});
const browser = (entry, outfile, { keep = [], plugins = [], external = [] } = {}) => esbuild.build({
  ...common, entryPoints: [join(root, entry)], outfile: join(root, outfile), platform: "browser", external, plugins: [browserPlugin(keep), ...plugins],
});

await node("src/index.ts", "dist/index.js");
await browser("src/index.ts", "dist/vcmoe.browser.js");
// Worker scripts of the parallel pool (src/worker.ts); src/parallel/pool.ts finds them beside the bundles.
await node("src/worker.ts", "dist/worker.js");
await browser("src/worker.ts", "dist/worker.browser.js");
await browser("src/plotEntry.ts", "dist/plot.browser.js", { keep: ["vegaModules"], plugins: [sharedWithMain], external: Object.keys(pkg.peerDependencies ?? {}) });
// The command line (src/cli/, the package's `bin`): its imports of the public API stay
// imports of dist/index.js (one copy of the library, whose worker script lies beside it).
const libraryAsSibling = {
  name: "vcmoe-library-as-sibling",
  setup(build) {
    build.onResolve({ filter: /index\.js$/ }, (args) => {
      const target = resolve(args.resolveDir, args.path).replace(/\.js$/, ".ts");
      return target === join(root, "src/index.ts") ? { path: "./index.js", external: true } : undefined;
    });
  },
};
await esbuild.build({ ...common, entryPoints: [join(root, "src/cli/bin.ts")], outfile: join(root, "dist/cli.js"), platform: "node",
  external: ["node:*", ...packages], plugins: [libraryAsSibling],
  banner: { js: "#!/usr/bin/env node" }, define: { __VCMOE_VERSION__: JSON.stringify(pkg.version) } });
chmodSync(join(root, "dist/cli.js"), 0o755);
if (!process.argv.includes("--no-types")) {
  execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
}
console.log("library built: dist/index.js");
