// JavaScript twin of ../platform.ts for the portable build (see that file).
const F = new Float64Array(1);
const W = new Int32Array(F.buffer); // little-endian: W[0] low word, W[1] high word

export function highWord(x: number): number {
  F[0] = x;
  return W[1];
}

export function lowWord(x: number): number {
  F[0] = x;
  return W[0];
}

export function fromWords(hi: number, lo: number): number {
  W[1] = hi;
  W[0] = lo;
  return F[0];
}

export function mul32(a: number, b: number): number {
  return Math.imul(a, b);
}

export function zeroedF64(n: number): Float64Array {
  return new Float64Array(n);
}

export function zeroedI32(n: number): Int32Array {
  return new Int32Array(n);
}

export function markHeap(): number {
  return 0;
}

export function resetHeap(): void {
  // typed arrays of the JS build are garbage-collected: nothing to reset
}
