// Deep comparison of two results produced on different backends.

export interface Diff {
  /** Numbers compared. */
  numbers: number;
  /** Numbers whose bit patterns differ. */
  notIdentical: number;
  /** Largest |a − b| / max(|a|, |b|) over all numbers (0 when all identical). */
  maxRelative: number;
  worstPath: string;
  /** Structural differences (keys, lengths, types, strings, booleans). */
  structural: string[];
}

/** Walks a and b together; `ignore` lists dotted paths skipped (e.g. "model.backend"). */
export function compareDeep(a: unknown, b: unknown, ignore: string[] = []): Diff {
  const d: Diff = { numbers: 0, notIdentical: 0, maxRelative: 0, worstPath: "", structural: [] };
  const walk = (x: unknown, y: unknown, path: string): void => {
    if (ignore.includes(path)) return;
    if (typeof x === "number" && typeof y === "number") {
      d.numbers++;
      if (Object.is(x, y)) return;
      d.notIdentical++;
      const rel = Number.isNaN(x) || Number.isNaN(y) ? Infinity : Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y));
      if (!(rel <= d.maxRelative)) { d.maxRelative = rel; d.worstPath = path; }
      return;
    }
    if (ArrayBuffer.isView(x) && ArrayBuffer.isView(y)) { walk(Array.from(x as unknown as ArrayLike<number>), Array.from(y as unknown as ArrayLike<number>), path); return; }
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length) { d.structural.push(`${path}: length ${x.length} vs ${y.length}`); return; }
      x.forEach((v, i) => walk(v, y[i], `${path}[${i}]`));
      return;
    }
    if (x !== null && y !== null && typeof x === "object" && typeof y === "object") {
      const kx = Object.keys(x).sort(), ky = Object.keys(y).sort();
      if (kx.join() !== ky.join()) { d.structural.push(`${path}: keys ${kx} vs ${ky}`); return; }
      for (const k of kx) walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
      return;
    }
    if (!Object.is(x, y)) d.structural.push(`${path}: ${String(x)} vs ${String(y)}`);
  };
  walk(a, b, "");
  return d;
}
