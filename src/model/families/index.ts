// The expert families: one driver per family (./gaussian.ts, ./binomial.ts, ./poisson.ts,
// ./negbin.ts; the interface in ./types.ts). Adding a family: its driver here and its
// per-row functions in assembly/families/ (see assembly/family.ts).
import type { Dataset } from "../../data/dataset.js";
import { VCMoEInputError } from "../../errors.js";
import { binomial } from "./binomial.js";
import { gaussian } from "./gaussian.js";
import { negbin } from "./negbin.js";
import { poisson } from "./poisson.js";
import type { FamilyDriver, FamilyName } from "./types.js";

export type { FamilyDriver, FamilyName, MixDesign } from "./types.js";

export const FAMILIES: Readonly<Record<FamilyName, FamilyDriver>> = { gaussian, binomial, poisson, negbin };
export const FAMILY_NAMES = Object.keys(FAMILIES) as readonly FamilyName[];
/** The family when options.family is omitted. */
export const DEFAULT_FAMILY: FamilyName = "gaussian";

const quoted = (names: readonly string[]) => names.map((f) => `'${f}'`).join(", ");

/** Names of the families with a capability, quoted, for messages. */
export function familiesWith(test: (f: FamilyDriver) => boolean): string {
  return quoted(FAMILY_NAMES.filter((f) => test(FAMILIES[f])));
}

/** The driver of options.family (default 'gaussian'); VCMoEInputError naming `argument` otherwise. */
export function familyOf(v: unknown, argument = "options.family"): FamilyDriver {
  if (v === undefined) return FAMILIES[DEFAULT_FAMILY];
  if (!FAMILY_NAMES.includes(v as FamilyName)) {
    throw new VCMoEInputError(argument, `must be one of ${quoted(FAMILY_NAMES)}, got ${JSON.stringify(v)}`);
  }
  return FAMILIES[v as FamilyName];
}

/** The driver of a known family name, or undefined for anything else (no error: callers word their own). */
export function lookupFamily(v: unknown): FamilyDriver | undefined {
  return FAMILY_NAMES.includes(v as FamilyName) ? FAMILIES[v as FamilyName] : undefined;
}

/**
 * Checks the data against the family and completes the dataset (see FamilyDriver.prepare);
 * returns what the model info reports (binomial: zeroTrialRows).
 */
export function applyFamily(ds: Dataset, family: FamilyDriver): Record<string, number> {
  if (ds.trials && !family.accepts.trials) {
    throw new VCMoEInputError("data.trials", `is used by the ${familiesWith((f) => f.accepts.trials)} family only (family is '${family.name}')`);
  }
  if (ds.offset && !family.accepts.offset) throw new VCMoEInputError("data.offset", `is not supported by the '${family.name}' family${family.offsetHint}`);
  family.checkResponse(ds.y, ds.trials, "data", (r) => ds.keptRows[ds.order[r]]);
  return family.prepare(ds);
}
