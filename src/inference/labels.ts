// Matching a replicate's component labels to the original fit: the permutation
// of components that minimises the squared distance between the replicate's and
// the original curves summed over the grid (expert coefficients, log σ or log θ and the
// centred gating logits — the last are permutation-equivariant, unlike baseline
// logits). Exhaustive over the K! permutations for K ≤ 7, greedy beyond.
import { log } from "../core/detmath.js";
import { permutations } from "../fit/align.js";
import type { CurveKey } from "./model.js";

export interface LabelMatch {
  /** perm[c] = replicate component that plays original component c. */
  perm: number[];
  cost: number;
  /** Cost of the identity (no relabelling). */
  identityCost: number;
}

/** Index of curve (part, component, term) for every key, to permute curve indices. */
export function curveIndexTable(keys: CurveKey[]): Map<string, number> {
  return new Map(keys.map((k, e) => [`${k.part}|${k.component}|${k.term}`, e]));
}

/** permutedIndex[e] = index of the replicate curve that corresponds to original curve e under perm. */
export function permutedCurveIndex(keys: CurveKey[], table: Map<string, number>, perm: number[]): Int32Array {
  return Int32Array.from(keys, (k) => table.get(`${k.part}|${perm[k.component - 1] + 1}|${k.term}`)!);
}

/** θ above this is Poisson-like for any practical mean: capped so a replicate's θ at its bound (1e8) cannot swamp the cost. */
const THETA_FEATURE_CAP = 1e4;

function feature(part: CurveKey["part"], v: number): number {
  if (part === "theta") return log(Math.min(Math.max(v, 1e-300), THETA_FEATURE_CAP));
  return part === "sigma" ? log(Math.max(v, 1e-300)) : v;
}

export function matchLabels(K: number, keys: CurveKey[], m: number, E: number, estOrig: Float64Array, estRep: Float64Array): LabelMatch {
  const table = curveIndexTable(keys);
  // cost[a][b]: distance between original component a and replicate component b
  const cost = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  for (let a = 0; a < K; a++) {
    for (let b = 0; b < K; b++) {
      let s = 0;
      for (let e = 0; e < E; e++) {
        const k = keys[e];
        if (k.component !== a + 1) continue;
        const eb = table.get(`${k.part}|${b + 1}|${k.term}`)!;
        for (let j = 0; j < m; j++) {
          const dv = feature(k.part, estRep[j * E + eb]) - feature(k.part, estOrig[j * E + e]);
          s += dv * dv;
        }
      }
      cost[a][b] = s;
    }
  }
  const total = (perm: number[]) => perm.reduce((s, b, a) => s + cost[a][b], 0);
  const identity = Array.from({ length: K }, (_, c) => c);
  let best = identity, bestCost = total(identity);
  if (K <= 7) {
    for (const perm of permutations(K)) {
      const c = total(perm);
      if (c < bestCost) { bestCost = c; best = perm; }
    }
  } else {
    const used = new Set<number>(), perm = new Array<number>(K).fill(-1);
    for (let r = 0; r < K; r++) {
      let bc = Infinity, ba = -1, bb = -1;
      for (let a = 0; a < K; a++) if (perm[a] < 0) for (let b = 0; b < K; b++) if (!used.has(b) && cost[a][b] < bc) { bc = cost[a][b]; ba = a; bb = b; }
      perm[ba] = bb; used.add(bb);
    }
    if (total(perm) < bestCost) { best = perm; bestCost = total(perm); }
  }
  return { perm: best, cost: bestCost, identityCost: total(identity) };
}
