// vcmoe simulate --scenario ws -n 1000 --seed 1 --out sim.csv: data with a known truth
// (README "Simulation"), as CSV with the true component of each row.
import { simulate } from "../../index.js";
import { choice, integer, parseFlags, positiveNumber, text } from "../args.js";
import { FAMILIES } from "../data.js";
import { CliError, inContext } from "../errors.js";
import type { Io } from "../io.js";
import { csvText, writeFileAtomic } from "../output.js";

export const SIMULATE_USAGE = `Usage: vcmoe simulate [--scenario ws|sep3|mix|crossing] -n N [--seed 1] [--out sim.csv] [options]

Draws data from a scenario with known curves (README "Simulation"). Columns: y, u, z1, x1,
trials (binomial) or offset (counts), component (the true component of each row).

  --scenario NAME         ws (Gaussian, K = 2; the default), sep3 (Gaussian, K = 3), mix (any family and K), crossing
  -n N                    number of rows
  --seed N                seed (default 1)
  --family NAME           gaussian (default), binomial, poisson or negbin (mix)
  -K N                    number of components (mix)
  --separation X          separation multiplier (default 1)
  --trials N              binomial trials per row (mix; default: 10 to 30 per row)
  --no-offset             counts without a log-exposure offset (mix)
  --dispersion MODE       negbin: varying (default) or constant
  --out FILE.csv          where to write (default: standard output)
`;

export async function runSimulate(argv: string[], io: Io): Promise<void> {
  const str = { type: "string" } as const;
  const p = parseFlags("simulate", argv, {
    scenario: str, n: { type: "string", short: "n" }, seed: str, family: str, K: { type: "string", short: "K" }, separation: str,
    trials: str, "no-offset": { type: "boolean" }, dispersion: str, out: str,
  });
  if (p.values.help) { io.out(SIMULATE_USAGE); return; }
  if (p.positionals.length) throw new CliError(`takes no file (got ${p.positionals.join(" ")}); write with --out FILE.csv`);
  const n = integer("-n", text(p, "n"), 1, 10_000_000);
  if (n === undefined) throw new CliError("-n is required (the number of rows)");
  const scenario = choice("--scenario", text(p, "scenario"), ["ws", "sep3", "mix", "crossing"] as const);
  const family = choice("--family", text(p, "family"), FAMILIES);
  const K = integer("-K", text(p, "K"), 2, 10);
  const seed = integer("--seed", text(p, "seed"), -(2 ** 53 - 1), 2 ** 53 - 1);
  const separation = positiveNumber("--separation", text(p, "separation"));
  const trials = integer("--trials", text(p, "trials"), 1, 1_000_000_000);
  const dispersion = choice("--dispersion", text(p, "dispersion"), ["varying", "constant"] as const);
  const sim = await inContext({ describe: () => null }, () => simulate({
    n, ...(scenario ? { scenario } : {}), ...(family ? { family } : {}), ...(K !== undefined ? { K } : {}), ...(seed !== undefined ? { seed } : {}),
    ...(separation !== undefined ? { separation } : {}), ...(trials !== undefined ? { trials } : {}), ...(p.values["no-offset"] ? { offset: false } : {}),
    ...(dispersion ? { dispersion } : {}),
  }));
  const d = sim.data;
  const fields = ["y", "u", "z1", "x1", ...(d.trials ? ["trials"] : []), ...(d.offset ? ["offset"] : []), "component"];
  const rows = d.y.map((y, i) => [y, d.u[i], d.z.z1[i], d.x.x1[i], ...(d.trials ? [d.trials[i]] : []), ...(d.offset ? [d.offset[i]] : []), sim.component[i]]);
  const csv = csvText(fields, rows);
  const out = text(p, "out");
  if (out) {
    writeFileAtomic(out, csv, "--out");
    io.info(`wrote ${out} (${n} rows)`);
  } else {
    io.out(csv);
  }
}
