// Starting partitions for the constant-coefficient EM. Besides the residual-quantile
// split and uniformly random labels (src/fit/constant.ts), a k-means++ partition of
// the link-scale residuals: well-separated components sit at different residual
// levels, and k-means++ seeding (Arthur & Vassilvitskii 2007) picks one seed per
// level with high probability where random labels start every component at the
// pooled fit. Random draws come from the core's generator (reproducible everywhere).
import type { Dataset } from "../data/dataset.js";

/** Residuals of the weighted least-squares fit of v on the expert design Z. */
export function wlsResiduals(ds: Dataset, v: Float64Array): Float64Array {
  const { n, q, Z, w } = ds;
  const G = new Float64Array(q * q), b = new Float64Array(q);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < q; a++) {
      b[a] += w[i] * Z[i * q + a] * v[i];
      for (let c = 0; c < q; c++) G[a * q + c] += w[i] * Z[i * q + a] * Z[i * q + c];
    }
  }
  // Gaussian elimination (q is small; the design was checked to be full rank)
  for (let c = 0; c < q; c++) {
    for (let r = c + 1; r < q; r++) {
      const f = G[r * q + c] / G[c * q + c];
      for (let k = c; k < q; k++) G[r * q + k] -= f * G[c * q + k];
      b[r] -= f * b[c];
    }
  }
  const beta = new Float64Array(q);
  for (let c = q - 1; c >= 0; c--) {
    let s = b[c];
    for (let k = c + 1; k < q; k++) s -= G[c * q + k] * beta[k];
    beta[c] = s / G[c * q + c];
  }
  return Float64Array.from({ length: n }, (_, i) => {
    let f = 0;
    for (let a = 0; a < q; a++) f += Z[i * q + a] * beta[a];
    return v[i] - f;
  });
}

/** Index drawn with probability ∝ p_i (u uniform on [0, 1)); the last positive one on roundoff. */
function drawIndex(p: Float64Array, u: number): number {
  let tot = 0;
  for (let i = 0; i < p.length; i++) tot += p[i];
  let acc = 0, last = -1;
  const target = u * tot;
  for (let i = 0; i < p.length; i++) {
    if (p[i] <= 0) continue;
    acc += p[i];
    last = i;
    if (acc > target) return i;
  }
  return last;
}

/**
 * K-means++ partition of the values r (weights w): K seeds, each drawn with
 * probability ∝ w·D² (D = distance to the nearest seed so far), then Lloyd
 * iterations. `uniforms` supplies K uniform draws.
 */
export function kmeansppLabels(r: Float64Array, w: Float64Array, K: number, uniforms: Float64Array, lloydIter = 20): Int32Array {
  const n = r.length;
  const centres = new Float64Array(K);
  const d2 = new Float64Array(n).fill(Infinity);
  const p = new Float64Array(n);
  for (let k = 0; k < K; k++) {
    for (let i = 0; i < n; i++) p[i] = k === 0 ? w[i] : w[i] * d2[i];
    const idx = drawIndex(p, uniforms[k]);
    const c = idx < 0 ? r[0] : r[idx];
    centres[k] = c;
    for (let i = 0; i < n; i++) { const e = r[i] - c; d2[i] = Math.min(d2[i], e * e); }
  }
  const labels = new Int32Array(n);
  const sum = new Float64Array(K), sw = new Float64Array(K);
  for (let it = 0; it <= lloydIter; it++) {
    let changed = false;
    for (let i = 0; i < n; i++) {
      let best = 0, bd = Infinity;
      const ri = r[i];
      for (let k = 0; k < K; k++) {
        const e = ri - centres[k], dd = e * e;
        if (dd < bd) { bd = dd; best = k; }
      }
      if (labels[i] !== best || it === 0) { changed ||= labels[i] !== best; labels[i] = best; }
    }
    if (it > 0 && !changed) break;
    sum.fill(0); sw.fill(0);
    for (let i = 0; i < n; i++) { sum[labels[i]] += w[i] * r[i]; sw[labels[i]] += w[i]; }
    for (let k = 0; k < K; k++) if (sw[k] > 0) centres[k] = sum[k] / sw[k];
  }
  return labels;
}
