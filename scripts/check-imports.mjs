// The import graph of src/: no cycle between modules, and every import between
// folders points down the layer order below (type-only imports count too). Used by
// test/architecture.test.ts; run directly to see the graph's problems:
//   node scripts/check-imports.mjs
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Folders of src/ from the bottom up; a module may import from its own folder and from
 * folders listed before its own. "." is a file directly in src/ (errors.ts at the
 * bottom; the entry points index.ts, worker.ts and plotEntry.ts, which re-exports index.ts, at the top).
 */
export const LAYERS = [
  ["errors.ts"],
  ["core"],
  ["data"],
  ["model"],
  ["diagnostics", "parallel", "io"],
  ["fit"],
  ["simulate", "select", "inference"],
  ["api", "plot"],
  ["index.ts", "worker.ts"],
  ["plotEntry.ts", "cli"], // cli: the command line, on the public API (index.ts) and a few leaf helpers
];

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const src = join(root, "src");

function files(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** The unit of a module in LAYERS: its top folder under src/, or its file name for files in src/. */
function unitOf(file) {
  const rel = relative(src, file).split(/[\\/]/);
  return rel.length === 1 ? rel[0] : rel[0];
}

/** Layer index of each unit; units on one line share a layer and must not import each other. */
const layerOf = new Map(LAYERS.flatMap((units, i) => units.map((u) => [u, i])));

/** Relative imports and re-exports of a module, resolved to files. */
export function importsOf(file) {
  const text = readFileSync(file, "utf8");
  const out = [];
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+["'](\.[^"']+)["']/gms), // import … from, export … from
    ...text.matchAll(/^\s*import\s+["'](\.[^"']+)["']/gm), // side-effect imports
  ];
  for (const m of specifiers) out.push(resolve(dirname(file), m[1].replace(/\.js$/, ".ts")));
  return out;
}

export function checkImports() {
  const all = files(src);
  const graph = new Map(all.map((f) => [f, importsOf(f).filter((t) => t.startsWith(src))]));
  const problems = [];
  for (const [f, targets] of graph) {
    const uf = unitOf(f), lf = layerOf.get(uf);
    if (lf === undefined) { problems.push(`${relative(root, f)}: folder '${uf}' is not in the layer list`); continue; }
    for (const t of targets) {
      if (!graph.has(t)) { problems.push(`${relative(root, f)}: imports ${relative(root, t)}, which does not exist`); continue; }
      const ut = unitOf(t), lt = layerOf.get(ut);
      if (ut === uf) continue;
      if (lt === undefined || lt >= lf) problems.push(`upward or sideways import: ${relative(root, f)} (${uf}) -> ${relative(root, t)} (${ut})`);
    }
  }
  // cycles between modules (Tarjan's strongly connected components)
  let index = 0;
  const idx = new Map(), low = new Map(), stack = [], onStack = new Set();
  const visit = (v) => {
    idx.set(v, index); low.set(v, index); index++;
    stack.push(v); onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const comp = [];
      let w;
      do { w = stack.pop(); onStack.delete(w); comp.push(w); } while (w !== v);
      if (comp.length > 1) problems.push(`import cycle: ${comp.map((c) => relative(root, c)).join(" -> ")}`);
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return { modules: graph.size, edges: [...graph.values()].reduce((s, t) => s + t.length, 0), problems };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = checkImports();
  console.log(`${r.modules} modules, ${r.edges} imports; ${r.problems.length} problem(s)`);
  for (const p of r.problems) console.log(`  ${p}`);
  process.exitCode = r.problems.length ? 1 : 0;
}
