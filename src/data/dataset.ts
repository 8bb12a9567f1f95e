// From the caller's columns to the internal Dataset: validated, incomplete rows
// handled, sorted by u (so that each kernel window is a contiguous row range),
// u rescaled to [0, 1], design matrices built row-major with intercepts first.
import { VCMoEInputError } from "../errors.js";
import { argsortStable, checkMagnitude, identityIndex, incompleteRows, keepRows, MAX_MAGNITUDE, MAX_OFFSET, toFloat64, type Column } from "./columns.js";
import { codeFactor, hasText, isFactor, type Factor, type FactorCoding } from "./categorical.js";
import { closestName } from "./optionKeys.js";

export interface VCMoEData {
  /** Response. */
  y: Column;
  /** The index along which coefficients vary (time, pseudotime, dose, ...). */
  u: Column;
  /**
   * Expert covariates by name (an intercept is added unless options.intercept is false).
   * A column of text, or a factor(), is categorical: dummy-coded against a reference level.
   */
  z?: Record<string, Column | Covariate>;
  /** Gating covariates by name (an intercept is added unless options.intercept is false); categorical as in z. */
  x?: Record<string, Column | Covariate>;
  /** Non-negative observation (frequency or survey) weights. */
  weights?: Column;
  /** Binomial family: number of trials per row (y = successes); default 1 (Bernoulli). */
  trials?: Column;
  /** Binomial, Poisson, negative binomial: known offset added to the linear predictor (e.g. log exposure). */
  offset?: Column;
}

/** A categorical covariate: text cells (null or "" for missing), or a factor(). */
export type Covariate = ReadonlyArray<string | null | undefined> | Factor;

/** The columns data may have (anything else is a mistake, e.g. `weight` for `weights`). */
export const DATA_KEYS = ["y", "u", "z", "x", "weights", "trials", "offset"] as const;

export interface DataOptions {
  /** Add intercept columns; `false` for neither, or per part. Default true. */
  intercept?: boolean | { expert?: boolean; gating?: boolean };
  /** 'error' (default): NaN/Infinity is an error; 'drop': drop incomplete rows and report the count. */
  missing?: "error" | "drop";
}

export interface Dataset {
  n: number;
  q: number;
  p: number;
  /** Sorted-row -> original row (after dropping incomplete rows: index into the kept rows). */
  order: Int32Array;
  /** Original row index of every kept row (identity unless rows were dropped). */
  keptRows: Int32Array;
  droppedRows: number;
  uMin: number;
  uRange: number;
  /** u rescaled to [0, 1], sorted ascending. */
  t: Float64Array;
  y: Float64Array;
  w: Float64Array;
  /** n×q row-major expert design. */
  Z: Float64Array;
  /** n×p row-major gating design. */
  X: Float64Array;
  /** data.trials in sorted row order (null when not given). */
  trials: Float64Array | null;
  /** data.offset in sorted row order (null when not given). */
  offset: Float64Array | null;
  zNames: string[];
  xNames: string[];
  interceptExpert: boolean;
  interceptGating: boolean;
  /** Categorical covariates and their coding (absent or empty when there are none). */
  factors?: FactorCoding[];
}

export const INTERCEPT = "(Intercept)";

function interceptFlags(opt: DataOptions["intercept"]): { expert: boolean; gating: boolean } {
  if (opt === undefined || opt === true) return { expert: true, gating: true };
  if (opt === false) return { expert: false, gating: false };
  if (typeof opt === "object" && opt !== null) {
    return { expert: opt.expert ?? true, gating: opt.gating ?? true };
  }
  throw new VCMoEInputError("options.intercept", "must be a boolean or { expert?, gating? }");
}

function namedColumns(argument: string, cols: unknown, n: number, part: "z" | "x", allLevels: boolean, factors: FactorCoding[]): Array<[string, Float64Array]> {
  if (cols === undefined) return [];
  if (typeof cols !== "object" || cols === null || Array.isArray(cols) || ArrayBuffer.isView(cols)) {
    throw new VCMoEInputError(argument, "must be an object mapping covariate names to columns");
  }
  const out: Array<[string, Float64Array]> = [];
  for (const [name, v] of Object.entries(cols as Record<string, unknown>)) {
    if (isFactor(v) || hasText(v)) {
      // R's model.matrix: without an intercept the first factor is coded with every level
      const coded = codeFactor(`${argument}.${name}`, part, name, v, n, allLevels && !factors.some((f) => f.part === part));
      factors.push(coded.coding);
      out.push(...coded.columns);
    } else {
      out.push([name, toFloat64(`${argument}.${name}`, v, n)]);
    }
  }
  return out;
}

