// Flags of the sub-commands (parsed by node:util parseArgs) and the parsers of their
// values. A misspelt flag is an error that suggests the right one.
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { ConstantTerm } from "../index.js";
import { closestName } from "../data/optionKeys.js";
import { CliError } from "./errors.js";

type Options = NonNullable<ParseArgsConfig["options"]>;
const str = { type: "string" } as const;
const flag = { type: "boolean" } as const;

/** Columns of the data file and how to read it. */
export const DATA_FLAGS: Options = {
  y: str, u: str, z: str, x: str, weights: str, trials: str, offset: str,
  factor: str, na: str, sep: str, missing: str,
};

/** The model of fit, select-k and glrt. */
export const MODEL_FLAGS: Options = {
  K: { type: "string", short: "K" }, family: str, dispersion: str, bandwidth: str, grid: str, kernel: str,
  method: str, constant: str, seed: str, "no-intercept": flag,
};

export const COMMON_FLAGS: Options = { help: { type: "boolean", short: "h" }, quiet: { type: "boolean", short: "q" } };

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** parseArgs with errors in the command line's words (and a suggestion for a misspelt flag). */
export function parseFlags(command: string, argv: string[], options: Options): Parsed {
  const all = { ...options, ...COMMON_FLAGS };
  try {
    const { values, positionals } = parseArgs({ args: argv, options: all, allowPositionals: true, strict: true });
    return { values: values as Parsed["values"], positionals };
  } catch (e) {
    const msg = (e as Error).message;
    const unknown = /Unknown option '(-{1,2})([^']+)'/.exec(msg);
    if (unknown) {
      const names = Object.keys(all);
      const near = closestName(unknown[2], names);
      const shown = (n: string) => (n.length === 1 && all[n]?.short === n ? `-${n}` : `--${n}`);
      throw new CliError(`unknown flag ${unknown[1]}${unknown[2]}${near ? `; did you mean ${shown(near)}?` : ""} (see vcmoe ${command} --help)`);
    }
    // "Option '-K, --K <value>' argument missing" names the short and the long form: keep one
    const flagName = (s: string) => s.split(", ")[0];
    const missingValue = /Option '([^']+?)(?: <value>)?' argument missing/.exec(msg);
    if (missingValue) throw new CliError(`${flagName(missingValue[1])} needs a value`);
    const ambiguous = /Option '([^']+?)(?: <value>)?' argument is ambiguous/.exec(msg);
    if (ambiguous) throw new CliError(`the value of ${flagName(ambiguous[1]).replace(/^-(\w)$/, "--$1")} starts with '-'; write it as ${flagName(ambiguous[1]).replace(/^-(\w)$/, "--$1")}=VALUE`);
    throw new CliError(msg.split("\n")[0]);
  }
}

/** A string flag's value (undefined when absent). */
export function text(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  return typeof v === "string" ? v : undefined;
}

export function required(p: Parsed, name: string, what: string): string {
  const v = text(p, name);
  if (v === undefined || v === "") throw new CliError(`${name.length === 1 ? "-" : "--"}${name} is required (${what})`);
  return v;
}

export function integer(flagName: string, v: string | undefined, lo: number, hi: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^[+-]?\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < lo || n > hi) throw new CliError(`${flagName}: must be an integer from ${lo} to ${hi}, got '${v}'`);
  return n;
}

export function positiveNumber(flagName: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n) || n <= 0) throw new CliError(`${flagName}: must be a positive number, got '${v}'`);
  return n;
}

export function choice<T extends string>(flagName: string, v: string | undefined, allowed: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  if (!allowed.includes(v as T)) {
    const near = closestName(v, allowed);
    throw new CliError(`${flagName}: must be one of ${allowed.join(", ")}, got '${v}'${near ? `; did you mean '${near}'?` : ""}`);
  }
  return v as T;
}

/** A comma-separated list ("z1,z2"), empty items dropped. */
export function list(v: string | undefined): string[] {
  return v === undefined ? [] : v.split(",").map((s) => s.trim()).filter((s) => s !== "");
}

/** Integers as "1-5", "1,2,4" or a mix ("1-3,5"). */
export function integerList(flagName: string, v: string, lo: number, hi: number): number[] {
  const out: number[] = [];
  for (const item of list(v)) {
    const range = /^(\d+)\s*-\s*(\d+)$/.exec(item);
    if (range) {
      const a = Number(range[1]), b = Number(range[2]);
      if (a > b) throw new CliError(`${flagName}: the range '${item}' is empty`);
      for (let k = a; k <= b; k++) out.push(k);
    } else {
      out.push(integer(flagName, item, lo, hi)!);
    }
  }
  if (out.length === 0) throw new CliError(`${flagName}: no values in '${v}'`);
  for (const k of out) if (k < lo || k > hi) throw new CliError(`${flagName}: values must be from ${lo} to ${hi}, got ${k}`);
  return out;
}

/**
 * Coefficients as "part[:component[:term]]", comma-separated: expert:1:z1, expert:all:(Intercept),
 * sigma, sigma:2, gating::x1 or gating:x1 (every contrast), gating:2:x1.
 */
export function coefficientList(flagName: string, v: string): ConstantTerm[] {
  return list(v).map((item) => {
    const [part, ...rest] = item.split(":");
    if (part !== "expert" && part !== "sigma" && part !== "gating") {
      const near = closestName(part, ["expert", "sigma", "gating"]);
      throw new CliError(`${flagName}: '${item}' must start with expert, sigma or gating${near ? ` (did you mean '${near}'?)` : ""}; e.g. expert:1:z1, sigma:2, gating::x1`);
    }
    let component: number | "all" | undefined;
    let termParts = rest;
    if (rest.length > 0) {
      const c = rest[0];
      if (c === "" || c === "all") { component = "all"; termParts = rest.slice(1); }
      else if (/^\d+$/.test(c)) { component = Number(c); termParts = rest.slice(1); }
      else component = "all"; // "gating:x1": the term, every component
    }
    const term = termParts.length ? termParts.join(":") : undefined;
    if (part === "sigma" && term !== undefined) throw new CliError(`${flagName}: '${item}': sigma takes no term (sigma or sigma:2)`);
    if (part !== "sigma" && term === undefined) throw new CliError(`${flagName}: '${item}' names no term; e.g. ${part}:1:z1 (use (Intercept) for the intercept)`);
    return { part, ...(component !== undefined ? { component } : {}), ...(term !== undefined ? { term } : {}) } as ConstantTerm;
  });
}
