// What rescaling one column does, shared by bench/scale-table.mjs and test/scale.test.ts:
// the data with y, u, z1 or x1 multiplied by f, and the factor the units predict for a curve.

/** A copy of the data with one column (y, u, z1 or x1) multiplied by f. */
export function rescaled(d, col, f) {
  const e = structuredClone(d);
  if (col === "y") e.y = d.y.map((v) => v * f);
  if (col === "u") e.u = d.u.map((v) => v * f);
  if (col === "z1") e.z.z1 = d.z.z1.map((v) => v * f);
  if (col === "x1") e.x.x1 = d.x.x1.map((v) => v * f);
  return e;
}

/** What the units predict: a curve of the rescaled fit is the original one times this. */
export function unitFactor(c, col, f, gaussian = true) {
  if (col === "y" && gaussian && (c.part === "expert" || c.part === "sigma")) return f;
  if (col === "z1" && c.part === "expert" && c.term === "z1") return 1 / f;
  if (col === "x1" && c.part === "gating" && c.term === "x1") return 1 / f;
  return 1;
}
