// Generators of hostile and ordinary inputs for every public call. fast-check draws small
// "recipes" (shrinkable, readable in a failure report) and build* turns them into the
// data and options the library sees.
import fc from "fast-check";

export type Family = "gaussian" | "binomial" | "poisson" | "negbin";

export interface DataRecipe {
  n: number;
  seed: number;
  family: Family;
  u: "uniform" | "ties" | "single" | "two" | "huge" | "tiny" | "nan" | "string" | "sorted";
  y: "model" | "outlier" | "huge" | "tiny" | "constant" | "nan" | "inf" | "string" | "zeros" | "separated" | "negative" | "fraction";
  z: "none" | "one" | "two" | "collinear" | "constant" | "huge" | "tiny" | "string" | "nan";
  x: "none" | "one" | "constant" | "huge" | "string";
  weights: "none" | "ones" | "integers" | "zeros" | "someZero" | "negative" | "nan" | "short";
  extra: "none" | "trials" | "badTrials" | "offset" | "hugeOffset" | "shortY" | "notArray";
}

/** Deterministic draws for building columns (xorshift32). */
function stream(seed: number): () => number {
  let s = (seed | 0) || 1;
  return () => { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; return ((s >>> 0) + 0.5) / 4294967296; };
}

/**
 * A recipe is ordinary in every respect, then (in 70% of cases) made hostile in one:
 * one field takes one hostile value. Shrinking then points at the single cause.
 */
function withOneHostile<T extends object>(ordinary: fc.Arbitrary<T>, hostile: { [K in keyof T]?: Array<T[K]> }, share = 0.7): fc.Arbitrary<T> {
  const choices = Object.entries(hostile).flatMap(([k, vs]) => (vs as unknown[]).map((v) => [k, v] as const));
  const perturb = fc.constantFrom(...choices);
  const freq = Math.max(1, Math.round(1 / (1 - share)));
  return fc.tuple(ordinary, fc.option(perturb, { nil: undefined, freq })).map(([o, p]) => (p ? { ...o, [p[0]]: p[1] } : o));
}

export const dataRecipe: fc.Arbitrary<DataRecipe> = withOneHostile(fc.record({
  n: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 30, max: 150 }) }, { weight: 1, arbitrary: fc.constantFrom(200, 300) }),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  family: fc.constantFrom<Family>("gaussian", "gaussian", "binomial", "poisson", "negbin"),
  u: fc.constantFrom<DataRecipe["u"]>("uniform", "uniform", "sorted", "ties"),
  y: fc.constant<DataRecipe["y"]>("model"),
  z: fc.constantFrom<DataRecipe["z"]>("none", "one", "one", "two"),
  x: fc.constantFrom<DataRecipe["x"]>("none", "one", "one"),
  weights: fc.constantFrom<DataRecipe["weights"]>("none", "none", "ones", "integers", "someZero"),
  extra: fc.constantFrom<DataRecipe["extra"]>("none", "none", "trials", "offset"),
}), {
  n: [0, 1, 2, 5, 9, 13],
  u: ["single", "two", "huge", "tiny", "nan", "string"],
  y: ["outlier", "huge", "tiny", "constant", "nan", "inf", "string", "zeros", "separated", "negative", "fraction"],
  z: ["collinear", "constant", "huge", "tiny", "string", "nan"],
  x: ["constant", "huge", "string"],
  weights: ["zeros", "negative", "nan", "short"],
  extra: ["badTrials", "hugeOffset", "shortY", "notArray"],
});

type Col = Array<number | string | null>;

