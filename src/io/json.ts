// Result objects as JSON text. JSON has no Infinity or NaN (JSON.stringify writes
// null, which reads back as "missing"), yet a result can hold them on purpose: a
// negative-binomial band whose critical value is +∞ (θ at its bound in too many
// bootstrap replicates; the curve is also flagged `unbounded`), the λ of a failed
// GLRT replicate. resultToJson writes every non-finite number as the string
// "Infinity", "-Infinity" or "NaN"; the CLI's --out files are written with it.

/**
 * JSON text of a result (fit, bands, GLRT, model choice) with non-finite numbers as
 * the strings "Infinity", "-Infinity" and "NaN" instead of JSON.stringify's null.
 * Read back: `Number(v)` of such a string is the number again.
 *
 * @example
 * resultToJson({ criticalValue: Infinity, lambda: NaN }); // '{"criticalValue":"Infinity","lambda":"NaN"}'
 */
export function resultToJson(value: unknown, space?: number): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v), space);
}
