// A caller's integer seed as the two 32-bit words the core's generator takes.
import { VCMoEInputError } from "../errors.js";

export function validateSeed(argument: string, v: unknown, def: number): number {
  if (v === undefined) return def;
  if (typeof v !== "number" || !Number.isInteger(v) || Math.abs(v) > Number.MAX_SAFE_INTEGER) {
    throw new VCMoEInputError(argument, `must be an integer, got ${String(v)}`);
  }
  return v;
}

export function seedWords(seed: number): [number, number] {
  return [seed % 4294967296 | 0, Math.floor(seed / 4294967296) | 0];
}
