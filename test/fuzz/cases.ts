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
  n: fc.integer({ min: 2, max: 400 }),
  seed: fc.option(fc.integer(), { nil: undefined }),
  family: fc.constantFrom(undefined, "gaussian", "binomial", "poisson", "negbin"),
  K: fc.constantFrom(undefined, 2, 3, 5, 10),
  separation: fc.constantFrom(undefined, 0, 0.5, 2),
}).chain((o) => fc.option(fc.constantFrom<[string, unknown]>(
  ["n", -1], ["n", 2.5], ["n", "10"], ["seed", 1.5], ["seed", NaN], ["family", "gamma"], ["K", 1], ["K", 11], ["K", 2.5],
  ["scenario", "ws"], ["scenario", "crossing"], ["scenario", "sep3"], ["scenario", "other"], ["separation", -1], ["separation", NaN],
  ["trials", 1], ["trials", 5], ["trials", 0], ["dispersion", "constant"], ["dispersion", "none"], ["offset", false],
), { nil: undefined, freq: 2 }).map((p) => (p ? { ...o, [p[0]]: p[1] } : o)))
  .map((o): FuzzCase => ({ fn: "simulate", input: { options: clean(o) } }));

const predict = fc.tuple(goodFit, dataRecipe).map(([g, r]): FuzzCase => {
  const nd = buildData({ ...r, family: g.family as Family });
  return { fn: "predict", input: { ...good(g), newData: nd } };
});

const level = fc.constantFrom<number | undefined>(undefined, 0.9, 0.95, 0.99);
const badLevel = [1, 0, 1.5, -0.5, NaN, "0.95" as unknown as number];

/** `arb` in about one case in `every`, else undefined (fast-check's `freq` is the odds of undefined). */
const sometimes = <T>(arb: fc.Arbitrary<T>, every: number) => fc.oneof({ weight: every - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

const standardErrors = fc.tuple(goodFit, sometimes(dataRecipe, 5), sometimes(fc.constantFrom(...badLevel), 5), level)
  .map(([g, r, bad, lv]): FuzzCase => {
    const base = good(g);
    // other data than the fit's: a hostile recipe (the call must refuse data that are not the fit's or fail cleanly)
    return { fn: "standardErrors", input: { ...base, ...(r ? { data: buildData({ ...r, family: g.family as Family }) } : {}), options: clean({ level: bad ?? lv }) } };
  });

const bandOptions = fc.record({
  method: fc.constantFrom<string | undefined>(undefined, "multiplier", "extreme-value", "bootstrap", "bootstrap"),
  bootstrap: fc.constantFrom<string | undefined>(undefined, "parametric", "nonparametric"),
  B: fc.constantFrom<number>(2, 3),
  level,
  draws: fc.constant<number>(200),
  seed: fc.constantFrom<number | undefined>(undefined, 1, 7),
}).chain((o) => sometimes(fc.constantFrom<[string, unknown]>(
  ["method", "jackknife"], ["bootstrap", "wild"], ["B", 0], ["B", -1], ["B", 1.5], ["level", 1.5], ["level", 0], ["level", NaN],
  ["draws", 0], ["draws", -5], ["seed", 1.5],
), 3).map((p) => (p ? { ...o, [p[0]]: p[1] } : o)));

const confidenceBands = fc.tuple(goodFit, bandOptions).map(([g, o]): FuzzCase => ({ fn: "confidenceBands", input: { ...good(g), options: clean(o) } }));

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
  if (opts.method === "local-align") delete opts.method; // the GLRT needs the label-consistent EM (a documented input error)
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

// no bias toward the "smallest" choices: every recipe field is a category, not a size
export const CASES: Record<string, fc.Arbitrary<FuzzCase>> = Object.fromEntries(Object.entries({
  fit, fitConstant, simulate, predict, standardErrors, confidenceBands, glrt, selectBandwidth, selectK,
}).map(([k, a]) => [k, fc.noBias(a)]));
