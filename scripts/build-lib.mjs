// Bundles the TypeScript API (with both core builds) into dist/ as ESM for Node
// and browsers, and emits type declarations.
import { execFileSync } from "node:child_process";
import { chmodSync, readFileSync } from "node:fs";
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
// Worker scripts of the parallel pool (src/worker.ts): for Node worker_threads
// (dependencies left to the package manager, like dist/index.js) and, fully bundled,
// for browser module Web Workers. src/parallel/pool.ts finds them beside the bundles.
await esbuild.build({ ...common, entryPoints: [join(root, "src/worker.ts")], outfile: join(root, "dist/worker.js"), platform: "neutral",
  external: ["node:*", ...Object.keys(pkg.dependencies ?? {})] });
await esbuild.build({ ...common, entryPoints: [join(root, "src/worker.ts")], outfile: join(root, "dist/worker.browser.js"), platform: "browser",
  external: browserExternal });
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
await esbuild.build({ ...common, sourcemap: false, entryPoints: [join(root, "src/cli/bin.ts")], outfile: join(root, "dist/cli.js"), platform: "node",
  external: ["node:*", ...Object.keys(pkg.dependencies ?? {})], plugins: [libraryAsSibling],
  banner: { js: "#!/usr/bin/env node" }, define: { __VCMOE_VERSION__: JSON.stringify(pkg.version) } });
chmodSync(join(root, "dist/cli.js"), 0o755);
if (!process.argv.includes("--no-types")) {
  execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
}
console.log("library built: dist/index.js");
