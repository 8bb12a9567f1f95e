// Categorical covariates. A column of text (or a factor() column) in z or x is coded
// as R's model matrices code a factor under treatment contrasts: one 0/1 column per
// level except the reference level, named "column=level". When the part has no
// intercept, the first categorical column gets a column for every level instead (as
// R's model.matrix does for `~ 0 + f`), so the part still spans the level means.
import { VCMoEInputError } from "../errors.js";

/** A column marked as categorical, with an optional level order and reference level. */
export interface Factor {
  readonly kind: "factor";
  /** Cell values; null, undefined, NaN and "" are missing. */
  values: ReadonlyArray<string | number | boolean | null | undefined>;
  /** Levels in order (default: the distinct values, sorted; numbers numerically). */
  levels?: string[];
  /** The level left out of the dummy coding (default: the first level). */
  reference?: string;
}

/** How one categorical column was coded (kept in the fit's model so that predict() codes new data alike). */
export interface FactorCoding {
  /** Which part's covariates it belongs to. */
  part: "z" | "x";
  /** The covariate (column) name. */
  column: string;
  /** Levels in order. */
  levels: string[];
  /** The reference level (absorbed into the intercept), or null when every level has a column. */
  reference: string | null;
  /** Design column names, one per coded level ("column=level"). */
  terms: string[];
}

/**
 * Marks a column as categorical (a factor, in R's words). Text columns in z or x are
 * categorical anyway; factor() is for numeric codes (1, 2, 3 as groups, not as a
 * quantity), a chosen level order or a chosen reference level.
 *
 * @example
 * const res = await fit({ y, u, z: { dose, site: factor(siteCodes, { reference: "B" }) } }, { K: 2 });
 * res.model.factors; // [{ part: "z", column: "site", levels: [...], reference: "B", terms: [...] }]
 */
export function factor(values: ArrayLike<string | number | boolean | null | undefined>, options: { levels?: string[]; reference?: string } = {}): Factor {
  if (values === null || typeof values !== "object" || typeof (values as ArrayLike<unknown>).length !== "number") {
    throw new VCMoEInputError("values", "must be an array of level values");
  }
  if (options.levels !== undefined && (!Array.isArray(options.levels) || options.levels.some((l) => typeof l !== "string"))) {
    throw new VCMoEInputError("options.levels", "must be an array of strings");
  }
  if (options.reference !== undefined && typeof options.reference !== "string") throw new VCMoEInputError("options.reference", "must be a string");
  return { kind: "factor", values: Array.from(values), levels: options.levels?.slice(), reference: options.reference };
}

export function isFactor(v: unknown): v is Factor {
  return typeof v === "object" && v !== null && (v as Factor).kind === "factor" && Array.isArray((v as Factor).values);
}

function isMissingCell(v: unknown): boolean {
  return v === null || v === undefined || v === "" || (typeof v === "number" && Number.isNaN(v));
}

/** A decimal number written as text ("1.5", "-2e3", " 7 "): the mark of a numeric column read as text. */
export function looksNumeric(s: string): boolean {
  return /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(s) || /^\s*[+-]?(Inf|Infinity)\s*$/.test(s);
}

/** A plain array holding text: categorical in z and x (or, when every text cell looks numeric, a mistake). */
export function hasText(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (const x of v) if (typeof x === "string") return true;
  return false;
}

function levelName(v: unknown): string {
  return typeof v === "string" ? v : String(v);
}

/** Codes one categorical column; returns its design columns (NaN on missing rows) and its coding. */
export function codeFactor(argument: string, part: "z" | "x", column: string, v: unknown, n: number, allLevels: boolean, given?: FactorCoding): { columns: Array<[string, Float64Array]>; coding: FactorCoding } {
  let values: ReadonlyArray<unknown>;
  let order: string[] | undefined, reference: string | undefined;
  if (isFactor(v)) {
    values = v.values; order = v.levels; reference = v.reference;
  } else {
    values = v as unknown[];
    const text = values.filter((x): x is string => typeof x === "string" && x !== "");
    const other = values.find((x) => !isMissingCell(x) && typeof x !== "string");
    if (other !== undefined) {
      throw new VCMoEInputError(argument, `mixes text ("${text[0]}") and other values (${String(other)}); pass numbers for a numeric covariate, text for a categorical one, or wrap it in factor()`);
    }
    if (text.length > 0 && text.every(looksNumeric)) {
      const i = values.findIndex((x) => typeof x === "string" && x !== "");
      throw new VCMoEInputError(argument, `is text, not numbers: row ${i} is the string "${values[i]}". Convert the column with Number (e.g. column.map(Number)), or wrap it in factor() if the codes are categories`);
    }
  }
  if (values.length !== n) throw new VCMoEInputError(argument, `has length ${values.length}, expected ${n} (the length of data.y)`);
  let levels: string[];
  if (given) {
    levels = given.levels;
  } else {
    const seen = new Set<string>();
    let numeric = true;
    for (const x of values) {
      if (isMissingCell(x)) continue;
      seen.add(levelName(x));
      if (typeof x !== "number") numeric = false;
    }
    const distinct = [...seen];
    if (order) {
      const missing = distinct.filter((l) => !order!.includes(l));
      if (missing.length) throw new VCMoEInputError(argument, `has values not among its levels: ${missing.slice(0, 5).map((l) => `"${l}"`).join(", ")}`);
      if (new Set(order).size !== order.length) throw new VCMoEInputError(argument, "has repeated levels");
      levels = order.slice();
    } else {
      levels = numeric ? distinct.sort((a, b) => Number(a) - Number(b)) : distinct.sort();
    }
    if (levels.length < 2) throw new VCMoEInputError(argument, `is categorical with ${levels.length === 0 ? "no values" : `a single level ("${levels[0]}")`}: it needs at least 2 levels`);
  }
  let ref: string | null;
  if (given) ref = given.reference;
  else if (allLevels && reference === undefined) ref = null;
  else {
    ref = reference ?? levels[0];
    if (!levels.includes(ref)) throw new VCMoEInputError(argument, `reference level "${ref}" is not one of its levels (${levels.map((l) => `"${l}"`).join(", ")})`);
  }
  const coded = levels.filter((l) => l !== ref);
  const index = new Map(coded.map((l, k) => [l, k]));
  const known = new Set(levels);
  const cols = coded.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const x = values[i];
    if (isMissingCell(x)) { for (const c of cols) c[i] = Number.NaN; continue; }
    const name = levelName(x);
    if (!known.has(name)) {
      throw new VCMoEInputError(argument, `level "${name}" at row ${i} was not seen in the fitted data (levels: ${levels.map((l) => `"${l}"`).join(", ")})`);
    }
    const k = index.get(name);
    if (k !== undefined) cols[k][i] = 1;
  }
  const terms = coded.map((l) => `${column}=${l}`);
  return { columns: terms.map((t, k) => [t, cols[k]]), coding: { part, column, levels, reference: ref, terms } };
}
