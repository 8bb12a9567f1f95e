// Deterministic elementary functions for src/: the core's own exp/log/sin/cos from
// its portable build (plain arithmetic and bit casts), so that numbers computed
// outside the kernels (true curves, diagnostics) are identical on every JavaScript
// engine — the engines' Math.sin/exp/log differ in the last bit across versions.
import * as portable from "../../build/core-portable.js";

const k = portable as unknown as Record<"exp" | "log" | "sin" | "cos", (x: number) => number>;
export const exp = k.exp;
export const log = k.log;
export const sin = k.sin;
export const cos = k.cos;
