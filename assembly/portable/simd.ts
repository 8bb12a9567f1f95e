// JavaScript twin of ../simd.ts for the portable build: two scalar calls, which the
// WebAssembly build's f64x2 lanes reproduce bit for bit.
import { exp, log } from "../mathx";

export const PAIR = new Float64Array(2);

export function exp2x(a: number, b: number): void {
  PAIR[0] = exp(a);
  PAIR[1] = exp(b);
}

export function log2x(a: number, b: number): void {
  PAIR[0] = log(a);
  PAIR[1] = log(b);
}

export function expPairLane(a: number, b: number, lane: number): number {
  exp2x(a, b);
  return PAIR[lane & 1];
}

export function logPairLane(a: number, b: number, lane: number): number {
  log2x(a, b);
  return PAIR[lane & 1];
}

export function axpy(v: Float64Array, o: number, a: number, s: number, len: number): void {
  for (let b = 0; b < len; b++) v[o + b] += a * v[s + b];
}
