// Loads the numerical core: the WebAssembly build (default) or the same kernels
// compiled to JavaScript (the fallback). A Core owns one WebAssembly instance, so
// all buffers of one fit live in one linear memory and are dropped with it; the
// compiled module is shared. Kernels are called with buffer refs (pointers in
// wasm, the typed arrays themselves in JS): no copy per kernel call. Every kernel
// is reached through the typed bindings generated from assembly/ (./generated/kernels.ts).
import { wasmBase64 } from "../../build/core-wasm-bytes.js";
import * as portable from "../../build/core-portable.js";
import { VCMoECoreError, VCMoEInputError } from "../errors.js";
import type { F64Buf, I32Buf } from "./buffers.js";
import { bindKernels, STRUCT_LAYOUTS, type Kernels, type RawKernel, type Struct, type StructFields, type StructName } from "./generated/kernels.js";

export type { F64Buf, I32Buf } from "./buffers.js";
export type { Kernels, Struct, StructFields, StructName } from "./generated/kernels.js";

export type BackendName = "wasm" | "js";

export interface Core {
  readonly backend: BackendName;
  f64(n: number): F64Buf;
  i32(n: number): I32Buf;
  /** Copies `src` into a new core buffer. */
  f64From(src: ArrayLike<number>): F64Buf;
  /** Copies `src` into a new core buffer. */
  i32From(src: ArrayLike<number>): I32Buf;
  /** A new argument struct (assembly/abi.ts) with the given fields set (the rest 0 / null). */
  struct<S extends StructName>(name: S, values: Partial<StructFields[S]>): Struct<S>;
  /** The kernels, typed; buffers are passed as their refs. Traps become VCMoECoreError. */
  readonly kernels: Kernels;
}

let modulePromise: Promise<WebAssembly.Module> | null = null;

