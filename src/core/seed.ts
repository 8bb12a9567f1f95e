// A caller's integer seed as the two 32-bit words the core's generator takes
// (assembly/rng.ts rngSeed, assembly/resample.ts rngSeedStream).
import { VCMoEInputError } from "../errors.js";
import type { Core, I32Buf } from "./backend.js";

export function validateSeed(argument: string, v: unknown, def: number): number {
  if (v === undefined) return def;
  if (typeof v !== "number" || !Number.isInteger(v) || Math.abs(v) > Number.MAX_SAFE_INTEGER) {
    throw new VCMoEInputError(argument, `must be an integer, got ${String(v)}`);
  }
  return v;
}

/** Low and high 32-bit words of an integer seed (|seed| <= 2^53). */
export function seedWords(seed: number): [number, number] {
  return [seed % 4294967296 | 0, Math.floor(seed / 4294967296) | 0];
}

/** A generator state in the core, seeded from `seed` (or reseeds `state`). */
export function seededState(core: Core, seed: number, state: I32Buf = core.i32(4)): I32Buf {
  const [lo, hi] = seedWords(seed);
  core.kernels.rngSeed(state, lo, hi);
  return state;
}
