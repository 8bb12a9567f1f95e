// npm run docs: the API reference (TypeDoc) from src/index.ts's exports and their doc
// comments, written to build/api/index.html. TypeDoc 0.28 needs TypeScript's compiler API
// (TypeScript 5/6); the project compiles with TypeScript 7, which has none, so TypeDoc and
// its TypeScript live in tools/typedoc/ with their own lockfile, installed on first use.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const tools = join(root, "tools/typedoc");
const bin = join(tools, "node_modules/typedoc/bin/typedoc");
if (!existsSync(bin)) execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: tools, stdio: "inherit" });
execFileSync(process.execPath, [bin, "--options", join(root, "typedoc.json"), ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });
console.log(`API reference: ${join("build", "api", "index.html")}`);
