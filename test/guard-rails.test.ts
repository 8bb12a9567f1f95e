// Mistakes must not pass silently (issue 10, section 6): unknown option keys are errors
// that suggest the right name, in every public function; a bandwidth above 1 on the unit
// scale warns; bands, standard errors and df refuse data that are not the fit's; text
// cells are called text; fit() accepts an AbortSignal.
import { describe, expect, test } from "vitest";
import {
  confidenceBands, createPool, effectiveDegreesOfFreedom, fit, fitConstant, formatSummary, glrt, predict, ruleOfThumbBandwidth, runParallel,
  selectBandwidth, selectK, simulate, standardErrors, VCMoEInputError, type VCMoEFit,
} from "../src/index.js";

async function inputError(run: () => unknown): Promise<VCMoEInputError> {
  let caught: unknown = null;
  try {
    await run();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(VCMoEInputError);
  return caught as VCMoEInputError;
}

describe("unknown option keys", async () => {
  const sim = await simulate({ n: 300, seed: 1 });
  const data = sim.data;
  const res = await fit(data, { K: 2, bandwidth: 0.3, grid: 15 });
  const cases: Array<[string, () => unknown, string, string | null]> = [
    ["fit", () => fit(data, { K: 2, bandwith: 0.2 } as never), "options.bandwith", "bandwidth"],
    ["fit (case)", () => fit(data, { k: 2 } as never), "options.k", "K"],
    ["fitConstant", () => fitConstant(data, { K: 2, seeds: 3 } as never), "options.seeds", "seed"],
    ["predict", () => predict(res, { u: [0.5], z: { z1: [0] }, x: { x1: [0] } }, { backned: "js" } as never), "options.backned", "backend"],
    ["predict data", () => predict(res, { u: [0.5], z: { z1: [0] }, x: { x1: [0] }, offsets: [0] } as never), "newData.offsets", "offset"],
    ["simulate", () => simulate({ n: 10, sed: 1 } as never), "options.sed", "seed"],
    ["standardErrors", () => standardErrors(res, data, { levle: 0.9 } as never), "options.levle", "level"],
    ["confidenceBands", () => confidenceBands(res, data, { metod: "bootstrap" } as never), "options.metod", "method"],
    ["selectBandwidth", () => selectBandwidth(data, { K: 2, fold: 3 } as never), "options.fold", "folds"],
    ["selectK", () => selectK(data, { candidate: [2, 3] } as never), "options.candidate", "candidates"],
    ["glrt options", () => glrt(data, { K: 2 }, { coefficient: { part: "sigma" }, b: 10 } as never), "options.b", "B"],
    ["glrt fullOptions", () => glrt(data, { K: 2, kernal: "gaussian" } as never, { coefficient: { part: "sigma" } }), "fullOptions.kernal", "kernel"],
    ["createPool", () => createPool({ worker: 2 } as never), "options.worker", "workers"],
    ["runParallel", () => runParallel({ kind: "vcmoe:selftest", payload: {}, count: 1 }, { chunksize: 2 } as never), "options.chunksize", "chunkSize"],
    ["formatSummary", () => formatSummary(res, { digit: 3 } as never), "options.digit", "digits"],
    ["ruleOfThumbBandwidth", () => ruleOfThumbBandwidth(data, { kernell: "gaussian" } as never), "options.kernell", "kernel"],
    ["data column", () => fit({ ...data, weight: data.y.map(() => 1) } as never, { K: 2 }), "data.weight", "weights"],
    ["no near name", () => fit(data, { K: 2, colour: "red" } as never), "options.colour", null],
  ];

  test.each(cases)("%s", async (_name, run, argument, suggestion) => {
    const e = await inputError(run);
    expect(e.argument).toBe(argument);
    expect(e.message).toContain(suggestion ? `did you mean '${suggestion}'?` : "the allowed names are 'K', 'bandwidth'");
  });

  test("keys beside the data that look like no column (e.g. the true labels) are ignored", async () => {
    const r = await fit({ ...data, component: sim.component } as never, { K: 2, bandwidth: 0.3, grid: 15 });
    expect(r.logLik).toBe(res.logLik);
  });
});

describe("bandwidth, data of the fit, text cells, cancellation", async () => {
  const sim = await simulate({ n: 400, seed: 2 });
  const data = sim.data;
  const res: VCMoEFit = await fit(data, { K: 2, bandwidth: 0.3, grid: 15 });

  test("a bandwidth above 1 on the unit u scale warns (in fit, selectK and selectBandwidth)", async () => {
    const wide = await fit(data, { K: 2, bandwidth: 2.5, grid: 15 });
    expect(wide.diagnostics.warnings[0]).toMatch(/^bandwidth 2.5 is larger than 1 on the unit u scale .* Divide it by the range of u$/);
    expect(res.diagnostics.warnings.join(" ")).not.toMatch(/larger than 1/);
    const sk = await selectK(data, { candidates: [1], bandwidth: 3, grid: 11 });
    expect(sk.warnings.join(" ")).toMatch(/bandwidth 3 is larger than 1/);
  });

  test("confidenceBands, standardErrors and effectiveDegreesOfFreedom refuse data that are not the fit's", async () => {
    const otherY = { ...data, y: data.y.map((v, i) => (i === 7 ? v + 1e-9 : v)) };
    const order = data.y.map((_, i) => i).reverse();
    const reordered = { y: order.map((i) => data.y[i]), u: order.map((i) => data.u[i]), z: { z1: order.map((i) => data.z.z1[i]) }, x: { x1: order.map((i) => data.x.x1[i]) } };
    for (const d of [otherY, reordered]) {
      for (const run of [() => confidenceBands(res, d), () => standardErrors(res, d), () => effectiveDegreesOfFreedom(res, d)]) {
        const e = await inputError(run);
        expect(e.argument).toBe("data");
        expect(e.message).toMatch(/not the data this fit was made from/);
      }
    }
    // the fit's own data (a copy) are accepted
    const copy = JSON.parse(JSON.stringify(data));
    expect((await standardErrors(res, copy)).curves.length).toBe(res.curves.length);
  });

  test("text cells are called text, with the row", async () => {
    const e = await inputError(() => fit({ ...data, y: data.y.map((v, i) => (i === 3 ? String(v) : v)) } as never, { K: 2 }));
    expect(e.argument).toBe("data.y");
    expect(e.message).toContain(`is text, not numbers: row 3 is the string "${data.y[3]}"`);
    const z = await inputError(() => fit({ ...data, z: { z1: data.z.z1.map(String) } } as never, { K: 2 }));
    expect(z.argument).toBe("data.z.z1");
    expect(z.message).toMatch(/is text, not numbers: row 0 is the string ".*"\. Convert the column with Number .* or wrap it in factor\(\)/);
    // null is a missing value, not text
    const m = await inputError(() => fit({ ...data, y: data.y.map((v, i) => (i === 5 ? null : v)) } as never, { K: 2 }));
    expect(m.message).toMatch(/non-finite value .* at row 5/);
  });

  test("fit() accepts an AbortSignal: refused when already aborted, stopped between stages, validated", async () => {
    const pre = new AbortController();
    pre.abort(new Error("stop before"));
    await expect(fit(data, { K: 2, signal: pre.signal })).rejects.toThrow("stop before");
    // not aborted when the fit starts: the abort arrives while it runs and is honoured at the next stage
    const during = new AbortController();
    const p = fit(data, { K: 2, bandwidth: 0.3, signal: during.signal });
    expect(during.signal.aborted).toBe(false);
    setTimeout(() => during.abort(new Error("stop during")), 0);
    await expect(p).rejects.toThrow("stop during");
    const e = await inputError(() => fit(data, { K: 2, signal: "soon" as never }));
    expect(e.argument).toBe("options.signal");
  });
});
