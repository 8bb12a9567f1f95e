// Test data access: the reference data in data/ (see data/README.md) and the bundled
// example data, read with the library's own CSV parser.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseCsvColumns, type VCMoEData } from "../../src/index.js";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The repository's reference data folder (data/, see data/README.md). */
export const dataDir = resolve(repoRoot, "data");

/** Columns of a reference CSV in data/. */
export function readReference(file: string): Record<string, number[]> {
  return parseCsvColumns(readFileSync(resolve(dataDir, file), "utf8"));
}

export function readExample(file = "ws_n1000.csv"): Record<string, number[]> {
  return parseCsvColumns(readFileSync(resolve(repoRoot, "examples/data", file), "utf8"));
}

/** The "ws" columns (y, u, z1, x1) as fit() data. */
export function wsData(cols: Record<string, number[]>): VCMoEData {
  return { y: cols.y, u: cols.u, z: { z1: cols.z1 }, x: { x1: cols.x1 } };
}

/** Every permutation of 0..K-1. */
export function permutationsOf(K: number): number[][] {
  if (K === 1) return [[0]];
  const out: number[][] = [];
  for (const rest of permutationsOf(K - 1)) {
    for (let pos = 0; pos <= rest.length; pos++) out.push([...rest.slice(0, pos), K - 1, ...rest.slice(pos)]);
  }
  return out;
}

/** The permutation perm (fitted component perm[c] ↔ true component c) minimising cost(fitted, true) summed. */
export function bestPermutation(K: number, cost: (fitted: number, truth: number) => number): { perm: number[]; cost: number; secondCost: number } {
  let best: number[] = [], bestCost = Infinity, second = Infinity;
  for (const perm of permutationsOf(K)) {
    let s = 0;
    for (let c = 0; c < K; c++) s += cost(perm[c], c);
    if (s < bestCost) { second = bestCost; bestCost = s; best = perm; } else if (s < second) second = s;
  }
  return { perm: best, cost: bestCost, secondCost: second };
}

/** Small deterministic generator for test data (mulberry32 + Box–Muller); independent of the core's RNG. */
export function testRng(seed: number): { uniform(): number; normal(): number } {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spare: number | null = null;
  const normal = (): number => {
    if (spare !== null) { const s = spare; spare = null; return s; }
    let u1 = uniform();
    while (u1 === 0) u1 = uniform();
    const r = Math.sqrt(-2 * Math.log(u1)), th = 2 * Math.PI * uniform();
    spare = r * Math.sin(th);
    return r * Math.cos(th);
  };
  return { uniform, normal };
}

/** Prints a measured number when VCMOE_TEST_REPORT=1 (quiet otherwise). */
export function report(label: string, value: unknown): void {
  if (process.env.VCMOE_TEST_REPORT === "1") console.log(`[report] ${label}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
}
