// A progress bar on standard error for the long steps (bandwidth CV, bootstrap bands,
// GLRT bootstrap, one fit per K). Drawn only when stderr is a terminal, so logs and
// pipes stay clean; redrawn at most ten times a second.

export interface ProgressSink {
  /** `done` of `total` units finished; `note` is shown after the counts (e.g. failures). */
  update(done: number, total: number, note?: string): void;
  /** A status line without counts (e.g. "fitting"). */
  status(text: string): void;
  /** Clears the line. */
  clear(): void;
}

interface Stream {
  isTTY?: boolean;
  columns?: number;
  write(s: string): boolean;
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** One bar line: "label [#####-----] 120/500 24% 0:12 left". */
export function renderBar(label: string, done: number, total: number, width: number, elapsedMs: number, note = ""): string {
  const frac = total > 0 ? Math.min(1, done / total) : 0;
  const counts = ` ${done}/${total} ${Math.floor(frac * 100)}%`;
  const eta = done > 0 && done < total ? ` ${duration((elapsedMs / done) * (total - done))} left` : done >= total ? ` ${duration(elapsedMs)}` : "";
  const tail = `${counts}${eta}${note ? ` ${note}` : ""}`;
  const barWidth = Math.max(10, Math.min(40, width - label.length - tail.length - 4));
  const filled = Math.round(frac * barWidth);
  return `${label} [${"#".repeat(filled)}${"-".repeat(barWidth - filled)}]${tail}`.slice(0, Math.max(20, width - 1));
}

/** A sink that draws on `stream` when it is a terminal and does nothing otherwise. */
export function progressBar(label: string, stream: Stream = process.stderr, enabled = true): ProgressSink {
  if (!enabled || !stream.isTTY) return { update() {}, status() {}, clear() {} };
  const t0 = Date.now();
  let last = 0, shown = false;
  const draw = (line: string) => { stream.write(`\r\x1b[K${line}`); shown = true; };
  return {
    update(done, total, note) {
      const now = Date.now();
      if (done < total && now - last < 100) return;
      last = now;
      const cols = stream.columns && stream.columns >= 40 ? stream.columns : 80; // 0 or undefined when the terminal does not say
      draw(renderBar(label, done, total, cols, now - t0, note));
    },
    status(text) { draw(`${label}: ${text}`); },
    clear() { if (shown) stream.write("\r\x1b[K"); shown = false; },
  };
}
