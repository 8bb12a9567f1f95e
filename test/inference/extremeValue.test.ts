// The extreme-value critical value: kernel constants computed numerically against
// their closed forms, the formula against the values in method.md, and a Monte
// Carlo check: the 95% quantile of sup|Z| for unit-variance Epanechnikov-smoothed
// white noise on [0, 1], compared with method.md's simulation.
import { describe, expect, test } from "vitest";
import { extremeValueCritical, kernelConstants } from "../../src/index.js";
import { mulberry32 } from "../helpers/random.js";

describe("kernel constants", () => {
  test("Epanechnikov and Gaussian against closed forms", () => {
    const ep = kernelConstants("epanechnikov");
    expect(ep.intK2).toBeCloseTo(0.6, 8);
    expect(ep.intKp2).toBeCloseTo(1.5, 6);
    expect(ep.mu2).toBeCloseTo(0.2, 8);
    expect(ep.logCK).toBeCloseTo(Math.log(Math.sqrt(5 / 8) / Math.PI), 6); // −1.3798 (method.md)
    const ga = kernelConstants("gaussian");
    expect(ga.intK2).toBeCloseTo(1 / (2 * Math.sqrt(Math.PI)), 8);
    expect(ga.intKp2).toBeCloseTo(1 / (4 * Math.sqrt(Math.PI)), 6);
    expect(ga.logCK).toBeCloseTo(-2.1845, 4); // method.md
    expect(ep.endValue).toBeLessThan(1e-9);
    expect(ga.endValue).toBeLessThan(1e-7);
  });

  test("critical values of method.md (h = 0.2, 0.1, 0.05, 0.02; 95%)", () => {
    const cv = [0.2, 0.1, 0.05, 0.02].map((h) => extremeValueCritical("epanechnikov", h, 0.95).criticalValue);
    [3.067, 3.21, 3.381, 3.614].forEach((v, k) => expect(cv[k]).toBeCloseTo(v, 3));
  });
});

/**
 * 95% quantile of sup_t |Z(t)| over R replications, Z(t) = Σ_i K((t − x_i)/h) ε_i / sd(t)
 * with ε_i iid N(0,1) on N cells of [0, 1] (white noise), evaluated at the cell
 * centres; the Epanechnikov sums come from prefix sums of ε, xε, x²ε (O(N) per replication).
 */
function supQuantile(h: number, N: number, R: number, seed: number): number {
  const r = mulberry32(seed);
  const x = Float64Array.from({ length: N }, (_, i) => (i + 0.5) / N);
  const lo = new Int32Array(N), hi = new Int32Array(N), sd = new Float64Array(N);
  for (let j = 0; j < N; j++) {
    let a = j, b = j;
    while (a > 0 && x[j] - x[a - 1] < h) a--;
    while (b < N && x[b] - x[j] < h) b++;
    lo[j] = a; hi[j] = b;
    let s = 0;
    for (let i = a; i < b; i++) s += (0.75 * (1 - ((x[j] - x[i]) / h) ** 2)) ** 2;
    sd[j] = Math.sqrt(s);
  }
  const eps = new Float64Array(N), P0 = new Float64Array(N + 1), P1 = new Float64Array(N + 1), P2 = new Float64Array(N + 1);
  const sups = new Float64Array(R);
  for (let rep = 0; rep < R; rep++) {
    for (let i = 0; i < N; i += 2) {
      const rad = Math.sqrt(-2 * Math.log(1 - r())), th = 2 * Math.PI * r();
      eps[i] = rad * Math.cos(th);
      if (i + 1 < N) eps[i + 1] = rad * Math.sin(th);
    }
    for (let i = 0; i < N; i++) { P0[i + 1] = P0[i] + eps[i]; P1[i + 1] = P1[i] + eps[i] * x[i]; P2[i + 1] = P2[i] + eps[i] * x[i] * x[i]; }
    let mx = 0;
    for (let j = 0; j < N; j++) {
      const a = lo[j], b = hi[j], t = x[j];
      const S0 = P0[b] - P0[a], S1 = P1[b] - P1[a], S2 = P2[b] - P2[a];
      mx = Math.max(mx, Math.abs((0.75 * (S0 - (t * t * S0 - 2 * t * S1 + S2) / (h * h))) / sd[j]));
    }
    sups[rep] = mx;
  }
  sups.sort();
  return sups[Math.ceil(0.95 * R) - 1];
}

test("Monte Carlo sup|Z| of smoothed white noise vs method.md, and the formula is conservative", { timeout: 60_000 }, () => {
  // method.md: 2.850 (h = 0.2), 2.993 (0.1), 3.265 (0.05), 3.471 (0.02); each
  // simulation carries Monte Carlo error of a few hundredths (R = 2000 here: ~0.03)
  const reference: Array<[number, number]> = [[0.2, 2.85], [0.1, 2.993], [0.05, 3.265], [0.02, 3.471]];
  const rows = reference.map(([h, ref]) => {
    const mc = supQuantile(h, 2000, 2000, 7);
    const ev = extremeValueCritical("epanechnikov", h, 0.95).criticalValue;
    return { h, mc, ref, ev };
  });
  console.table(rows);
  for (const { mc, ref, ev } of rows) {
    expect(Math.abs(mc - ref)).toBeLessThan(0.12);
    expect(ev).toBeGreaterThan(mc);
  }
});
