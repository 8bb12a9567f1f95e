// Unknown option keys are errors: a typo such as `bandwith` would otherwise be ignored
// and the default used in silence. Each public function lists its keys next to its
// options interface with optionKeys<T>(), which fails to compile when the list and
// the interface disagree, and checks the caller's object with checkOptionKeys().
import { VCMoEInputError } from "../errors.js";

type MissingKeys<T, L extends readonly PropertyKey[]> = Exclude<keyof T, L[number]>;

/**
 * The keys of options type T as a runtime list. `optionKeys<FitOptions>()(["K", ...])`
 * does not compile when a key of T is left out (the error names it) or a listed key is not in T.
 */
export function optionKeys<T>() {
  return <const L extends ReadonlyArray<keyof T & string>>(keys: L & ([MissingKeys<T, L>] extends [never] ? unknown : { missingKeys: MissingKeys<T, L> })): readonly string[] => keys;
}

/** Optimal-string-alignment distance (edits, with adjacent transpositions), case-insensitive. */
function editDistance(a: string, b: string): number {
  a = a.toLowerCase(); b = b.toLowerCase();
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The closest allowed name within a third of its length in edits (at least 1), or the only one it abbreviates, or null. */
export function closestName(name: string, allowed: readonly string[]): string | null {
  const prefixed = name.length >= 2 ? allowed.filter((a) => a.toLowerCase().startsWith(name.toLowerCase())) : [];
  if (prefixed.length === 1) return prefixed[0];
  let best: string | null = null, bestD = Infinity;
  for (const a of allowed) {
    const d = editDistance(name, a);
    if (d < bestD) { best = a; bestD = d; }
  }
  return best !== null && bestD <= Math.max(1, Math.floor(best.length / 3)) ? best : null;
}

/** "; did you mean 'bandwidth'?" or the list of allowed names. */
export function suggestion(name: string, allowed: readonly string[]): string {
  const near = closestName(name, allowed);
  return near ? `did you mean '${near}'?` : `the allowed names are ${allowed.map((k) => `'${k}'`).join(", ")}`;
}

/**
 * Throws VCMoEInputError naming `${argument}.${key}` for the first key of `obj` not in
 * `allowed`, with the closest allowed key as a suggestion. `what` says whose options they are.
 */
export function checkOptionKeys(argument: string, obj: unknown, allowed: readonly string[], what: string): void {
  if (typeof obj !== "object" || obj === null) return; // the callers report a non-object themselves
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) throw new VCMoEInputError(`${argument}.${key}`, `is not ${what}; ${suggestion(key, allowed)}`);
  }
}
