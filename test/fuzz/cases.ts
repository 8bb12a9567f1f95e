// One generator of cases per public call: { fn, input } as the worker (exec-worker.mjs) runs them.
import fc from "fast-check";
import { buildData, clean, dataRecipe, fitOptionsArb, fitOptionsFor, goodFit, type DataRecipe, type Family } from "./arbitraries.js";

export interface FuzzCase { fn: string; input: Record<string, unknown> }

/** A well-formed data set and fit options for the calls that need a fit first. */
function good(g: { seed: number; n: number; family: string }) {
  const r: DataRecipe = { n: g.n, seed: g.seed, family: g.family as Family, u: "uniform", y: "model", z: "one", x: "one", weights: "none", extra: "none" };
  return { fitData: buildData(r), fitOptions: { K: 2, bandwidth: 0.4, grid: 8, family: g.family, maxIter: 60, starts: 2 } };
}

const fit = fc.tuple(dataRecipe, fitOptionsArb).map(([r, o]): FuzzCase => ({ fn: "fit", input: { data: buildData(r), options: fitOptionsFor(r, o) } }));

const fitConstant = fc.tuple(dataRecipe, fitOptionsArb).map(([r, o]): FuzzCase => {
  const { bandwidth: _b, grid: _g, method: _m, refine: _r, ...rest } = fitOptionsFor(r, o);
  return { fn: "fitConstant", input: { data: buildData(r), options: rest } };
});

const simulate = fc.record({
  n: fc.oneof(fc.integer({ min: 0, max: 400 }), fc.constantFrom(-1, 2.5, "10" as unknown as number)),
  seed: fc.option(fc.oneof(fc.integer(), fc.constantFrom(1.5, NaN)), { nil: undefined }),
  family: fc.option(fc.constantFrom("gaussian", "binomial", "poisson", "negbin", "gamma"), { nil: undefined }),
  K: fc.option(fc.constantFrom(1, 2, 3, 5, 10, 11, 2.5), { nil: undefined }),
  scenario: fc.option(fc.constantFrom("ws", "crossing", "sep3", "mix", "other"), { nil: undefined }),
  separation: fc.option(fc.constantFrom(0, 0.5, 2, -1, NaN), { nil: undefined }),
  trials: fc.option(fc.constantFrom(1, 5, 0, 2.5), { nil: undefined }),
  dispersion: fc.option(fc.constantFrom("varying", "constant", "none"), { nil: undefined }),
}).map((o): FuzzCase => ({ fn: "simulate", input: { options: clean(o) } }));

const predict = fc.tuple(goodFit, dataRecipe).map(([g, r]): FuzzCase => {
  const nd = buildData({ ...r, family: g.family as Family });
  return { fn: "predict", input: { ...good(g), newData: nd } };
});

const level = fc.constantFrom(undefined, undefined, 0.9, 0.95, 0.99, 0.9, 0.95, 0.99, 1, 0, 1.5, -0.5, NaN, "0.95" as unknown as number);

const standardErrors = fc.tuple(goodFit, fc.option(dataRecipe, { nil: undefined, freq: 2 }), level).map(([g, r, lv]): FuzzCase => {
  const base = good(g);
  // other data than the fit's: a hostile recipe (the call must refuse data that are not the fit's or fail cleanly)
  return { fn: "standardErrors", input: { ...base, ...(r ? { data: buildData({ ...r, family: g.family as Family }) } : {}), options: clean({ level: lv }) } };
});

const confidenceBands = fc.tuple(goodFit, fc.record({
  method: fc.constantFrom(undefined, "multiplier", "extreme-value", "bootstrap", "bootstrap", "multiplier", "jackknife"),
  bootstrap: fc.constantFrom(undefined, undefined, "parametric", "nonparametric", "nonparametric", "wild"),
  B: fc.constantFrom(2, 3, 3, 3, 0, -1, 1.5),
  level,
  draws: fc.constantFrom(200, 200, 200, 0, -5),
  seed: fc.constantFrom(undefined, 1, 7, 7, 1.5),
})).map(([g, o]): FuzzCase => ({ fn: "confidenceBands", input: { ...good(g), options: clean(o) } }));

const coefficient = fc.oneof(
  fc.constant({ part: "expert", component: 1, term: "z1" }),
  fc.constant({ part: "gating", term: "x1" }),
  fc.constant({ part: "sigma" }),
  fc.constant({ part: "expert", component: 3, term: "z1" }),
  fc.constant({ part: "expert", component: 1, term: "nope" }),
  fc.constant({ part: "weird" }),
  fc.constant([]),
);

const glrt = fc.tuple(dataRecipe, fitOptionsArb, coefficient, fc.constantFrom(0, 2)).map(([r, o, c, B]): FuzzCase => {
  const { refine: _r, ...opts } = fitOptionsFor(r, o);
  return { fn: "glrt", input: { data: buildData(r), options: opts, test: { coefficient: c, B } } };
});

const selectBandwidth = fc.tuple(dataRecipe, fc.record({
  K: fc.constantFrom(2, 2, 3, 0),
  candidates: fc.option(fc.constantFrom([0.3, 0.6], [0.2], [], [-1, 0.3], [NaN]), { nil: undefined }),
  folds: fc.constantFrom(2, 3, 1, 0),
})).map(([r, o]): FuzzCase => ({ fn: "selectBandwidth", input: { data: buildData(r), options: clean({ ...o, family: r.family, maxIter: 20, starts: 2, grid: 6 }) } }));

const selectK = fc.tuple(dataRecipe, fc.record({
  candidates: fc.option(fc.constantFrom([1, 2], [2], [1, 2, 3], [], [0], [11], [2, 2]), { nil: undefined }),
  bandwidth: fc.option(fc.constantFrom(0.3, 0.6, -1), { nil: undefined }),
})).map(([r, o]): FuzzCase => ({ fn: "selectK", input: { data: buildData(r), options: clean({ ...o, family: r.family, maxIter: 20, starts: 2, grid: 6 }) } }));

export const CASES: Record<string, fc.Arbitrary<FuzzCase>> = {
  fit, fitConstant, simulate, predict, standardErrors, confidenceBands, glrt, selectBandwidth, selectK,
};