export function buildData(recipe: DataRecipe): Record<string, unknown> {
  // ordinary extras only where the family takes them (binomial trials; count offsets)
  const fits = (recipe.extra === "trials" && recipe.family === "binomial") || (recipe.extra === "offset" && (recipe.family === "poisson" || recipe.family === "negbin"));
  const r = recipe.extra === "trials" || recipe.extra === "offset" ? { ...recipe, extra: fits ? recipe.extra : ("none" as const) } : recipe;
  const rnd = stream(r.seed);
  const n = r.n;
  const normal = () => Math.sqrt(-2 * Math.log(rnd())) * Math.cos(2 * Math.PI * rnd());
  const u: Col = Array.from({ length: n }, () => rnd());
  if (r.u === "ties") for (let i = 0; i < n; i++) u[i] = Math.floor((u[i] as number) * 4) / 4;
  if (r.u === "single") u.fill(0.5);
  if (r.u === "two") for (let i = 0; i < n; i++) u[i] = i % 2;
  if (r.u === "huge") for (let i = 0; i < n; i++) u[i] = (u[i] as number) * 1e300;
  if (r.u === "tiny") for (let i = 0; i < n; i++) u[i] = (u[i] as number) * 1e-300;
  if (r.u === "sorted") u.sort((a, b) => (a as number) - (b as number));
  if (r.u === "nan" && n > 0) u[Math.floor(rnd() * n)] = NaN;
  if (r.u === "string" && n > 0) u[0] = "0.5";
  const z1 = Array.from({ length: n }, normal), x1 = Array.from({ length: n }, normal);
  const lab = Array.from({ length: n }, () => (rnd() < 0.5 ? 0 : 1));
  const eta = Array.from({ length: n }, (_, i) => (lab[i] ? 1 : -1) * (0.8 + 0.5 * (u[i] as number || 0)) + 0.4 * z1[i]);
  const trials = Array.from({ length: n }, () => 1 + Math.floor(rnd() * 20));
  let y: Col;
  switch (r.family) {
    case "gaussian": y = eta.map((e) => e + 0.3 * normal()); break;
    case "binomial": y = eta.map((e, i) => { const p = 1 / (1 + Math.exp(-e)); let s = 0; for (let k = 0; k < trials[i]; k++) s += rnd() < p ? 1 : 0; return r.extra === "trials" ? s : rnd() < p ? 1 : 0; }); break;
    default: y = eta.map((e) => { const mu = Math.exp(e + 1); let k = 0, p = Math.exp(-mu), c = p; const v = rnd(); while (v > c && k < 1000) { k++; p *= mu / k; c += p; } return k; });
  }
  if (r.y === "outlier" && n > 0) y[0] = 1e6;
  if (r.y === "huge") y = y.map((v) => (v as number) * 1e300);
  if (r.y === "tiny") y = y.map((v) => (v as number) * 1e-300);
  if (r.y === "constant") y.fill(r.family === "gaussian" ? 2.5 : 1);
  if (r.y === "nan" && n > 0) y[n - 1] = NaN;
  if (r.y === "inf" && n > 0) y[0] = Infinity;
  if (r.y === "string" && n > 0) y[0] = "1.23";
  if (r.y === "zeros") y.fill(0);
  if (r.y === "separated") y = z1.map((v) => (v > 0 ? 1 : 0));
  if (r.y === "negative" && n > 0) y[0] = -1;
  if (r.y === "fraction" && n > 0) y[0] = 0.5;
  const data: Record<string, unknown> = { y, u };
  const zc: Record<string, Col> = {};
  if (r.z === "one") zc.z1 = z1;
  if (r.z === "two") { zc.z1 = z1; zc.z2 = Array.from({ length: n }, normal); }
  if (r.z === "collinear") { zc.z1 = z1; zc.z2 = z1.map((v) => 2 * v); }
  if (r.z === "constant") zc.z1 = new Array(n).fill(3);
  if (r.z === "huge") zc.z1 = z1.map((v) => v * 1e300);
  if (r.z === "tiny") zc.z1 = z1.map((v) => v * 1e-300);
  if (r.z === "string") zc.z1 = z1.map((v, i) => (i === 0 ? "a" : v));
  if (r.z === "nan") zc.z1 = z1.map((v, i) => (i === 1 ? NaN : v));
  if (r.z !== "none") data.z = zc;
  if (r.x === "one") data.x = { x1 };
  if (r.x === "constant") data.x = { x1: new Array(n).fill(1) };
  if (r.x === "huge") data.x = { x1: x1.map((v) => v * 1e300) };
  if (r.x === "string") data.x = { x1: x1.map((v, i) => (i === 2 ? "b" : v)) };
  if (r.weights === "ones") data.weights = new Array(n).fill(1);
  if (r.weights === "integers") data.weights = Array.from({ length: n }, (_, i) => 1 + (i % 3));
  if (r.weights === "zeros") data.weights = new Array(n).fill(0);
  if (r.weights === "someZero") data.weights = Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 0 : 1));
  if (r.weights === "negative") data.weights = Array.from({ length: n }, (_, i) => (i === 0 ? -1 : 1));
  if (r.weights === "nan") data.weights = Array.from({ length: n }, (_, i) => (i === 0 ? NaN : 1));
  if (r.weights === "short") data.weights = new Array(Math.max(0, n - 1)).fill(1);
  if (r.extra === "trials" || r.extra === "badTrials") data.trials = r.extra === "trials" ? trials : trials.map((t, i) => (i === 0 ? -2 : t));
  if (r.extra === "offset") data.offset = Array.from({ length: n }, () => Math.log(0.5 + rnd()));
  if (r.extra === "hugeOffset") data.offset = Array.from({ length: n }, (_, i) => (i === 0 ? 1e300 : 0));
  if (r.extra === "shortY") data.y = (data.y as Col).slice(1);
  if (r.extra === "notArray") data.u = "not an array";
  return data;
}

