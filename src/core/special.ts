// The core's special functions for synchronous callers outside a fit (p-values): the
// portable build's (assembly/special.ts compiled to JavaScript, bit-identical to the
// WebAssembly core's), so no core instance has to be created for one number.
import * as portable from "../../build/core-portable.js";

type Fn2 = (a: number, x: number) => number;

/** Regularised upper incomplete gamma Q(a, x) = Γ(a, x)/Γ(a) (NaN unless a > 0, x >= 0). */
export const gammaincQ: Fn2 = portable.gammaincQ as Fn2;
/** Regularised lower incomplete gamma P(a, x) = 1 − Q(a, x). */
export const gammaincP: Fn2 = portable.gammaincP as Fn2;
