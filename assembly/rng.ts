// Random numbers for initialisation, simulation and bootstrap: xoshiro128**
// (Blackman & Vigna 2018), 32-bit words so that the portable JavaScript build
// reproduces the WebAssembly stream exactly. State: Int32Array(4).
import { log } from "./mathx";
import { mul32 } from "./platform";

// @ts-ignore: decorator
@inline function rotl(x: i32, k: i32): i32 {
  return (x << k) | (x >>> (32 - k));
}

function splitmix32(x: i32): i32 {
  let z = i32(x + i32(0x9e3779b9));
  z = mul32(z ^ (z >>> 16), i32(0x85ebca6b));
  z = mul32(z ^ (z >>> 13), i32(0xc2b2ae35));
  return z ^ (z >>> 16);
}

/** Seeds the state from two 32-bit words (the caller splits a 53-bit seed). */
export function rngSeed(state: Int32Array, lo: i32, hi: i32): void {
  let x = splitmix32(lo ^ splitmix32(hi));
  for (let k = 0; k < 4; k++) {
    x = splitmix32(i32(x + k));
    unchecked(state[k] = x);
  }
  if ((unchecked(state[0]) | unchecked(state[1]) | unchecked(state[2]) | unchecked(state[3])) == 0) unchecked(state[0] = 1);
}

export function rngNext(state: Int32Array): i32 {
  const s0 = unchecked(state[0]), s1 = unchecked(state[1]);
  let s2 = unchecked(state[2]), s3 = unchecked(state[3]);
  const result = mul32(rotl(mul32(s1, 5), 7), 9);
  const tt = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  const n1 = s1 ^ s2;
  const n0 = s0 ^ s3;
  s2 ^= tt;
  s3 = rotl(s3, 11);
  unchecked(state[0] = n0);
  unchecked(state[1] = n1);
  unchecked(state[2] = s2);
  unchecked(state[3] = s3);
  return result;
}

/** Uniform on [0, 1) with 53 random bits. */
export function rngUniform(state: Int32Array): f64 {
  const a = rngNext(state) >>> 5; // 27 bits
  const b = rngNext(state) >>> 6; // 26 bits
  return (f64(a) * 67108864.0 + f64(b)) / 9007199254740992.0;
}

/** Standard normal by Marsaglia's polar method (needs only log and sqrt). */
export function rngNormal(state: Int32Array): f64 {
  let v1 = 0.0, s = 0.0;
  do {
    v1 = 2.0 * rngUniform(state) - 1.0;
    const v2 = 2.0 * rngUniform(state) - 1.0;
    s = v1 * v1 + v2 * v2;
  } while (!(s > 0.0 && s < 1.0));
  return v1 * Math.sqrt(-2.0 * log(s) / s);
}

export function fillUniform(state: Int32Array, out: Float64Array, n: i32): void {
  for (let i = 0; i < n; i++) unchecked(out[i] = rngUniform(state));
}

export function fillNormal(state: Int32Array, out: Float64Array, n: i32): void {
  for (let i = 0; i < n; i++) unchecked(out[i] = rngNormal(state));
}
