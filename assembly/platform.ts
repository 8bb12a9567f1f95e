// Bit-level helpers that AssemblyScript and JavaScript express differently.
// The WebAssembly build uses this file; the portable (pure-JS) build swaps in
// ./portable/platform.ts through an esbuild alias. Everything else in assembly/
// is one source compiled twice.
import { BLOCK_OVERHEAD, AL_MASK } from "~lib/rt/common";

/** High 32 bits of an f64's IEEE-754 representation. */
// @ts-ignore: decorator
@inline export function highWord(x: f64): i32 {
  return <i32>(reinterpret<u64>(x) >>> 32);
}

/** f64 whose high word is `hi` and low word is `lo`. */
// @ts-ignore: decorator
@inline export function fromWords(hi: i32, lo: i32): f64 {
  return reinterpret<f64>((<u64><u32>hi << 32) | <u64><u32>lo);
}

/** Low 32 bits of an f64's IEEE-754 representation. */
// @ts-ignore: decorator
@inline export function lowWord(x: f64): i32 {
  return <i32>reinterpret<u64>(x);
}

/** 32-bit wrapping integer multiply. */
// @ts-ignore: decorator
@inline export function mul32(a: i32, b: i32): i32 {
  return a * b;
}

/**
 * Zeroed typed arrays without a fill: the stub runtime is a bump allocator over memory
 * that nothing has written before (pages added by memory.grow are zero, and nothing in
 * the core frees), so `new Float64Array(n)`'s memory.fill is redundant — and V8 runs it
 * at ~10 ns a byte, which made allocating a fit's buffers cost more than some of its
 * kernels. (The portable twin returns `new Float64Array(n)`.)
 */
export function zeroedF64(n: i32): Float64Array {
  return Float64Array.wrap(changetype<ArrayBuffer>(__new(<usize>n << 3, idof<ArrayBuffer>())));
}

export function zeroedI32(n: i32): Int32Array {
  return Int32Array.wrap(changetype<ArrayBuffer>(__new(<usize>n << 2, idof<ArrayBuffer>())));
}

// The allocator's offset after the module's start, which allocates the module-level arrays
// (scratch, tables) at the heap's beginning: a reused instance restarts allocation here.
let heapMark: usize = 0;

/** Records (and returns) where allocation starts for a reused instance: call once, right after instantiation. */
export function markHeap(): i32 {
  const p = __alloc(0); // reveals the offset: the block starts BLOCK_OVERHEAD before p
  heapMark = p + (((BLOCK_OVERHEAD + AL_MASK) & ~AL_MASK) - BLOCK_OVERHEAD); // the offset after this empty block
  return <i32>heapMark;
}

/**
 * Empties the stub runtime's bump allocator down to the mark (markHeap): the module-level
 * arrays below it stay, everything allocated since is given up. The caller zeroes that memory
 * first (zeroedF64 relies on zero memory). The stub runtime exposes only __reset (back to the
 * heap's start), so the offset is moved up to the mark by one allocation of the exact size:
 * every offset is ≡ −BLOCK_OVERHEAD (mod 16), hence so is the gap.
 */
export function resetHeap(): void {
  __reset();
  const cur = __alloc(0) + (((BLOCK_OVERHEAD + AL_MASK) & ~AL_MASK) - BLOCK_OVERHEAD);
  if (heapMark > cur) __alloc(heapMark - cur - BLOCK_OVERHEAD);
}
