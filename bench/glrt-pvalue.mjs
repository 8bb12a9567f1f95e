// The GLRT's bootstrap p-value from recorded replicates, as glrt() computes it
// (src/inference/glrt.ts): (1 + #{λ* ≥ λ}) / (1 + B'), B' the completed replicates
// (null entries are failed ones). The study reports recompute it from their records,
// which also hold runs made when the library reported the share #{λ* ≥ λ} / B'.
export function monteCarloP(lambda, lambdaStar) {
  const ok = lambdaStar.filter((v) => v !== null && v !== undefined);
  return ok.length ? (1 + ok.filter((v) => v >= lambda).length) / (1 + ok.length) : null;
}
