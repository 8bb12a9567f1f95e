// The asymptotic extreme-value (Bickel–Rosenblatt type) critical value of a
// simultaneous band, in the form of Fan & Zhang (2000, Scand. J. Statist. 27) for
// varying coefficients, for kernels that vanish at the ends of their support:
//   c = d_n + (log 2 − log(−log(1 − α)))/s,  s = √(−2 log h),  d_n = s + log(C_K)/s.
// h is the bandwidth relative to the length of the interval the band covers (our
// grid span on the unit u scale: a band over [a, b] ⊂ [0, 1] is the unit-interval
// case with h/(b − a)). The limit is slow: at practical h this value is
// conservative (Monte Carlo: 95% quantile of sup|Z| for Epanechnikov-smoothed
// white noise 2.85 at h = 0.2 against 3.07 from the formula; see docs/inference.md).
import { log } from "../core/detmath.js";
import { kernelConstants, type KernelConstants } from "./kernelConstants.js";
import type { KernelName } from "../model/spec.js";

export interface ExtremeValueDetails extends KernelConstants {
  /** Bandwidth relative to the span of the band (h / grid span, unit u scale). */
  hRelative: number;
  s: number;
  dn: number;
  criticalValue: number;
}

/**
 * The asymptotic extreme-value critical value of a simultaneous band (Bickel–Rosenblatt type;
 * Fan & Zhang 2000): c = d_n + (log 2 − log(−log(1 − α)))/s with s = √(−2 log h), for the kernel's
 * constants. Conservative at practical bandwidths (see docs/inference.md).
 *
 * @param kernel     the fit's kernel
 * @param hRelative  bandwidth relative to the span of the band (unit u scale)
 * @param level      band level, e.g. 0.95
 * @example
 * ```ts
 * extremeValueCritical("epanechnikov", 0.1, 0.95).criticalValue; // 3.21
 * ```
 */
export function extremeValueCritical(kernel: KernelName, hRelative: number, level: number): ExtremeValueDetails {
  const kc = kernelConstants(kernel);
  const s = Math.sqrt(-2 * log(hRelative));
  const dn = s + kc.logCK / s;
  const criticalValue = dn + (log(2) - log(-log(level))) / s;
  return { ...kc, hRelative, s, dn, criticalValue };
}
