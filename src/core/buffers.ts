// Buffers owned by a core: what kernels take. `ref` is the kernel argument (a pointer
// into the instance's memory in wasm, the typed array itself in the portable build);
// `view()` is a live JS view (re-created after wasm memory growth).

/** A Float64Array owned by the core. */
export interface F64Buf { readonly ref: unknown; readonly length: number; view(): Float64Array }
/** An Int32Array owned by the core. */
export interface I32Buf { readonly ref: unknown; readonly length: number; view(): Int32Array }
