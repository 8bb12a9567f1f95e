// Cancellation of long synchronous work. A fit runs its stages (initialisation, start
// screening, EM, refinement) synchronously, so an AbortSignal can only be observed
// between them: checkpoint() yields one macrotask (letting a timer, a Ctrl-C handler or
// a UI event fire abort()) and then throws the signal's reason if it was aborted.
import { VCMoEInputError } from "../errors.js";

/** Throws `argument` as a typed input error unless `v` is undefined or an AbortSignal. */
export function validateSignal(argument: string, v: unknown): AbortSignal | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== "object" || v === null || typeof (v as AbortSignal).aborted !== "boolean" || typeof (v as AbortSignal).addEventListener !== "function") {
    throw new VCMoEInputError(argument, "must be an AbortSignal (e.g. new AbortController().signal or AbortSignal.timeout(ms))");
  }
  return v as AbortSignal;
}

/** The signal's reason, or a DOMException "AbortError" when it has none. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("The operation was aborted", "AbortError");
}

/** Yields to the event loop once (setImmediate in Node, a zero timeout elsewhere). */
export function yieldToEventLoop(): Promise<void> {
  const si = (globalThis as { setImmediate?: (f: () => void) => void }).setImmediate;
  if (si) return new Promise((r) => si(r));
  return new Promise((r) => setTimeout(r, 0));
}

/** Between two synchronous stages: give an abort a chance to arrive, then honour it. */
export async function checkpoint(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return;
  if (signal.aborted) throw abortReason(signal);
  await yieldToEventLoop();
  if (signal.aborted) throw abortReason(signal);
}
