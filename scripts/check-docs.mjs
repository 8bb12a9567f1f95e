// Every value the package exports (src/index.ts) has a doc comment, and every exported
// function's doc comment has an @example. Used by test/docs.test.ts; run directly to list
// what is missing:   node scripts/check-docs.mjs
// (The API reference itself is built by `npm run docs`, TypeDoc, kept out of `npm test`.)
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Value (not type-only) re-exports of an entry file: [name, file] pairs, aliases resolved. */
export function valueExports(entry = join(root, "src/index.ts")) {
  const text = readFileSync(entry, "utf8");
  const out = [];
  for (const m of text.matchAll(/^export\s+\{([^}]*)\}\s+from\s+["'](\.[^"']+)["']/gm)) {
    const file = resolve(dirname(entry), m[2].replace(/\.js$/, ".ts"));
    for (const part of m[1].split(",").map((s) => s.trim()).filter(Boolean)) {
      if (part.startsWith("type ")) continue;
      const [local, exported = local] = part.split(/\s+as\s+/);
      const barrel = readFileSync(file, "utf8");
      // a barrel that re-exports the name: follow it to the defining file
      const re = new RegExp(`^export\\s+\\{[^}]*\\b${local}\\b[^}]*\\}\\s+from\\s+["'](\\.[^"']+)["']`, "m");
      const hop = re.exec(barrel);
      out.push({ name: exported, local, file: hop ? resolve(dirname(file), hop[1].replace(/\.js$/, ".ts")) : file });
    }
  }
  return out;
}

/** The doc comment directly above the declaration of `name` in `file` (null when none), and the declaration's kind. */
export function docOf(file, name) {
  const text = readFileSync(file, "utf8");
  const decl = new RegExp(`^export\\s+(?:declare\\s+)?(async\\s+function|function|const|let|class)\\s+${name}\\b`, "m").exec(text);
  if (!decl) return { kind: null, doc: null };
  const before = text.slice(0, decl.index).trimEnd();
  const doc = before.endsWith("*/") ? before.slice(before.lastIndexOf("/**")) : null;
  const kind = /function/.test(decl[1]) ? "function" : decl[1];
  // a const holding an arrow or function expression is a function to its callers
  const isFn = kind === "function" || (kind === "const" && new RegExp(`${name}\\s*(:[^=]+)?=\\s*(async\\s*)?(\\([^)]*\\)|\\w+)\\s*=>`).test(text.slice(decl.index, decl.index + 400)));
  return { kind: isFn ? "function" : kind, doc };
}

export function checkDocs() {
  const problems = [];
  const exports = valueExports();
  for (const { name, local, file } of exports) {
    const { kind, doc } = docOf(file, local);
    const where = `${file.slice(root.length + 1)}: ${name}`;
    if (!kind) problems.push(`${where}: declaration not found`);
    else if (!doc) problems.push(`${where}: no doc comment`);
    else if (kind === "function" && !/@example/.test(doc)) problems.push(`${where}: doc comment has no @example`);
  }
  return { exports: exports.length, problems };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = checkDocs();
  console.log(`${r.exports} exported values; ${r.problems.length} problem(s)`);
  for (const p of r.problems) console.log(`  ${p}`);
  process.exitCode = r.problems.length ? 1 : 0;
}
