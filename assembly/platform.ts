// Bit-level helpers that AssemblyScript and JavaScript express differently.
// The WebAssembly build uses this file; the portable (pure-JS) build swaps in
// ./portable/platform.ts through an esbuild alias. Everything else in assembly/
// is one source compiled twice.

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
