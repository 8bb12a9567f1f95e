// The structure the code promises (README "Design"): the import graph of src/ has no
// cycle and no import up the layer order; every kernel call goes through the typed
// bindings; no module outside the family drivers branches on a family.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { checkImports } from "../scripts/check-imports.mjs";
import { pow } from "../src/core/detmath.js";

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

  test("numbers outside the kernels use the core's elementary functions (core/detmath), not the engine's", () => {
    // Math.exp/log/pow/sin/... differ in the last bit between JavaScript engines; results must be
    // the same in every browser. Plots only draw (they may use the engine's); comments are skipped.
    const engineMath = /^(?!\s*(\/\/|\*)).*\bMath\.(exp|expm1|log|log1p|log2|log10|pow|sin|cos|tan|asin|acos|atan|atan2|sinh|cosh|tanh|asinh|acosh|atanh|cbrt|hypot)\(/;
    expect(offending("src", engineMath, (f) => f.includes(join("src", "plot")))).toEqual([]);
  });

  test("detmath's pow agrees with the engine's to 1e-14 relative", () => {
    for (const [x, y] of [[1000, -0.2], [1e4, -0.2], [137, -0.05], [2, 0.5], [0.3, 3.7], [1e300, 0.01]]) {
      expect(Math.abs(pow(x, y) / Math.pow(x, y) - 1)).toBeLessThan(1e-14);
    }
  });

  test("status bits are named, not written as numbers", () => {
    expect(offending("src", /\b(st|status\w*|flags?)\b[^;]*&\s*\(?\d/, () => false)).toEqual([]);
  });
});
