// Label alignment along u for the per-grid-point baseline: at each grid point,
// choose the permutation of components closest to the (already aligned) previous
// grid point. The path cost sum_j d(P_j θ_j, P_{j+1} θ_{j+1}) only couples
// neighbours through their relative permutation, so this sequential choice is the
// exact minimiser of the total change (the dynamic programme collapses to it).
import type { GridParams } from "./workspace.js";
import { log } from "../core/detmath.js";

export function permutations(K: number): number[][] {
  if (K === 1) return [[0]];
  const out: number[][] = [];
  for (const rest of permutations(K - 1)) {
    for (let pos = 0; pos <= rest.length; pos++) out.push([...rest.slice(0, pos), K - 1, ...rest.slice(pos)]);
  }
  return out;
}

/** Centred gating logits: γ̃_c = γ_c − mean_k γ_k (the baseline-free representation). */
export function centredGating(gamma: Float64Array, j: number, K: number, p: number): Float64Array {
  const out = new Float64Array(K * p);
  for (let k = 0; k < p; k++) {
    let mean = 0;
    for (let c = 0; c < K; c++) mean += gamma[(j * K + c) * p + k];
    mean /= K;
    for (let c = 0; c < K; c++) out[c * p + k] = gamma[(j * K + c) * p + k] - mean;
  }
  return out;
}

/** Feature vector of component c at grid point j used to match components. */
function features(P: GridParams, j: number, c: number, K: number, q: number, p: number, cg: Float64Array): number[] {
  const f: number[] = [];
  for (let k = 0; k < q; k++) f.push(P.alpha[(j * K + c) * q + k]);
  f.push(log(P.phi[j * K + c]));
  for (let k = 0; k < p; k++) f.push(cg[c * p + k]);
  return f;
}

export interface Alignment {
  /** perm[j][c] = component of the raw local fit at grid point j that becomes component c. */
  perms: number[][];
  /** Grid points where the raw labels had to be permuted relative to the previous point. */
  switches: number[];
  /** Per grid point (j >= 1): second-best minus best matching cost (small = ambiguous labels). */
  margins: number[];
}

export interface Match {
  /** perm[c] = component of B matched to component c of A. */
  perm: number[];
  cost: number;
  /** Cost of the second-best permutation (Infinity when K! is not enumerated). */
  second: number;
  identityCost: number;
}

/** Largest K whose K! permutations are enumerated; beyond it the matching is greedy. */
const ENUMERATE_MAX_K = 7;

/**
 * Best matching of B's components at grid point jb to A's at ja (feature distance).
 * `perms` (permutations(K)) may be passed to share it across calls; it is only built
 * for K <= 7 (the default argument built 10! arrays per call even though K = 10 is
 * matched greedily: fit(..., { K: 10, refine: true }) hung in the refinement's label check).
 */
export function bestPermutation(A: GridParams, ja: number, B: GridParams, jb: number, K: number, q: number, p: number, perms?: number[][]): Match {
  const cgA = centredGating(A.gamma, ja, K, p), cgB = centredGating(B.gamma, jb, K, p);
  const fA = Array.from({ length: K }, (_, c) => features(A, ja, c, K, q, p, cgA));
  const fB = Array.from({ length: K }, (_, c) => features(B, jb, c, K, q, p, cgB));
  const cost = (a: number, b: number) => fA[a].reduce((s, v, k) => s + (v - fB[b][k]) ** 2, 0);
  let identityCost = 0;
  for (let c = 0; c < K; c++) identityCost += cost(c, c);
  if (K <= ENUMERATE_MAX_K) {
    let best: number[] = [], bestCost = Infinity, second = Infinity;
    for (const perm of perms ?? permutations(K)) {
      let cst = 0;
      for (let c = 0; c < K; c++) cst += cost(c, perm[c]);
      if (cst < bestCost) { second = bestCost; bestCost = cst; best = perm; } else if (cst < second) second = cst;
    }
    return { perm: best, cost: bestCost, second, identityCost };
  }
  // greedy for large K: repeatedly take the closest unmatched pair
  const used = new Set<number>(), perm = new Array<number>(K).fill(-1);
  for (let r = 0; r < K; r++) {
    let bc = Infinity, ba = -1, bb = -1;
    for (let a = 0; a < K; a++) if (perm[a] < 0) for (let b = 0; b < K; b++) if (!used.has(b) && cost(a, b) < bc) { bc = cost(a, b); ba = a; bb = b; }
    perm[ba] = bb; used.add(bb);
  }
  return { perm, cost: perm.reduce((s, b, a) => s + cost(a, b), 0), second: Infinity, identityCost };
}

/** Aligns labels along the grid and rewrites P in place. */
export function alignAlongGrid(P: GridParams, K: number, q: number, p: number): Alignment {
  const perms = K <= ENUMERATE_MAX_K ? permutations(K) : undefined;
  const out: Alignment = { perms: [Array.from({ length: K }, (_, c) => c)], switches: [], margins: [] };
  for (let j = 1; j < P.m; j++) {
    const mt = bestPermutation(P, j - 1, P, j, K, q, p, perms);
    out.margins.push(mt.second - mt.cost);
    out.perms.push(mt.perm);
    if (mt.perm.some((b, c) => b !== c)) out.switches.push(j);
    applyPermutation(P, j, mt.perm, K, q, p);
  }
  return out;
}

/** Reorders components at grid point j: new c <- old perm[c]; gating re-based on the new component 0. */
function applyPermutation(P: GridParams, j: number, perm: number[], K: number, q: number, p: number): void {
  const take = (arr: Float64Array, width: number) => {
    const old = arr.slice(j * K * width, (j + 1) * K * width);
    for (let c = 0; c < K; c++) for (let k = 0; k < width; k++) arr[(j * K + c) * width + k] = old[perm[c] * width + k];
  };
  take(P.alpha, q); take(P.alphaS, q); take(P.phi, 1); take(P.gamma, p); take(P.gammaS, p);
  for (const arr of [P.gamma, P.gammaS]) {
    for (let k = 0; k < p; k++) {
      const base = arr[(j * K) * p + k];
      for (let c = 0; c < K; c++) arr[(j * K + c) * p + k] -= base;
    }
  }
}
