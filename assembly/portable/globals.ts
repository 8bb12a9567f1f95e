// AssemblyScript's builtin conversions and intrinsics as plain functions, injected
// by esbuild into the portable build of assembly/ so that they never touch the
// caller's global scope (unlike assemblyscript/std/portable, which assigns globals).
export function i32(x: number): number { return x | 0; }
export function u32(x: number): number { return x >>> 0; }
export function f64(x: number): number { return +x; }
export function bool(x: unknown): boolean { return !!x; }
export function unchecked<T>(x: T): T { return x; }
