// Column handling: every numeric input is copied into a fresh Float64Array (the
// caller's arrays are never mutated) and checked for length and finiteness.
import { VCMoEInputError } from "../errors.js";

export type Column = Float64Array | ArrayLike<number>;

function isColumn(v: unknown): v is Column {
  return v instanceof Float64Array || Array.isArray(v) || ArrayBuffer.isView(v);
}

/** Copies a column into a Float64Array, checking that it has `n` entries (when n >= 0). */
export function toFloat64(argument: string, v: unknown, n: number): Float64Array {
  if (!isColumn(v)) throw new VCMoEInputError(argument, "must be a Float64Array or an array of numbers");
  const col = v as ArrayLike<number>;
  if (n >= 0 && col.length !== n) {
    throw new VCMoEInputError(argument, `has length ${col.length}, expected ${n} (the length of data.y)`);
  }
  const out = new Float64Array(col.length);
  for (let i = 0; i < col.length; i++) {
    const x = col[i] as unknown;
    if (typeof x === "number") out[i] = x;
    else if (x === null || x === undefined) out[i] = Number.NaN; // missing
    else throw new VCMoEInputError(argument, notANumber(x, i));
  }
  return out;
}

/**
 * Largest magnitude accepted in a data column: the library squares values (sums of
 * squares, Gram matrices), and squares of 1e154 and above overflow double precision.
 */
export const MAX_MAGNITUDE = 1e150;
/** Largest |offset| accepted: offsets are on the link scale, and exp() overflows above 709. */
export const MAX_OFFSET = 700;

/** Rejects a finite value too large to compute with, naming the column and the row (non-finite values are the missing-value check's). */
export function checkMagnitude(argument: string, col: Float64Array, bound: number, why: string): void {
  for (let i = 0; i < col.length; i++) {
    if (Number.isFinite(col[i]) && Math.abs(col[i]) > bound) {
      throw new VCMoEInputError(argument, `row ${i} is ${col[i]}: values must be at most ${bound} in magnitude (${why})`);
    }
  }
}

/** Why a cell that is not a number is rejected: text is named as text (a CSV reader's "1.23"). */
function notANumber(x: unknown, i: number): string {
  if (typeof x === "string") {
    return `is text, not numbers: row ${i} is the string ${JSON.stringify(x)}. Convert the column with Number (e.g. column.map(Number))`
      + (x.trim() === "" || x === "NA" ? ", or pass null for a missing value" : "");
  }
  return `must hold numbers: row ${i} is ${typeof x === "object" ? "an object" : `the ${typeof x} ${String(x)}`}`;
}

/** Indices of rows where any of the columns is NaN or infinite. */
export function incompleteRows(columns: Float64Array[], n: number): number[] {
  const bad: number[] = [];
  for (let i = 0; i < n; i++) {
    for (const c of columns) {
      if (!Number.isFinite(c[i])) { bad.push(i); break; }
    }
  }
  return bad;
}

export function keepRows(col: Float64Array, keep: Uint8Array, count: number): Float64Array {
  const out = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < col.length; i++) if (keep[i]) out[k++] = col[i];
  return out;
}

export function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}

export function sd(a: ArrayLike<number>): number {
  const m = mean(a);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - m) ** 2;
  return Math.sqrt(s / Math.max(1, a.length - 1));
}

/** A flat n×K row-major matrix as rows of K numbers; row r lands at position at[r] when `at` is given (a row order to undo). */
export function splitRows(a: Float64Array, K: number, at?: Int32Array): number[][] {
  const n = a.length / K;
  const out = new Array<number[]>(n);
  for (let r = 0; r < n; r++) {
    const row = new Array<number>(K);
    for (let c = 0; c < K; c++) row[c] = a[r * K + c];
    out[at ? at[r] : r] = row;
  }
  return out;
}

/** 0, 1, …, n − 1. */
export function identityIndex(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/**
 * Indices of `key` in increasing order of its values, ties in index order: the order that
 * sorting the indices with (a, b) => key[a] − key[b] || a − b gives for finite keys (−0 and +0
 * tie), by a stable merge sort on typed arrays, several times faster than a comparator sort
 * for large data. Already-ordered keys (data sorted by u) cost one pass.
 */
export function argsortStable(key: Float64Array): Int32Array {
  const n = key.length;
  let a: Int32Array = identityIndex(n);
  let ordered = true;
  for (let i = 1; i < n && ordered; i++) ordered = !(key[i] < key[i - 1]);
  if (ordered) return a;
  // insertion sort of short runs, then bottom-up merges; equal keys never pass each other
  const RUN = 16;
  for (let lo = 0; lo < n; lo += RUN) {
    const hi = Math.min(lo + RUN, n);
    for (let i = lo + 1; i < hi; i++) {
      const v = a[i], kv = key[v];
      let j = i - 1;
      while (j >= lo && key[a[j]] > kv) { a[j + 1] = a[j]; j--; }
      a[j + 1] = v;
    }
  }
  let b: Int32Array = new Int32Array(n);
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n), hi = Math.min(lo + 2 * width, n);
      let i = lo, j = mid, k = lo;
      while (i < mid && j < hi) b[k++] = key[a[j]] < key[a[i]] ? a[j++] : a[i++];
      while (i < mid) b[k++] = a[i++];
      while (j < hi) b[k++] = a[j++];
    }
    const tmp = a; a = b; b = tmp;
  }
  return a;
}
