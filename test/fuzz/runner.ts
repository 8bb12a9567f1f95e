// Executes fuzz cases in a worker thread (test/fuzz/exec-worker.mjs) with a time limit:
// a call that runs past it is a hang, and the worker is terminated and replaced.
import { Worker } from "node:worker_threads";

export interface OkOutcome { kind: "ok"; nonFinite: string[]; warned: boolean; result: unknown; mutated: boolean }
export interface ErrorOutcome { kind: "error"; name: string; ctor: string; argument: string | null; message: string; mutated: boolean }
export interface HangOutcome { kind: "hang"; mutated: false }
export type Outcome = OkOutcome | ErrorOutcome | HangOutcome;

export class FuzzRunner {
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  private nextId = 0;

  private start(): Promise<void> {
    const w = new Worker(new URL("./exec-worker.mjs", import.meta.url));
    this.worker = w;
    return (this.ready = new Promise((resolve, reject) => {
      w.once("message", (m) => (m?.ready ? resolve() : reject(new Error("worker did not start"))));
      w.once("error", reject);
    }));
  }

  async run(fn: string, input: unknown, backend: "wasm" | "js", timeoutMs: number): Promise<Outcome> {
    if (!this.worker) await this.start(); else await this.ready;
    const w = this.worker!;
    const id = this.nextId++;
    return new Promise<Outcome>((resolve, reject) => {
      const onMessage = (m: { id: number; outcome: Outcome }) => {
        if (m.id !== id) return;
        cleanup();
        resolve(m.outcome);
      };
      const onError = (e: Error) => { cleanup(); this.worker = null; reject(e); };
      const timer = setTimeout(() => {
        cleanup();
        void w.terminate();
        this.worker = null;
        resolve({ kind: "hang", mutated: false });
      }, timeoutMs);
      const cleanup = () => { clearTimeout(timer); w.off("message", onMessage); w.off("error", onError); };
      w.on("message", onMessage);
      w.on("error", onError);
      w.postMessage({ id, fn, input, backend });
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = null;
  }
}