/** Options as callers write them: ordinary, or with one wrong type or out-of-range value. */
export const fitOptionsArb = withOneHostile(fc.record({
  K: fc.constantFrom<number>(2, 2, 2, 3),
  bandwidth: fc.constantFrom<number | undefined>(undefined, 0.2, 0.3, 0.5),
  grid: fc.constantFrom<number | undefined>(undefined, 5, 12),
  family: fc.constant(undefined as string | undefined),
  method: fc.constantFrom<string | undefined>(undefined, undefined, "label-consistent", "local-align"),
  seed: fc.constantFrom<number | undefined>(undefined, 1, 7, 123),
  maxIter: fc.constantFrom<number>(20, 60),
  starts: fc.constantFrom<number>(2, 3),
  missing: fc.constantFrom<string | undefined>(undefined, undefined, "drop", "error"),
  refine: fc.constantFrom<boolean | undefined>(undefined, false, true),
}), {
  K: [1, 5, 10, 11, 0, -1, 2.5, "2" as unknown as number, undefined as unknown as number],
  bandwidth: [1, 2, 1e-6, 0, -1, NaN, Infinity, "0.3" as unknown as number],
  grid: [1, 0, 2.5, [0.2, 0.1] as unknown as number, [] as unknown as number],
  family: ["gaussian", "binomial", "poisson", "negbin", "weibull"],
  method: ["magic"],
  seed: [1.5, -3, NaN],
  missing: ["ignore"],
  refine: ["yes" as unknown as boolean],
});

export type FitOptionsRecipe = typeof fitOptionsArb extends fc.Arbitrary<infer T> ? T : never;

/** Drops undefined keys (options objects as a caller would write them). */
export function clean<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The options a case passes, with the family taken from the data recipe unless the options override it. */
export function fitOptionsFor(r: DataRecipe, o: FitOptionsRecipe): Record<string, unknown> {
  return clean({ ...o, family: o.family ?? r.family, dispersion: undefined });
}

/** A known-good data set and options for calls that need a fit first (predict, inference). */
export const goodFit = fc.record({
  seed: fc.integer({ min: 1, max: 10_000 }),
  n: fc.constantFrom(120, 200),
  family: fc.constantFrom("gaussian", "gaussian", "poisson", "binomial"),
});
