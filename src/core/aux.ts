// The per-row auxiliary columns of the core's Rows struct (assembly/abi.ts): [offset,
// trials, log-density constant] per row; the kernel familyRowConstants fills the last.
import { AUX_WIDTH } from "./generated/constants.js";

/** Rows × AUX_WIDTH with the offsets and trials (0 where absent); the constants are left 0. */
export function auxColumns(n: number, offset: ArrayLike<number> | null | undefined, trials: ArrayLike<number> | null | undefined): Float64Array {
  const aux = new Float64Array(AUX_WIDTH * n);
  for (let r = 0; r < n; r++) {
    aux[AUX_WIDTH * r] = offset ? offset[r] : 0;
    aux[AUX_WIDTH * r + 1] = trials ? trials[r] : 0;
  }
  return aux;
}
