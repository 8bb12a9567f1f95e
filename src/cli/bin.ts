// The executable: wires the process (arguments, streams, Ctrl-C) to main(). The first
// Ctrl-C aborts the running work (worker pools are stopped, nothing half-written is
// left: files are renamed into place when complete) and exits with 130; a second one
// exits at once.
import { main } from "./main.js";

const controller = new AbortController();
let interrupts = 0;
process.on("SIGINT", () => {
  interrupts++;
  if (interrupts > 1) process.exit(130);
  controller.abort();
});
// anything that escapes main() (a bug) is still one line, not a stack trace
const fatal = (e: unknown) => {
  process.stderr.write(`vcmoe: internal error: ${e instanceof Error ? e.message : String(e)} (run with VCMOE_DEBUG=1 for the stack trace)\n`);
  if (process.env.VCMOE_DEBUG === "1" && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  process.exit(1);
};
// `vcmoe simulate | head`: the reader went away; that is not an error
process.stdout.on("error", (e: NodeJS.ErrnoException) => { if (e.code === "EPIPE") process.exit(0); else fatal(e); });
process.on("uncaughtException", fatal);
process.on("unhandledRejection", fatal);

const code = await main(process.argv.slice(2), process, controller.signal);
// flush both streams before exiting (pipes may be asynchronous on some platforms)
process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
