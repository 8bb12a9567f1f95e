// The sorted row order of prepareData (argsortStable): the order a comparator sort by u with
// ties in row order gives, checked on random keys with many ties, signed zeros and runs.
import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { argsortStable, identityIndex } from "../src/data/columns.js";
import { fit } from "../src/index.js";

const reference = (key: Float64Array) => Array.from(identityIndex(key.length)).sort((a, b) => key[a] - key[b] || a - b);

describe("argsortStable", () => {
  test("equals the comparator sort (u, then row) on random keys", () => {
    // few distinct values (many ties), both zeros, lengths across the insertion-run and merge sizes
    const value = fc.oneof(fc.constantFrom(0, -0, 1, -1, 0.5), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }));
    fc.assert(fc.property(fc.array(value, { maxLength: 300, size: "max" }), (vals) => {
      const key = Float64Array.from(vals);
      expect(Array.from(argsortStable(key))).toEqual(reference(key));
    }), { numRuns: 300, seed: 11 });
  });

  test("ordered, reversed and constant keys", () => {
    for (const n of [0, 1, 2, 15, 16, 17, 33, 1000]) {
      const up = Float64Array.from({ length: n }, (_, i) => i);
      const down = Float64Array.from({ length: n }, (_, i) => n - i);
      const flat = new Float64Array(n).fill(3);
      const ties = Float64Array.from({ length: n }, (_, i) => ((i * 7) % 5) - 2 || (i % 2 ? -0 : 0));
      for (const key of [up, down, flat, ties]) expect(Array.from(argsortStable(key))).toEqual(reference(key));
    }
  });

  test("a fit does not depend on the order the caller's rows come in", async () => {
    // the same rows shuffled: same curves, and posteriors back in each caller's order
    const n = 300, u = new Float64Array(n), y = new Float64Array(n), z1 = new Float64Array(n);
    for (let i = 0; i < n; i++) { u[i] = ((i * 37) % n) / n; z1[i] = Math.sin(i); y[i] = (i % 2 ? 2 : -2) + z1[i] * u[i] + 0.3 * Math.cos(7 * i); }
    const perm = Array.from(identityIndex(n)).sort((a, b) => ((a * 101) % n) - ((b * 101) % n));
    const pick = (a: Float64Array) => Float64Array.from(perm, (i) => a[i]);
    const opts = { K: 2, bandwidth: 0.3, seed: 1 };
    const a = await fit({ y, u, z: { z1 } }, opts);
    const b = await fit({ y: pick(y), u: pick(u), z: { z1: pick(z1) } }, opts);
    expect(b.curves).toEqual(a.curves);
    expect(b.posteriors).toEqual(perm.map((i) => a.posteriors[i]));
  });
});