/** Validates and prepares the caller's data (nothing the caller passed is mutated). */
export function prepareData(data: VCMoEData, options: DataOptions = {}): Dataset {
  if (typeof data !== "object" || data === null) throw new VCMoEInputError("data", "must be an object { y, u, z?, x?, weights? }");
  // other keys (e.g. true labels kept beside the data) are ignored, unless they look like a misspelt column
  for (const key of Object.keys(data)) {
    const near = (DATA_KEYS as readonly string[]).includes(key) ? null : closestName(key, DATA_KEYS);
    if (near) throw new VCMoEInputError(`data.${key}`, `is not a data column; did you mean '${near}'?`);
  }
  if (data.y === undefined) throw new VCMoEInputError("data.y", "is required");
  if (data.u === undefined) throw new VCMoEInputError("data.u", "is required");
  let y = toFloat64("data.y", data.y, -1);
  const n0 = y.length;
  if (n0 === 0) throw new VCMoEInputError("data.y", "is empty");
  let u = toFloat64("data.u", data.u, n0);
  const ic = interceptFlags(options.intercept);
  const factors: FactorCoding[] = [];
  const zc = namedColumns("data.z", data.z, n0, "z", !ic.expert, factors);
  const xc = namedColumns("data.x", data.x, n0, "x", !ic.gating, factors);
  let w = data.weights === undefined ? new Float64Array(n0).fill(1) : toFloat64("data.weights", data.weights, n0);
  let trials = data.trials === undefined ? null : toFloat64("data.trials", data.trials, n0);
  let offset = data.offset === undefined ? null : toFloat64("data.offset", data.offset, n0);
  const missing = options.missing === undefined ? "error" : options.missing; // null is an error, not the default
  if (missing !== "error" && missing !== "drop") throw new VCMoEInputError("options.missing", "must be 'error' or 'drop'");

  const named: Array<[string, Float64Array]> = [["data.y", y], ["data.u", u], ...zc.map(([k, v]) => [`data.z.${k}`, v] as [string, Float64Array]),
    ...xc.map(([k, v]) => [`data.x.${k}`, v] as [string, Float64Array]), ["data.weights", w],
    ...(trials ? [["data.trials", trials] as [string, Float64Array]] : []), ...(offset ? [["data.offset", offset] as [string, Float64Array]] : [])];
  // finite values too large to compute with are input errors whatever options.missing says
  for (const [name, col] of named) {
    if (name === "data.offset") checkMagnitude(name, col, MAX_OFFSET, "an offset is on the link scale, where exp() overflows beyond 709");
    else checkMagnitude(name, col, MAX_MAGNITUDE, "their squares must fit in double precision; rescale the column");
  }
  const bad = incompleteRows(named.map(([, v]) => v), n0);
  let keptRows = identityIndex(n0);
  if (bad.length > 0) {
    if (missing === "error") {
      const i = bad[0];
      const which = named.find(([, v]) => !Number.isFinite(v[i]))![0];
      // a categorical column's design columns are named "column=level": report the column
      const coding = factors.find((f) => f.terms.some((t) => which === `data.${f.part}.${t}`));
      if (coding) throw new VCMoEInputError(`data.${coding.part}.${coding.column}`, `is missing (null or "") at row ${i}; ${bad.length} row(s) are incomplete. Pass options.missing = 'drop' to drop them`);
      throw new VCMoEInputError(which, `has a non-finite value (NaN or Infinity) at row ${i}; ${bad.length} row(s) are incomplete. Pass options.missing = 'drop' to drop them`);
    }
    const keep = new Uint8Array(n0).fill(1);
    for (const i of bad) keep[i] = 0;
    const cnt = n0 - bad.length;
    y = keepRows(y, keep, cnt);
    u = keepRows(u, keep, cnt);
    w = keepRows(w, keep, cnt);
    if (trials) trials = keepRows(trials, keep, cnt);
    if (offset) offset = keepRows(offset, keep, cnt);
    for (const e of zc) e[1] = keepRows(e[1], keep, cnt);
    for (const e of xc) e[1] = keepRows(e[1], keep, cnt);
    keptRows = new Int32Array(cnt);
    let k = 0;
    for (let i = 0; i < n0; i++) if (keep[i]) keptRows[k++] = i;
  }
  const n = y.length;
  for (let i = 0; i < n; i++) {
    if (w[i] < 0) throw new VCMoEInputError("data.weights", `must be non-negative (row ${keptRows[i]} is ${w[i]})`);
  }
  let wsum = 0;
  for (let i = 0; i < n; i++) wsum += w[i];
  if (!(wsum > 0)) throw new VCMoEInputError("data.weights", "are all zero");

  let uMin = Infinity, uMax = -Infinity;
  for (let i = 0; i < n; i++) { uMin = Math.min(uMin, u[i]); uMax = Math.max(uMax, u[i]); }
  if (!(uMax > uMin)) throw new VCMoEInputError("data.u", "is constant: a varying-coefficient model needs u to vary");
  const uRange = uMax - uMin;

  const order = argsortStable(u); // by u, ties in row order
  const zNames = [...(ic.expert ? [INTERCEPT] : []), ...zc.map(([k]) => k)];
  const xNames = [...(ic.gating ? [INTERCEPT] : []), ...xc.map(([k]) => k)];
  if (zNames.length === 0) throw new VCMoEInputError("data.z", "the expert model has no columns (no covariates and intercept: false)");
  if (xNames.length === 0) throw new VCMoEInputError("data.x", "the gating model has no columns (no covariates and intercept: false)");
  const q = zNames.length, p = xNames.length;
  const t = new Float64Array(n), ys = new Float64Array(n), ws = new Float64Array(n);
  const ts = trials ? new Float64Array(n) : null, os = offset ? new Float64Array(n) : null;
  const Z = new Float64Array(n * q), X = new Float64Array(n * p);
  for (let r = 0; r < n; r++) {
    const i = order[r];
    t[r] = (u[i] - uMin) / uRange;
    ys[r] = y[i];
    ws[r] = w[i];
    if (ts) ts[r] = trials![i];
    if (os) os[r] = offset![i];
  }
  // the design matrices column by column (row-major, in sorted row order)
  const fill = (M: Float64Array, d: number, intercept: boolean, cols: Array<[string, Float64Array]>) => {
    let k = 0;
    if (intercept) { for (let r = 0; r < n; r++) M[r * d] = 1; k++; }
    for (const [, col] of cols) {
      for (let r = 0; r < n; r++) M[r * d + k] = col[order[r]];
      k++;
    }
  };
  fill(Z, q, ic.expert, zc);
  fill(X, p, ic.gating, xc);
  const ds: Dataset = {
    n, q, p, order, keptRows, droppedRows: bad.length, uMin, uRange, t, y: ys, w: ws, Z, X, trials: ts, offset: os, zNames, xNames,
    interceptExpert: ic.expert, interceptGating: ic.gating, factors,
  };
  checkFullRank(ds.Z, ds.w, n, q, zNames, "data.z");
  checkFullRank(ds.X, ds.w, n, p, xNames, "data.x");
  return ds;
}

