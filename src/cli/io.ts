// What a sub-command may use of the outside world: its output streams, the
// cancellation signal (Ctrl-C) and progress bars on standard error.
import type { ProgressSink } from "./progress.js";

export interface Io {
  /** Writes to standard output (results). */
  out(text: string): void;
  /** Writes a line to standard error (what was written where), unless --quiet. */
  info(text: string): void;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
  /** A progress bar on standard error (drawn only on a terminal, and not with --quiet). */
  progress(label: string): ProgressSink;
}
