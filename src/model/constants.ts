// Hybrid specifications: which coefficients are constant in u. The caller lists
// entries in FitOptions.constant; they are resolved here into masks over the
// internal parameter layout (see assembly/hybrid.ts) and into a flat list of the
// constant coefficients for reporting.
import { VCMoEInputError } from "../errors.js";

export type ConstantPart = "expert" | "gating" | "sigma";

/**
 * One entry of `FitOptions.constant`: a coefficient (or a family of coefficients)
 * held constant in u.
 *
 * - `{ part: "expert", component: 1, term: "z1" }` — the coefficient of z1 in expert 1.
 * - `{ part: "expert", component: "all", term: "(Intercept)" }` — every expert's intercept
 *   (each component keeps its own constant; nothing is shared between components).
 * - `{ part: "sigma", component: 2 }` — the standard deviation of expert 2.
 * - `{ part: "gating", term: "x1" }` — the gating coefficient of x1 in every logit contrast.
 * - `{ part: "gating", component: 3, term: "x1" }` — only the contrast of component 3
 *   against component 1 (the baseline), i.e. the log-odds log(π_3/π_1) in x1.
 *
 * `component` defaults to `"all"`; `term` is a covariate name of that part
 * (`"(Intercept)"` for the intercept) or `"*"` for every term. Gating constants act on
 * the baseline contrasts γ_c − γ_1: with `component: "all"` (all contrasts of a term
 * constant) this is the same as every centred logit γ_c − mean_k γ_k being constant,
 * so the choice of baseline does not matter; a single contrast (K ≥ 3) is a statement
 * about component c against component 1 only.
 */
export interface ConstantTerm {
  part: ConstantPart;
  component?: number | "all";
  term?: string;
}

/** A single constant coefficient after expansion (component 1-based; gating: contrast c vs 1). */
export interface CoefficientId {
  part: ConstantPart;
  component: number;
  /** Covariate name; "sigma" for the standard deviation. */
  term: string;
}

/** Masks over the internal layout: 1 = constant. Plain arrays, so they travel as JSON. */
export interface HybridMasks {
  K: number;
  q: number;
  p: number;
  /** constE[c*q+k]: expert coefficient k of component c (0-based). */
  constE: number[];
  /** constS[c]: sigma of component c. */
  constS: number[];
  /** constG[c*p+k]: gating contrast c (vs component 0) in term k; row 0 is unused (0). */
  constG: number[];
}

export function emptyMasks(K: number, q: number, p: number): HybridMasks {
  return { K, q, p, constE: new Array(K * q).fill(0), constS: new Array(K).fill(0), constG: new Array(K * p).fill(0) };
}

function componentList(argument: string, v: unknown, K: number, lowest: number): number[] {
  if (v === undefined || v === "all") return Array.from({ length: K - lowest + 1 }, (_, i) => lowest + i);
  if (typeof v !== "number" || !Number.isInteger(v) || v < lowest || v > K) {
    const hint = lowest === 2 ? " (gating contrasts are of components 2..K against component 1, the baseline)" : "";
    throw new VCMoEInputError(argument, `must be 'all' or an integer from ${lowest} to ${K}, got ${JSON.stringify(v)}${hint}`);
  }
  return [v];
}

function termList(argument: string, v: unknown, names: string[]): number[] {
  if (v === "*") return names.map((_, k) => k);
  if (typeof v !== "string") throw new VCMoEInputError(argument, `must be a covariate name (${names.map((s) => `'${s}'`).join(", ")}) or '*'`);
  const k = names.indexOf(v);
  if (k < 0) throw new VCMoEInputError(argument, `'${v}' is not a term of this part; available: ${names.map((s) => `'${s}'`).join(", ")} or '*'`);
  return [k];
}

/**
 * Resolves `options.constant` into masks (null when there is no constant
 * coefficient). Throws VCMoEInputError naming the offending entry.
 */
