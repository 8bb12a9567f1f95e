// The structure the code promises (README "Design"): the import graph of src/ has no
// cycle and no import up the layer order; every kernel call goes through the typed
// bindings; no module outside the family drivers branches on a family.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { checkImports } from "../scripts/check-imports.mjs";

const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => {
  const p = join(dir, f);
  return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
});
const offending = (dir: string, pattern: RegExp, allowed: (f: string) => boolean) =>
  files(dir).filter((f) => !allowed(f)).flatMap((f) => readFileSync(f, "utf8").split("\n")
    .map((line, k) => ({ line, k })).filter(({ line }) => pattern.test(line)).map(({ line, k }) => `${f}:${k + 1}: ${line.trim()}`));

describe("architecture", () => {
  test("import graph of src/: no cycle, no upward or sideways import between folders", () => {
    const r = checkImports();
    expect(r.modules).toBeGreaterThan(50);
    expect(r.problems).toEqual([]);
  });

  test("kernels are called through the typed bindings only (no call by name)", () => {
    expect(offending("src", /\.call\(\s*["'`]/, () => false)).toEqual([]);
  });

  test("only the family drivers branch on a family", () => {
    const inFamilies = (f: string) => f.includes(join("model", "families")) || f.includes(join("core", "generated"));
    const names = "(gaussian|binomial|poisson|negbin)";
    const branch = new RegExp(`(family|\\.name)\\b[\\w.]*\\s*[!=]==?\\s*["'\`]${names}["'\`]|[!=]==?\\s*["'\`](binomial|poisson|negbin)["'\`]|FAMILY_(GAUSSIAN|BINOMIAL|POISSON|NEGBIN)\\b`);
    expect(offending("src", branch, inFamilies)).toEqual([]);
    // in the core, family codes live in assembly/family.ts only
    expect(offending("assembly", /FAMILY_(GAUSSIAN|BINOMIAL|POISSON|NEGBIN)\b/, (f) => f.endsWith("family.ts"))).toEqual([]);
  });

  test("status bits are named, not written as numbers", () => {
    expect(offending("src", /\b(st|status\w*|flags?)\b[^;]*&\s*\(?\d/, () => false)).toEqual([]);
  });
});