/** Rejects a design whose weighted Gram matrix is (numerically) singular, naming the columns. */
function checkFullRank(M: Float64Array, w: Float64Array, n: number, d: number, names: string[], argument: string): void {
  // columns divided by their largest magnitude first, so that the squares of tiny (1e-200) or
  // huge (1e150) columns neither underflow nor overflow
  const big = new Float64Array(d);
  for (let i = 0; i < n; i++) if (w[i] > 0) for (let a = 0; a < d; a++) big[a] = Math.max(big[a], Math.abs(M[i * d + a]));
  const G = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const va = w[i] * (M[i * d + a] / big[a]);
      for (let b = 0; b <= a; b++) G[a * d + b] += va * (M[i * d + b] / big[b]);
    }
  }
  // Cholesky on the correlation-scaled Gram so the threshold is scale-free
  const sc = new Float64Array(d);
  for (let a = 0; a < d; a++) sc[a] = Math.sqrt(G[a * d + a]);
  for (let a = 0; a < d; a++) {
    if (!(sc[a] > 0)) throw new VCMoEInputError(argument, `singular design: column '${names[a]}' is zero on every row with positive weight`);
  }
  for (let a = 0; a < d; a++) for (let b = 0; b <= a; b++) G[a * d + b] /= sc[a] * sc[b];
  for (let j = 0; j < d; j++) {
    let s = G[j * d + j];
    for (let k = 0; k < j; k++) s -= G[j * d + k] ** 2;
    if (!(s > 1e-10)) {
      throw new VCMoEInputError(argument, `singular design: column '${names[j]}' is (nearly) a linear combination of ${names.slice(0, j).map((x) => `'${x}'`).join(", ")}`);
    }
    const l = Math.sqrt(s);
    G[j * d + j] = l;
    for (let i = j + 1; i < d; i++) {
      let v = G[i * d + j];
      for (let k = 0; k < j; k++) v -= G[i * d + k] * G[j * d + k];
      G[i * d + j] = v / l;
    }
  }
}
