// bench/RESULTS.md is written by several scripts: bench/fit-bench.mjs writes the head (whole
// fits on both backends, targets); the others (bench/profile-fit.mjs, bench/speed-jobs.mjs)
// each own a section between `<!-- section:NAME -->` and `<!-- /section:NAME -->`, which
// the other scripts keep when they rewrite the file.
import { existsSync, readFileSync, writeFileSync } from "node:fs";

export const RESULTS = new URL("./RESULTS.md", import.meta.url);
const SECTION = /<!-- section:([\w-]+) -->[\s\S]*?<!-- \/section:\1 -->\n?/g;

/** The sections other scripts own, in file order (text blocks including their markers). */
export function keptSections() {
  if (!existsSync(RESULTS)) return [];
  return [...readFileSync(RESULTS, "utf8").matchAll(SECTION)].map((m) => m[0].trimEnd() + "\n");
}

/** Writes the head of RESULTS.md (fit-bench) followed by the kept sections. */
export function writeHead(md) {
  const kept = keptSections();
  writeFileSync(RESULTS, md.trimEnd() + "\n\n" + kept.join("\n"));
}

/** Replaces (or appends) section `name` of RESULTS.md with `md`. */
export function writeSection(name, md) {
  const block = `<!-- section:${name} -->\n${md.trimEnd()}\n<!-- /section:${name} -->\n`;
  const text = existsSync(RESULTS) ? readFileSync(RESULTS, "utf8") : "# Benchmark results\n";
  const re = new RegExp(`<!-- section:${name} -->[\\s\\S]*?<!-- \\/section:${name} -->\\n?`);
  writeFileSync(RESULTS, re.test(text) ? text.replace(re, block) : text.trimEnd() + "\n\n" + block);
}
