// The vcmoe command line (built to dist/cli.js, the package's `bin`): sub-commands
// fit, select-k, glrt, predict and simulate. Exit codes: 0 done, 1 the computation
// failed, 2 bad input or usage, 130 cancelled (Ctrl-C).
import { closestName } from "../data/optionKeys.js";
import { runFit } from "./commands/fit.js";
import { runGlrt } from "./commands/glrt.js";
import { runPredict } from "./commands/predict.js";
import { runSelectK } from "./commands/selectK.js";
import { runSimulate } from "./commands/simulate.js";
import { Cancelled, classify, CliError, EXIT_CANCELLED, EXIT_OK, EXIT_USAGE } from "./errors.js";
import type { Io } from "./io.js";
import { progressBar, type ProgressSink } from "./progress.js";

declare const __VCMOE_VERSION__: string;
const VERSION = typeof __VCMOE_VERSION__ === "string" ? __VCMOE_VERSION__ : "dev";

const COMMANDS: Record<string, (argv: string[], io: Io) => Promise<void>> = {
  fit: runFit, "select-k": runSelectK, glrt: runGlrt, predict: runPredict, simulate: runSimulate,
};

const USAGE = `vcmoe ${VERSION}: varying-coefficient mixtures of experts

Usage: vcmoe COMMAND [arguments] [--help]

Commands:
  fit        fit the model to a CSV file; summary, result JSON, curves CSV, plots
  select-k   compare numbers of components by BIC and ICL
  glrt       test whether coefficients vary in u (generalized likelihood ratio)
  predict    predictions for new rows from a saved fit
  simulate   data with a known truth

Example:
  vcmoe fit data.csv --y y --u u --z z1 --x x1 -K 2 --bandwidth 0.25 --out fit.json
  vcmoe predict fit.json new.csv --out predictions.csv

vcmoe COMMAND --help shows the flags of a command.
`;

export interface Streams {
  stdout: { write(s: string): boolean; isTTY?: boolean };
  stderr: { write(s: string): boolean; isTTY?: boolean; columns?: number };
}

/** Runs the command line on `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: string[], streams: Streams, signal: AbortSignal): Promise<number> {
  const quiet = argv.includes("-q") || argv.includes("--quiet");
  const bars: ProgressSink[] = [];
  const io: Io = {
    out: (t) => { streams.stdout.write(t); },
    info: (t) => { if (!quiet) streams.stderr.write(`${t}\n`); },
    signal,
    progress: (label) => { const b = progressBar(label, streams.stderr, !quiet); bars.push(b); return b; },
  };
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === "help" || command === "--help" || command === "-h") {
      (command === undefined ? streams.stderr : streams.stdout).write(USAGE);
      return command === undefined ? EXIT_USAGE : EXIT_OK;
    }
    if (command === "--version" || command === "-v") { streams.stdout.write(`${VERSION}\n`); return EXIT_OK; }
    const run = COMMANDS[command];
    if (!run) {
      const near = closestName(command, Object.keys(COMMANDS));
      throw new CliError(`unknown command '${command}'${near ? `; did you mean '${near}'?` : ""} (commands: ${Object.keys(COMMANDS).join(", ")}; see vcmoe --help)`);
    }
    await run(rest, io);
    if (signal.aborted) throw new Cancelled();
    return EXIT_OK;
  } catch (e) {
    for (const b of bars) b.clear();
    const { message, exitCode } = classify(signal.aborted ? new Cancelled() : e, null);
    // one line, whatever the message carries (e.g. a JSON parser quoting a line break)
    streams.stderr.write(`vcmoe${command && COMMANDS[command] ? ` ${command}` : ""}: ${message.replace(/\s*\n\s*/g, " ")}\n`);
    if (process.env.VCMOE_DEBUG === "1" && e instanceof Error && exitCode !== EXIT_CANCELLED) streams.stderr.write(`${e.stack}\n`);
    return exitCode;
  }
}

