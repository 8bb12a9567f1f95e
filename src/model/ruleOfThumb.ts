// The default bandwidth when the caller gives none, and the centre of the default
// candidate grid of selectBandwidth().
import { pow } from "../core/detmath.js";
import type { Dataset } from "../data/dataset.js";
import type { KernelName } from "./kernel.js";

/**
 * Normal-reference constants: h = C · sd(t) · n^(−1/5) on the unit u scale.
 * 1.06 is Silverman's (1986, §3.4.2) constant for the Gaussian kernel (the reference R
 * package's default, which it uses with every kernel); 2.34 is the same rule for the
 * Epanechnikov kernel (1.06 × 2.214, the ratio of the two kernels' canonical
 * bandwidths, Marron & Nolan 1988), so that both kernels smooth equally much.
 */
const RULE_OF_THUMB_CONSTANT: Record<KernelName, number> = { gaussian: 1.06, epanechnikov: 2.34 };

/**
 * Rule-of-thumb bandwidth on the unit u scale: C_kernel · sd(t) · n^(−1/5), where t is
 * u rescaled to [0, 1] and sd and n are taken over the rows with positive weight.
 */
export function ruleOfThumbFor(ds: Pick<Dataset, "t" | "w" | "n">, kernel: KernelName): number {
  let n = 0, s = 0;
  for (let i = 0; i < ds.n; i++) if (ds.w[i] > 0) { n++; s += ds.t[i]; }
  const m = s / n;
  let ss = 0;
  for (let i = 0; i < ds.n; i++) if (ds.w[i] > 0) ss += (ds.t[i] - m) ** 2;
  const sd = Math.sqrt(ss / Math.max(1, n - 1));
  return RULE_OF_THUMB_CONSTANT[kernel] * sd * pow(n, -0.2);
}
