// What the command line does with errors: bad input (flags, columns, cells, a family
// that does not fit the response) is one line naming the flag or column and the line of
// the file, exit code 2; a fit that fails is exit code 1; Ctrl-C is 130. No stack
// traces unless VCMOE_DEBUG=1.
import { VCMoECoreError, VCMoEFitError, VCMoEInputError } from "../index.js";

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_CANCELLED = 130;

/** An error the command line reports as one line with an exit code. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = EXIT_USAGE) {
    super(message);
    this.name = "CliError";
  }
}

/** The run was cancelled (Ctrl-C). */
export class Cancelled extends Error {
  constructor() {
    super("cancelled");
    this.name = "Cancelled";
  }
}

/** How library argument names read on the command line, and how row indices map to lines of the input file. */
export interface ErrorContext {
  /** "data.y" → "column 'y' (--y)" etc. */
  describe(argument: string): string | null;
  /** Line of the input file holding data row i (0-based, as the library counts). */
  lineOf?(row: number): number | null;
}

const OPTION_FLAGS: Record<string, string> = { K: "-K", candidates: "--candidates", coefficient: "--coefficient", constant: "--constant" };

/** The flag of an option name ("options.bandwidth" → "--bandwidth"). */
export function flagOf(option: string): string {
  return OPTION_FLAGS[option] ?? `--${option}`;
}

/** Rewrites "row N" (the library's 0-based row) as "line L" of the input file. */
function withLines(message: string, ctx: ErrorContext): string {
  if (!ctx.lineOf) return message;
  return message.replace(/\brow (\d+)\b/g, (whole, n: string) => {
    const line = ctx.lineOf!(Number(n));
    return line === null ? whole : `line ${line}`;
  });
}

/** One line for an error of the library, in the command line's terms. */
export function describeLibraryError(e: VCMoEInputError, ctx: ErrorContext): string {
  const prefix = `${e.argument}: `;
  const body = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
  const optionMatch = /^(?:options|fullOptions)\.([A-Za-z]+)/.exec(e.argument);
  const where = ctx.describe(e.argument) ?? (optionMatch ? flagOf(optionMatch[1]) : e.argument);
  return `${where}: ${withLines(body, ctx)}`;
}

/** Runs a library call, reporting its input errors in the command line's terms (columns, flags, lines). */
export async function inContext<T>(ctx: ErrorContext, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof VCMoEInputError) throw new CliError(describeLibraryError(e, ctx));
    throw e;
  }
}

/** Maps any error to its message and exit code. */
export function classify(e: unknown, ctx: ErrorContext | null): { message: string; exitCode: number } {
  if (e instanceof Cancelled || (e instanceof Error && e.name === "AbortError")) return { message: "cancelled", exitCode: EXIT_CANCELLED };
  if (e instanceof CliError) return { message: e.message, exitCode: e.exitCode };
  if (e instanceof VCMoEInputError) return { message: describeLibraryError(e, ctx ?? { describe: () => null }), exitCode: EXIT_USAGE };
  if (e instanceof VCMoEFitError) return { message: `the fit failed: ${e.message}`, exitCode: EXIT_FAILED };
  if (e instanceof VCMoECoreError) return { message: `the numerical core failed: ${e.message}`, exitCode: EXIT_FAILED };
  const msg = e instanceof Error ? e.message : String(e);
  return { message: `internal error: ${msg} (run with VCMOE_DEBUG=1 for the stack trace, and please report it)`, exitCode: EXIT_FAILED };
}
