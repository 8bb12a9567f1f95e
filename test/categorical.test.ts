// Categorical covariates (issue 10, section 6): a text column, or a factor(), in z or x
// is dummy-coded against a reference level as R's model.matrix does under treatment
// contrasts. The truth: the same fit with the dummy columns written by hand.
import { describe, expect, test } from "vitest";
import { effectiveDegreesOfFreedom, factor, fit, predict, simulate, VCMoEInputError, type VCMoEFit } from "../src/index.js";

describe("categorical covariates", async () => {
  const sim = await simulate({ n: 450, seed: 11 });
  const d = sim.data;
  const levels = ["north", "south", "east"];
  const site = d.y.map((_, i) => levels[(i * 7) % 3]);
  // a site effect on the response, so that the coefficients are not all ~0
  const y = d.y.map((v, i) => v + (site[i] === "south" ? 0.6 : site[i] === "east" ? -0.4 : 0));
  const dummy = (level: string) => site.map((s) => (s === level ? 1 : 0));
  const opts = { K: 2, bandwidth: 0.35, grid: 15 };

  test("a text column in z equals hand-made dummies against the first level in sorted order (east)", async () => {
    const coded = await fit({ y, u: d.u, z: { z1: d.z.z1, site }, x: d.x }, opts);
    const hand = await fit({ y, u: d.u, z: { z1: d.z.z1, "site=north": dummy("north"), "site=south": dummy("south") }, x: d.x }, opts);
    expect(coded.model.zNames).toEqual(["(Intercept)", "z1", "site=north", "site=south"]);
    expect(coded.model.factors).toEqual([{ part: "z", column: "site", levels: ["east", "north", "south"], reference: "east", terms: ["site=north", "site=south"] }]);
    expect(coded.logLik).toBe(hand.logLik);
    expect(coded.curves).toEqual(hand.curves);
    // the same data for the functions that take the fit and its data
    expect((await effectiveDegreesOfFreedom(coded, { y, u: d.u, z: { z1: d.z.z1, site }, x: d.x })).total).toBe(coded.statistics!.df);
  });

  test("factor(): a chosen reference level, numeric codes as categories, and a factor in the gating", async () => {
    const codes = site.map((s) => levels.indexOf(s) + 1); // 1, 2, 3 as group labels
    const coded = await fit({ y, u: d.u, z: { z1: d.z.z1 }, x: { x1: d.x.x1, g: factor(codes, { reference: "2" }) } }, opts);
    const hand = await fit({ y, u: d.u, z: { z1: d.z.z1 }, x: { x1: d.x.x1, "g=1": dummy("north"), "g=3": dummy("east") } }, opts);
    expect(coded.model.factors![0]).toMatchObject({ part: "x", levels: ["1", "2", "3"], reference: "2" });
    expect(coded.logLik).toBe(hand.logLik);
  });

  test("without an intercept the first factor gets a column for every level (R's ~ 0 + f)", async () => {
    const coded = await fit({ y, u: d.u, z: { site, z1: d.z.z1 }, x: d.x }, { ...opts, intercept: { expert: false } });
    expect(coded.model.zNames).toEqual(["site=east", "site=north", "site=south", "z1"]);
    expect(coded.model.factors![0].reference).toBeNull();
    const hand = await fit({ y, u: d.u, z: { "site=east": dummy("east"), "site=north": dummy("north"), "site=south": dummy("south"), z1: d.z.z1 }, x: d.x }, { ...opts, intercept: { expert: false } });
    expect(coded.logLik).toBe(hand.logLik);
  });

  test("predict() codes new rows with the fit's levels, and refuses a level it has not seen", async () => {
    const coded: VCMoEFit = await fit({ y, u: d.u, z: { z1: d.z.z1, site }, x: d.x }, opts);
    const hand = await fit({ y, u: d.u, z: { z1: d.z.z1, "site=north": dummy("north"), "site=south": dummy("south") }, x: d.x }, opts);
    const u = [0.1, 0.5, 0.9], z1 = [0, 1, -1], x1 = [0.2, 0, -0.3], s = ["south", "east", "north"];
    const a = await predict(coded, { u, z: { z1, site: s }, x: { x1 } });
    const b = await predict(hand, { u, z: { z1, "site=north": s.map((v) => (v === "north" ? 1 : 0)), "site=south": s.map((v) => (v === "south" ? 1 : 0)) }, x: { x1 } });
    expect(a.mean).toEqual(b.mean);
    await expect(predict(coded, { u, z: { z1, site: ["south", "west", "north"] }, x: { x1 } })).rejects.toThrow(/newData\.z\.site: level "west" at row 1 was not seen/);
    await expect(predict(coded, { u, z: { z1 }, x: { x1 } })).rejects.toThrow(/newData\.z\.site: is required/);
  });

  test("mistakes: numbers written as text, a mix of numbers and text, a single level", async () => {
    const asText = d.z.z1.map(String);
    await expect(fit({ y, u: d.u, z: { z1: asText } } as never, opts)).rejects.toThrow(/data\.z\.z1: is text, not numbers/);
    await expect(fit({ y, u: d.u, z: { g: site.map((s, i) => (i === 3 ? 5 : s)) } } as never, opts)).rejects.toThrow(/mixes text .* and other values/);
    await expect(fit({ y, u: d.u, z: { g: site.map(() => "one") } }, opts)).rejects.toThrow(/a single level \("one"\)/);
    await expect(fit({ y, u: d.u, z: { g: factor(site, { reference: "west" }) } }, opts)).rejects.toBeInstanceOf(VCMoEInputError);
  });

  test("missing cells (null or \"\") make the row incomplete, dropped with missing: 'drop'", async () => {
    const gap = site.map((s, i) => (i === 4 ? "" : i === 9 ? null : s));
    await expect(fit({ y, u: d.u, z: { site: gap } }, opts)).rejects.toThrow(/data\.z\.site: is missing \(null or ""\) at row 4; 2 row\(s\) are incomplete/);
    const dropped = await fit({ y, u: d.u, z: { site: gap } }, { ...opts, missing: "drop" });
    expect(dropped.model.droppedRows).toBe(2);
  });
});
