// Every value the package exports has a doc comment, and every exported function one with
// an @example (the API reference, `npm run docs`, is built from them).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { checkDocs, docOf, valueExports } from "../scripts/check-docs.mjs";

test("every exported function of src/index.ts has a doc comment with an @example", () => {
  const r = checkDocs();
  expect(r.exports).toBeGreaterThan(30);
  expect(r.problems).toEqual([]);
});

test("the check finds a missing doc comment, a missing example and follows barrels and aliases", () => {
  const dir = mkdtempSync(join(tmpdir(), "vcmoe-docs-"));
  try {
    writeFileSync(join(dir, "a.ts"), [
      "/** Documented.\n * @example\n * good(1);\n */\nexport function good(x: number) { return x; }",
      "/** No example. */\nexport async function noExample() {}",
      "export const bare = (x: number) => x;",
      "/** A constant. */\nexport const LIMIT = 3;",
    ].join("\n"));
    writeFileSync(join(dir, "barrel.ts"), `export { noExample } from "./a.js";\n`);
    writeFileSync(join(dir, "index.ts"), `export { good, bare as renamed, LIMIT } from "./a.js";\nexport { noExample } from "./barrel.js";\nexport type { Nothing } from "./a.js";\n`);
    const ex = valueExports(join(dir, "index.ts"));
    expect(ex.map((e) => e.name)).toEqual(["good", "renamed", "LIMIT", "noExample"]);
    expect(ex[3].file).toBe(join(dir, "a.ts"));
    expect(docOf(join(dir, "a.ts"), "good")).toMatchObject({ kind: "function" });
    expect(docOf(join(dir, "a.ts"), "noExample").doc).toBe("/** No example. */");
    expect(docOf(join(dir, "a.ts"), "bare")).toEqual({ kind: "function", doc: null });
    expect(docOf(join(dir, "a.ts"), "LIMIT").kind).toBe("const");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