function decodeBase64(b64: string): Uint8Array {
  if (typeof Buffer !== "undefined") return new Uint8Array(Buffer.from(b64, "base64"));
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

let coreValidates: boolean | null = null;

/**
 * Why the WebAssembly core cannot run here, or null if it can: no WebAssembly at all, or an
 * engine without fixed-width SIMD (f64x2), which the core's hottest loops use (Node ≥ 16.4,
 * Chrome 91, Firefox 89, Safari 16.4 have it).
 */
function wasmUnavailable(): string | null {
  if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") return "WebAssembly is not available here";
  coreValidates ??= WebAssembly.validate(decodeBase64(wasmBase64) as BufferSource);
  return coreValidates ? null : "this engine's WebAssembly lacks fixed-width SIMD, which the core uses";
}

/** Resolves the requested backend: 'wasm' unless the core cannot run here (then 'js'). */
export function resolveBackend(requested: BackendName | undefined): BackendName {
  if (requested === undefined) return wasmUnavailable() === null ? "wasm" : "js";
  if (requested !== "wasm" && requested !== "js") {
    throw new VCMoEInputError("options.backend", `must be 'wasm' or 'js', got ${JSON.stringify(requested)}`);
  }
  const why = requested === "wasm" ? wasmUnavailable() : null;
  if (why !== null) throw new VCMoEInputError("options.backend", `'wasm' requested but ${why}; use 'js'`);
  return requested;
}

/**
 * An instance of the compiled core: synchronously where the engine allows it (Node, workers), else
 * asynchronously (a browser's main thread refuses synchronous instantiation of larger modules). In
 * Node 20 the asynchronous path made a fit of 1,000 rows take 60–150 ms instead of a steady ~55 ms
 * (bench/RESULTS.md), since every fit makes its own instance.
 */
async function instantiate(module: WebAssembly.Module, imports: WebAssembly.Imports): Promise<WebAssembly.Instance> {
  try {
    return new WebAssembly.Instance(module, imports);
  } catch {
    return WebAssembly.instantiate(module, imports);
  }
}

async function createWasmCore(): Promise<Core> {
  modulePromise ??= WebAssembly.compile(decodeBase64(wasmBase64) as BufferSource);
  const module = await modulePromise;
  let abortMessage = "";
  const imports = {
    env: {
      abort(_msg: number, _file: number, line: number, col: number) {
        abortMessage = `core abort at ${line}:${col}`;
        throw new VCMoECoreError(abortMessage);
      },
    },
  };
  const instance = await instantiate(module, imports);
  const ex = instance.exports as Record<string, unknown>;
  const memory = ex.memory as WebAssembly.Memory;
  // AssemblyScript ArrayBufferView layout: [buffer ptr, dataStart ptr, byteLength]
  const dataStart = (ptr: number): number => new Uint32Array(memory.buffer, ptr + 4, 1)[0];
  const newF64 = ex.newF64 as (n: number) => number, newI32 = ex.newI32 as (n: number) => number;
  const wrap = <T extends Float64Array | Int32Array>(
    ptr: number, n: number, Ctor: { new (b: ArrayBuffer, o: number, n: number): T },
  ) => {
    const start = dataStart(ptr);
    let cached: T | null = null;
    return {
      ref: ptr,
      length: n,
      view(): T {
        if (cached === null || cached.buffer !== memory.buffer) cached = new Ctor(memory.buffer, start, n);
        return cached;
      },
    };
  };
  // reuse (pool below): the highest byte allocated, and whether a kernel failed
  let top = 0, poisoned = false;
  const guard = (name: string, e: unknown): never => {
    poisoned = true;
    if (e instanceof VCMoECoreError) throw e;
    throw new VCMoECoreError(`WebAssembly kernel '${name}' failed: ${(e as Error).message}`, { cause: e });
  };
  const allocate = (name: string, alloc: (n: number) => number, n: number, bytes: number): number => {
    let ptr: number;
    try { ptr = alloc(n); } catch (e) { return guard(name, e); }
    top = Math.max(top, dataStart(ptr) + n * bytes);
    return ptr;
  };
  const core: Core = {
    backend: "wasm",
    f64: (n) => wrap(allocate("newF64", newF64, n, 8), n, Float64Array),
    i32: (n) => wrap(allocate("newI32", newI32, n, 4), n, Int32Array),
    f64From(src) { const b = core.f64(src.length); b.view().set(src); return b; },
    i32From(src) { const b = core.i32(src.length); b.view().set(src); return b; },
    struct(name, values) {
      const layout = STRUCT_LAYOUTS[name];
      // the struct lives in the data of a Float64Array (8-byte aligned, zeroed)
      const addr = dataStart(allocate("newF64", newF64, layout.size / 8, 8));
      const st = {
        name, ref: addr,
        set(v: Partial<StructFields[typeof name]>) {
          const buf = memory.buffer;
          const i32 = new Int32Array(buf), f64 = new Float64Array(buf), u32 = new Uint32Array(buf);
          for (const f of layout.fields) {
            const val = (v as Record<string, number | F64Buf | I32Buf | null | undefined>)[f.name];
            if (val === undefined) continue;
            if (f.kind === "f64") f64[(addr + f.offset) >>> 3] = val as number;
            else if (f.kind === "i32") i32[(addr + f.offset) >>> 2] = val as number;
            else u32[(addr + f.offset) >>> 2] = val === null ? 0 : ((val as F64Buf).ref as number);
          }
        },
      };
      st.set(values);
      return st;
    },
    kernels: bindKernels(ex as Record<string, RawKernel>, guard),
  };
  // where a reused instance's allocations restart (the module-level arrays lie below)
  const mark = core.kernels.markHeap();
  reusable.set(core, {
    bytes: () => memory.buffer.byteLength,
    poisoned: () => poisoned,
    reset() {
      // as fresh: the allocator back at the mark, every byte it handed out since zero again
      core.kernels.resetHeap();
      if (top > mark) new Uint8Array(memory.buffer, mark, top - mark).fill(0);
      top = 0;
    },
  });
  return core;
}

function createJsCore(): Core {
  const core: Core = {
    backend: "js",
    f64: (n) => { const a = new Float64Array(n); return { ref: a, length: n, view: () => a }; },
    i32: (n) => { const a = new Int32Array(n); return { ref: a, length: n, view: () => a }; },
    f64From(src) { const b = core.f64(src.length); b.view().set(src); return b; },
    i32From(src) { const b = core.i32(src.length); b.view().set(src); return b; },
    struct(name, values) {
      // a plain object with every field present from the start (one shape per struct)
      const obj: Record<string, unknown> = {};
      for (const f of STRUCT_LAYOUTS[name].fields) obj[f.name] = f.kind === "i32" || f.kind === "f64" ? 0 : null;
      const st = {
        name, ref: obj,
        set(v: Partial<StructFields[typeof name]>) {
          for (const [k, val] of Object.entries(v)) {
            if (val !== undefined) obj[k] = val === null || typeof val === "number" ? val : (val as F64Buf).ref;
          }
        },
      };
      st.set(values);
      return st;
    },
    // the portable build's exceptions pass through unchanged
    kernels: bindKernels(portable as unknown as Record<string, RawKernel>, (_name, e) => { throw e; }),
  };
  return core;
}

/** A fresh core (its own memory) on the given backend. */
export async function createCore(backend: BackendName): Promise<Core> {
  return backend === "wasm" ? createWasmCore() : createJsCore();
}

// Reuse of WebAssembly cores between calls. A fit's core is a new instance whose memory the
// fit then touches for the first time, and first touches cost: ~11 µs per 4 KiB page on this
// machine kind (~3 ms per MB), i.e. ~2 ms of a 1,000-row fit (3 cores of 0.25 MB or less) and
// ~140 ms at 10⁵ rows (49 MB), besides the instantiation itself. A released core is reset to
// the state of a fresh one — allocator emptied, the memory it handed out zeroed (the kernels'
// zeroed buffers rely on zero memory; their static scratch is written before it is read) —
// and handed to the next caller. Cores whose kernel failed are not reused; at most
// POOL_SIZE cores of at most POOL_BYTES memory are kept.
interface Reusable { bytes(): number; poisoned(): boolean; reset(): void }
const reusable = new WeakMap<Core, Reusable>();
const idleCores: Core[] = [];
const POOL_SIZE = 3;
const POOL_BYTES = 64 * 2 ** 20;

/**
 * Runs `use` with a core on the given backend — a fresh one, or a released one reset to the state
 * of a fresh one — and releases it when `use` settles. `use` must not keep the core or its buffers.
 */
export async function withCore<T>(backend: BackendName, use: (core: Core) => T | Promise<T>): Promise<T> {
  const core = backend === "wasm" && idleCores.length > 0 ? idleCores.pop()! : await createCore(backend);
  try {
    return await use(core);
  } finally {
    const r = reusable.get(core);
    if (r && !r.poisoned() && r.bytes() <= POOL_BYTES && idleCores.length < POOL_SIZE) {
      r.reset();
      idleCores.push(core);
    }
  }
}
