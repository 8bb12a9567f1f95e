// The kernels of the local-linear likelihood on the TypeScript side: their codes in the
// core (assembly/kernel.ts, where the fits weight rows), the half-width of their support
// in units of h, and the weight function for computations outside the kernels
// (diagnostics, kernel constants, the constant coefficients' information).
import { KERNEL_EPANECHNIKOV, KERNEL_GAUSSIAN, KERNEL_NONE } from "../core/generated/constants.js";
import { exp } from "../core/detmath.js";

export type KernelName = "epanechnikov" | "gaussian";

export interface KernelInfo {
  /** Kernel code of the core. */
  code: number;
  /** Half-width of the support in units of h (the Gaussian is truncated at 6: weight < 1e-8 beyond). */
  support: number;
}

export const KERNELS: Readonly<Record<KernelName, KernelInfo>> = {
  epanechnikov: { code: KERNEL_EPANECHNIKOV, support: 1 },
  gaussian: { code: KERNEL_GAUSSIAN, support: 6 },
};

export const KERNEL_NAMES = Object.keys(KERNELS) as readonly KernelName[];

/** Core code of a kernel; null is the global (constant-coefficient) fit: weight 1 for every row. */
export function kernelCode(kernel: KernelName | null): number {
  return kernel === null ? KERNEL_NONE : KERNELS[kernel].code;
}

/**
 * K(s) as a fit applies it (zero outside the support), with the core's exp so that every
 * engine agrees. (The core's kernelWeight, assembly/kernel.ts, multiplies by 1/√(2π)
 * where this divides by √(2π): the two can differ in the last bit, which no result
 * computed here notices beyond that bit.)
 */
export function kernelWeight(kernel: KernelName, s: number): number {
  if (kernel === "epanechnikov") return Math.abs(s) < 1 ? 0.75 * (1 - s * s) : 0;
  return Math.abs(s) <= 6 ? exp(-0.5 * s * s) / Math.sqrt(2 * Math.PI) : 0;
}

/**
 * K(s) on the whole real line (the Gaussian untruncated) and the half-width beyond which
 * it is negligible, for the integrals of theory constants (src/inference/glrtConstants.ts).
 */
export function kernelOnLine(kernel: KernelName): { f: (s: number) => number; support: number } {
  if (kernel === "epanechnikov") return { f: (s) => (Math.abs(s) < 1 ? 0.75 * (1 - s * s) : 0), support: 1 };
  // Gaussian: integrated over ±10 (the density there is ~8e-23, far below double rounding of the integrals)
  return { f: (s) => exp(-0.5 * s * s) / Math.sqrt(2 * Math.PI), support: 10 };
}
