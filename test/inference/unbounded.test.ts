// A negative-binomial band the bootstrap cannot bound: with Poisson data (no
// overdispersion) θ reaches its bound (1e8) in many replicates, whose sup-t statistic
// counts as +∞, so the θ band's critical value is +∞. The result says so explicitly
// (unbounded flag, infinite limits, a warning) and resultToJson keeps it in JSON.
import { describe, expect, test } from "vitest";
import { confidenceBands, fit, resultToJson, simulate } from "../../src/index.js";

describe("unbounded negative-binomial band", () => {
  test("critical value +∞: flagged, limits ±∞ (not NaN), a warning, and \"Infinity\" in JSON instead of null", async () => {
    const s = await simulate({ family: "poisson", K: 2, n: 300, seed: 5 });
    const res = await fit(s.data, { family: "negbin", K: 2, bandwidth: 0.4, grid: 10, seed: 1 });
    const bands = await confidenceBands(res, s.data, { method: "bootstrap", B: 20, seed: 3, workers: 0 });
    const theta = bands.curves.filter((c) => c.part === "theta");
    const open = theta.filter((c) => c.unbounded);
    expect(open.length).toBeGreaterThan(0);
    // the flag is exactly "critical value +∞", on every curve
    for (const c of bands.curves) expect(c.unbounded).toBe(c.criticalValue === Infinity);
    // an infinite critical value comes only from replicates at the bound: more than 5% of them (> 1 of 20)
    const stats = bands.details.bootstrap!.statistics;
    for (const c of open) {
      const T = stats[bands.curves.indexOf(c)];
      expect(T.filter((v) => v === Infinity).length).toBeGreaterThan(1);
      expect(c.lower.every((v) => v === -Infinity)).toBe(true);
      expect(c.upper.every((v) => v === Infinity)).toBe(true);
      expect(bands.warnings.some((w) => w.includes(`theta of component ${c.component} is unbounded`))).toBe(true);
    }
    // the expert curves keep finite bands
    for (const c of bands.curves.filter((k) => k.part === "expert")) {
      expect(c.unbounded).toBe(false);
      expect(c.lower.every(Number.isFinite) && c.upper.every(Number.isFinite)).toBe(true);
    }
    const json = JSON.parse(resultToJson(bands));
    const back = json.curves[bands.curves.indexOf(open[0])];
    expect(back.criticalValue).toBe("Infinity");
    expect(back.unbounded).toBe(true);
    expect(back.lower[0]).toBe("-Infinity");
    expect(Number(back.upper[0])).toBe(Infinity);
    // plain JSON.stringify loses it (the reason for resultToJson)
    expect(JSON.parse(JSON.stringify(bands)).curves[bands.curves.indexOf(open[0])].criticalValue).toBeNull();
    // finite numbers are written exactly as JSON.stringify writes them
    expect(resultToJson({ a: [0.1, -2e-300, 5] })).toBe(JSON.stringify({ a: [0.1, -2e-300, 5] }));
    expect(resultToJson({ a: NaN, b: -Infinity })).toBe('{"a":"NaN","b":"-Infinity"}');
  }, 30_000);
});
