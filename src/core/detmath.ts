// Deterministic elementary functions for src/: the core's own exp/log/sin/cos from
// its portable build (plain arithmetic and bit casts), so that numbers computed
// outside the kernels (true curves, diagnostics) are identical on every JavaScript
// engine — the engines' Math.sin/exp/log differ in the last bit across versions.
import * as portable from "../../build/core-portable.js";

export const exp: (x: number) => number = portable.exp;
export const log: (x: number) => number = portable.log;
export const sin: (x: number) => number = portable.sin;
export const cos: (x: number) => number = portable.cos;

/** x^y for x > 0, as exp(y·log x) from the functions above (engines' Math.pow differs in the last bit). */
export const pow = (x: number, y: number): number => exp(y * log(x));