export function resolveConstants(
  list: unknown, names: { zNames: string[]; xNames: string[] }, K: number, argument = "options.constant",
): HybridMasks | null {
  if (list === undefined) return null;
  if (!Array.isArray(list)) throw new VCMoEInputError(argument, "must be an array of { part, component?, term? } entries");
  const q = names.zNames.length, p = names.xNames.length;
  const M = emptyMasks(K, q, p);
  list.forEach((e, i) => {
    const arg = `${argument}[${i}]`;
    if (typeof e !== "object" || e === null) throw new VCMoEInputError(arg, "must be an object { part, component?, term? }");
    const { part, component, term } = e as ConstantTerm;
    for (const key of Object.keys(e)) {
      if (key !== "part" && key !== "component" && key !== "term") throw new VCMoEInputError(`${arg}.${key}`, "is not a recognised field (part, component, term)");
    }
    if (part === "expert") {
      for (const c of componentList(`${arg}.component`, component, K, 1)) {
        for (const k of termList(`${arg}.term`, term, names.zNames)) M.constE[(c - 1) * q + k] = 1;
      }
    } else if (part === "sigma") {
      if (term !== undefined && term !== "sigma") throw new VCMoEInputError(`${arg}.term`, "is not used for part 'sigma' (omit it)");
      for (const c of componentList(`${arg}.component`, component, K, 1)) M.constS[c - 1] = 1;
    } else if (part === "gating") {
      for (const c of componentList(`${arg}.component`, component, K, 2)) {
        for (const k of termList(`${arg}.term`, term, names.xNames)) M.constG[(c - 1) * p + k] = 1;
      }
    } else {
      throw new VCMoEInputError(`${arg}.part`, `must be 'expert', 'gating' or 'sigma', got ${JSON.stringify(part)}`);
    }
  });
  return countConstants(M) > 0 ? M : null;
}

export function countConstants(M: HybridMasks): number {
  const sum = (a: number[]) => a.reduce((s, v) => s + v, 0);
  return sum(M.constE) + sum(M.constS) + sum(M.constG.slice(M.p));
}

/** The constant coefficients in a fixed order: experts (by component, term), sigmas, gating contrasts. */
export function constantIds(M: HybridMasks, names: { zNames: string[]; xNames: string[] }): CoefficientId[] {
  const out: CoefficientId[] = [];
  for (let c = 0; c < M.K; c++) for (let k = 0; k < M.q; k++) if (M.constE[c * M.q + k]) out.push({ part: "expert", component: c + 1, term: names.zNames[k] });
  for (let c = 0; c < M.K; c++) if (M.constS[c]) out.push({ part: "sigma", component: c + 1, term: "sigma" });
  for (let c = 1; c < M.K; c++) for (let k = 0; k < M.p; k++) if (M.constG[c * M.p + k]) out.push({ part: "gating", component: c + 1, term: names.xNames[k] });
  return out;
}

/** The masks of a list of constant coefficients (the inverse of constantIds). */
export function masksOfIds(ids: CoefficientId[], names: { zNames: string[]; xNames: string[] }, K: number): HybridMasks {
  const q = names.zNames.length, p = names.xNames.length;
  const M = emptyMasks(K, q, p);
  for (const id of ids) {
    if (id.part === "expert") M.constE[(id.component - 1) * q + names.zNames.indexOf(id.term)] = 1;
    else if (id.part === "sigma") M.constS[id.component - 1] = 1;
    else M.constG[(id.component - 1) * p + names.xNames.indexOf(id.term)] = 1;
  }
  return M;
}

/** Union of two mask sets (same K, q, p). */
export function unionMasks(a: HybridMasks, b: HybridMasks): HybridMasks {
  const or = (x: number[], y: number[]) => x.map((v, i) => (v || y[i] ? 1 : 0));
  return { K: a.K, q: a.q, p: a.p, constE: or(a.constE, b.constE), constS: or(a.constS, b.constS), constG: or(a.constG, b.constG) };
}

/** Number of entries constant in both (0 = disjoint). */
export function overlapCount(a: HybridMasks, b: HybridMasks): number {
  const and = (x: number[], y: number[]) => x.reduce((s, v, i) => s + (v && y[i] ? 1 : 0), 0);
  return and(a.constE, b.constE) + and(a.constS, b.constS) + and(a.constG, b.constG);
}
