// Scenarios and the recovery criterion shared by the initialisation studies (init-subset-study.mjs, screen-study.mjs).
export const STUDY_CASES = [
  { label: "ws, Gaussian, K = 2", sim: { scenario: "ws" }, K: 2 },
  { label: "crossing, Gaussian, K = 2", sim: { scenario: "crossing" }, K: 2 },
  { label: "sep3, Gaussian, K = 3", sim: { scenario: "sep3", K: 3 }, K: 3 },
  { label: "mix, Gaussian, K = 5", sim: { scenario: "mix", K: 5 }, K: 5 },
  { label: "mix, Poisson, K = 2", sim: { family: "poisson", K: 2 }, K: 2, family: "poisson" },
  { label: "mix, negative binomial, K = 2", sim: { family: "negbin", K: 2 }, K: 2, family: "negbin" },
  { label: "mix, binomial, K = 2", sim: { family: "binomial", K: 2 }, K: 2, family: "binomial" },
  // test/init-k5.test.ts's hard case: large counts, a constant fit that spends components on the movement along u
  { label: "mix, Poisson, K = 5, separation 2", sim: { family: "poisson", K: 5, separation: 2 }, K: 5, family: "poisson" },
];

const permutations = (K) => K === 1 ? [[0]] : permutations(K - 1).flatMap((p) => Array.from({ length: K }, (_, i) => [...p.slice(0, i), K - 1, ...p.slice(i)]));
/**
 * Every component recovered: after the best matching of components, each fitted intercept curve is within a
 * quarter of the gap between true intercepts (the smallest gap at each u, averaged: intercepts may cross; RMS over the
 * inner grid, u in [h, 1 − h]).
 */
export function recovered(f, truth, K, h) {
  const inner = f.grid.map((u, j) => [u, j]).filter(([u]) => u >= h && u <= 1 - h);
  let gap = 0;
  for (const [u] of inner) { const a = truth(u).alpha.map((r) => r[0]).sort((x, y) => x - y); let g = Infinity; for (let c = 1; c < K; c++) g = Math.min(g, a[c] - a[c - 1]); gap += g / inner.length; }
  const cur = (c) => f.curves.find((x) => x.part === "expert" && x.component === c + 1 && x.term === "(Intercept)").values;
  let best = Infinity;
  for (const p of permutations(K)) {
    let worst = 0;
    for (let c = 0; c < K; c++) { const v = cur(p[c]); worst = Math.max(worst, Math.sqrt(inner.reduce((s, [u, j]) => s + (v[j] - truth(u).alpha[c][0]) ** 2, 0) / inner.length)); }
    best = Math.min(best, worst);
  }
  return best < 0.25 * gap;
}
