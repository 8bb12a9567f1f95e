// The command line end to end: the built dist/cli.js is spawned as a user would run it.
// Its numbers are checked against the library called directly; every class of bad
// input must give one line naming the flag/column and the line, exit code 2, no stack
// trace; Ctrl-C must stop a bootstrap with exit code 130 and leave no file behind.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Papa from "papaparse";
import { afterAll, describe, expect, test } from "vitest";
import { rmSync } from "node:fs";
import { fit, predict, selectK, simulate, glrt, type VCMoEFit } from "../src/index.js";
import { readExample, repoRoot, wsData } from "./helpers/data.js";
import { parseTable } from "../src/cli/csv.js";
import { renderBar } from "../src/cli/progress.js";
import { coefficientList, integerList } from "../src/cli/args.js";

const CLI = join(repoRoot, "dist/cli.js");
const EXAMPLE = join(repoRoot, "examples/data/ws_n1000.csv");
const dir = mkdtempSync(join(tmpdir(), "vcmoe-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run { code: number | null; signal: string | null; stdout: string; stderr: string }

function run(args: string[], options: { interruptAfterMs?: number; stdin?: string } = {}): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, VCMOE_DEBUG: "" } });
    let stdout = "", stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    if (options.stdin !== undefined) child.stdin.end(options.stdin); else child.stdin.end();
    if (options.interruptAfterMs !== undefined) {
      // interrupt once the bootstrap is under way (its first progress line is not drawn: stderr is no TTY)
      setTimeout(() => child.kill("SIGINT"), options.interruptAfterMs);
    }
    child.on("close", (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

function file(name: string, content: string): string {
  writeFileSync(join(dir, name), content);
  return name;
}

/** A bad-input run: exit code 2 and exactly one line on stderr, no stack trace. */
function expectUsageError(r: Run, ...fragments: Array<string | RegExp>): void {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines, r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  for (const f of fragments) expect(r.stderr).toMatch(f);
}

const WS = ["--y", "y", "--u", "u", "--z", "z1", "--x", "x1"];

describe("vcmoe fit on the bundled example", () => {
  const data = wsData(readExample());
  let lib: VCMoEFit;

  test("the printed summary, result JSON and curves CSV hold the library's numbers", async () => {
    const [r, res] = await Promise.all([
      run(["fit", EXAMPLE, ...WS, "-K", "2", "--bandwidth", "0.25", "--out", "fit.json", "--curves", "curves.csv"]),
      fit(data, { K: 2, bandwidth: 0.25 }),
    ]);
    lib = res;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Varying-coefficient mixture of experts: gaussian experts, K = 2, n = 1000");
    expect(r.stdout).toContain(`Log-likelihood ${res.logLik.toPrecision(6)}`);
    expect(r.stdout).toMatch(/BIC \S+/);
    expect(r.stdout).toMatch(/^\s+\(\d/m);
    // not a TTY: no progress bar, only the "wrote" lines on stderr
    expect(r.stderr).toBe("wrote fit.json\nwrote curves.csv\n");
    const saved = JSON.parse(readFileSync(join(dir, "fit.json"), "utf8"));
    expect(saved.logLik).toBe(res.logLik);
    expect(saved.curves).toEqual(res.curves);
    expect(saved.statistics).toEqual(res.statistics);
    expect(saved.call).toMatchObject({ y: "y", u: "u", z: ["z1"], x: ["x1"] });
    const curves = Papa.parse<Record<string, string>>(readFileSync(join(dir, "curves.csv"), "utf8").trim(), { header: true }).data;
    expect(curves).toHaveLength(res.curves.length * res.grid.length);
    const c = res.curves.find((x) => x.part === "expert" && x.component === 2 && x.term === "z1")!;
    const rows = curves.filter((x) => x.part === "expert" && x.component === "2" && x.term === "z1");
    expect(rows.map((x) => Number(x.estimate))).toEqual(c.values);
    expect(rows.map((x) => Number(x.u))).toEqual(res.grid);
  });

  test("predict reads the saved fit and new rows; predictions equal predict()", async () => {
    const cols = readExample();
    const take = [0, 5, 17, 400, 999];
    const csv = ["u,z1,x1,y", ...take.map((i) => `${cols.u[i]},${cols.z1[i]},${cols.x1[i]},${cols.y[i]}`), "0.5,NA,0.1,0"].join("\n") + "\n";
    const r = await run(["predict", "fit.json", file("new.csv", csv)]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/1 row\(s\) have a missing value .* NA/);
    const out = Papa.parse<Record<string, string>>(r.stdout.trim(), { header: true }).data;
    expect(out).toHaveLength(6);
    const pr = await predict(lib, { u: take.map((i) => cols.u[i]), z: { z1: take.map((i) => cols.z1[i]) }, x: { x1: take.map((i) => cols.x1[i]) }, y: take.map((i) => cols.y[i]) });
    take.forEach((_, k) => {
      expect(Number(out[k][".fitted"])).toBe(pr.mean[k]);
      expect(Number(out[k][".prob_2"])).toBe(pr.gating[k][1]);
      expect(Number(out[k][".posterior_1"])).toBe(pr.posteriors![k][0]);
      expect(Number(out[k][".component"])).toBe(pr.posteriors![k][0] > 0.5 ? 1 : 2);
    });
    expect(out[5][".fitted"]).toBe("NA");
  });

  test("--bands multiplier: band limits in the curves CSV; --missing drop leaves rows out", async () => {
    const text = readFileSync(EXAMPLE, "utf8").split(/\r?\n/);
    text[3] = text[3].replace(/^[^,]*/, "NA"); // y missing on line 4
    const r = await run(["fit", file("gap.csv", text.join("\n")), ...WS, "-K", "2", "--bandwidth", "0.25", "--bands", "multiplier", "--missing", "drop", "--curves", "band.csv", "--plot", "band.svg", "-q"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("n = 999 (1 incomplete rows dropped)");
    expect(r.stdout).toMatch(/95% simultaneous bands \(multiplier\): critical values/);
    const rows = Papa.parse<Record<string, string>>(readFileSync(join(dir, "band.csv"), "utf8").trim(), { header: true }).data;
    for (const x of rows.slice(0, 50)) {
      expect(Number(x.lower)).toBeLessThan(Number(x.estimate));
      expect(Number(x.upper)).toBeGreaterThan(Number(x.estimate));
    }
    // the plot: an SVG of five panels (intercept, z1, sigma, gating intercept, gating x1) with the band named
    const svg = readFileSync(join(dir, "band.svg"), "utf8");
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("95% simultaneous bands (multiplier)");
    for (const panel of ["expert: (Intercept)", "expert: z1", "σ (standard deviation)", "gating logit (centred): x1"]) expect(svg).toContain(panel);
  });

  test("an unbounded negative-binomial band: \"Infinity\" in --out (not null), Inf/-Inf in --curves", async () => {
    // Poisson data fitted with negative-binomial experts: θ reaches its bound (1e8) in many bootstrap replicates
    const s = await simulate({ family: "poisson", K: 2, n: 300, seed: 5 });
    const csv = ["y,u,z1,x1,offset", ...s.data.y.map((y, i) => [y, s.data.u[i], s.data.z.z1[i], s.data.x!.x1[i], s.data.offset![i]].join(","))].join("\n");
    const r = await run(["fit", file("nb.csv", csv), ...WS, "--offset", "offset", "-K", "2", "--family", "negbin", "--bandwidth", "0.4", "--grid", "10",
      "--bands", "bootstrap", "--B", "20", "--seed", "3", "--workers", "1", "--out", "nb.json", "--curves", "nb-curves.csv", "-q"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/band of theta of component \d is unbounded/);
    const out = JSON.parse(readFileSync(join(dir, "nb.json"), "utf8"));
    const theta = out.bands.curves.filter((c: { part: string }) => c.part === "theta");
    const open = theta.filter((c: { unbounded: boolean }) => c.unbounded);
    expect(open.length).toBeGreaterThan(0);
    for (const c of open) {
      expect(c.criticalValue).toBe("Infinity");
      expect(c.lower.every((v: unknown) => v === "-Infinity")).toBe(true);
    }
    for (const c of out.bands.curves) expect(c.criticalValue).not.toBeNull();
    const rows = Papa.parse<Record<string, string>>(readFileSync(join(dir, "nb-curves.csv"), "utf8").trim(), { header: true }).data;
    const openRows = rows.filter((x) => x.part === "theta" && open.some((c: { component: number }) => String(c.component) === x.component));
    expect(openRows.length).toBeGreaterThan(0);
    for (const x of openRows) { expect(x.lower).toBe("-Inf"); expect(x.upper).toBe("Inf"); }
  });
});

describe("vcmoe select-k, glrt and simulate", () => {
  test("simulate writes the library's draws", async () => {
    const [r, sim] = await Promise.all([run(["simulate", "-n", "300", "--seed", "4"]), simulate({ n: 300, seed: 4 })]);
    expect(r.code, r.stderr).toBe(0);
    const rows = Papa.parse<Record<string, string>>(r.stdout.trim(), { header: true }).data;
    expect(rows.map((x) => Number(x.y))).toEqual(sim.data.y);
    expect(rows.map((x) => Number(x.component))).toEqual(sim.component);
    const r2 = await run(["simulate", "-n", "200", "--seed", "2", "--scenario", "mix", "--family", "poisson", "-K", "3", "--out", "pois.csv"]);
    expect(r2.code, r2.stderr).toBe(0);
    expect(readFileSync(join(dir, "pois.csv"), "utf8").split("\n")[0]).toBe("y,u,z1,x1,offset,component");
  });

  test("select-k prints the scores of selectK() and marks the choices", async () => {
    const sim = await simulate({ n: 300, seed: 5 });
    const csv = ["y,u,z1,x1", ...sim.data.y.map((y, i) => `${y},${sim.data.u[i]},${sim.data.z.z1[i]},${sim.data.x.x1[i]}`)].join("\n");
    const [r, sel] = await Promise.all([
      run(["select-k", file("sk.csv", csv), ...WS, "--candidates", "1-3", "--bandwidth", "0.3"]),
      selectK(sim.data, { candidates: [1, 2, 3], bandwidth: 0.3 }),
    ]);
    expect(r.code, r.stderr).toBe(0);
    for (const s of sel.scores) expect(r.stdout).toMatch(new RegExp(`^\\s+${s.K}\\s+${s.logLik!.toPrecision(7).replace(/0+$/, "").replace(".", "\\.")}`, "m"));
    expect(r.stdout).toContain(`chosen: K = ${sel.chosen.bic} by BIC, K = ${sel.chosen.icl} by ICL`);
  });

  test("glrt prints the statistic and p-value of glrt()", async () => {
    const data = wsData(readExample());
    const [r, t] = await Promise.all([
      run(["glrt", EXAMPLE, ...WS, "-K", "2", "--bandwidth", "0.3", "--grid", "25", "--coefficient", "expert:2:z1", "--B", "0"]),
      glrt(data, { K: 2, bandwidth: 0.3, grid: 25 }, { coefficient: { part: "expert", component: 2, term: "z1" }, B: 0 }),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("H0: constant in u: expert[2] z1");
    expect(r.stdout).toContain(`lambda = ${Number(t.statistic.toPrecision(5))}`);
  });
});

describe("bad input: one line naming the flag or column and the line, exit code 2", () => {
  const good = "y,u,z1,x1\n" + Array.from({ length: 60 }, (_, i) => `${(i % 7) - 3},${i / 59},${(i * 37) % 11 - 5},${(i * 13) % 5}`).join("\n") + "\n";

  const cases: Array<[string[], Array<string | RegExp>]> = [
    [["fit", "data.csv", ...WS, "-K", "2", "--bandwith", "0.2"], ["unknown flag --bandwith; did you mean --bandwidth?"]],
    [["fti", "data.csv"], ["unknown command 'fti'; did you mean 'fit'?"]],
    [["fit", "data.csv", "--y", "yy", "--u", "u", "-K", "2"], ["--y: data.csv has no column 'yy'"]],
    [["fit", "data.csv", "--y", "y", "--u", "u", "-K", "12"], ["-K: must be an integer from 1 to 10, got '12'"]],
    [["fit", "data.csv", "--y", "y", "--u", "u"], ["-K is required"]],
    [["fit", "data.csv", "--y", "y", "--u", "u", "-K", "2", "--kernel", "gauss"], ["did you mean 'gaussian'"]],
    [["fit", "data.csv", "--y", "y", "--u", "u", "-K", "2", "--family", "poisson"], [/column 'y' \(--y\): poisson responses are counts .* line \d+ is -\d/]],
    [["fit", "data.csv", ...WS, "-K", "2", "--constant", "expert:1:z9"], ["--constant: 'z9' is not a term of this part"]],
    [["fit", "data.csv", ...WS, "-K", "2", "--constant", "exprt:1:z1"], ["did you mean 'expert'"]],
    [["fit", "missing.csv", "--y", "y", "--u", "u", "-K", "2"], ["missing.csv: no such file"]],
    [["predict", "data.csv", "data.csv"], ["data.csv: is not valid JSON"]],
    [["fit", "data.csv", "--y", "y", "--u", "u", "-K", "2", "--plot", "curves.png"], ["--plot: 'curves.png' must end in .svg, .html or .vl.json"]],
    [["select-k", "data.csv", "--y", "y", "--u", "u", "-K", "2"], ["-K is what select-k chooses"]],
  ];

  test("flags, commands, columns, values, family, files", async () => {
    file("data.csv", good);
    // spawned side by side: each is a process start-up more than a computation
    const runs = await Promise.all(cases.map(([args]) => run(args)));
    runs.forEach((r, k) => expectUsageError(r, ...cases[k][1]));
  });

  test("cells: text in a numeric column, a missing value, text in a covariate, an unseen level", async () => {
    const lines = good.split("\n");
    const edit = (name: string, line: number, from: RegExp, to: string) => {
      const copy = lines.slice();
      copy[line - 1] = copy[line - 1].replace(from, to);
      return file(name, copy.join("\n"));
    };
    const cells: Array<[string, Array<string | RegExp>]> = [
      [edit("t.csv", 6, /^[^,]*/, "abc"), ["column 'y' (--y), line 6: 'abc' is not a (finite) number"]],
      [edit("g.csv", 10, /,[^,]*$/, ","), ["column 'x1' (--x) is missing at line 10", "--missing drop"]],
      [edit("m.csv", 8, /^([^,]*,[^,]*,)[^,]*/, "$1oops"), ["column 'z1' (--z), line 8: 'oops' is text in a column of numbers", "--factor z1"]],
      [edit("i.csv", 4, /^[^,]*/, "Inf"), ["line 4: 'Inf' is not a (finite) number"]],
    ];
    const runs = await Promise.all(cells.map(([name]) => run(["fit", name, ...WS, "-K", "2"])));
    runs.forEach((r, k) => expectUsageError(r, ...cells[k][1]));
  });

  test("CSV structure: ragged rows, duplicate and empty names, an unclosed quote, an empty file", async () => {
    const files: Array<[string, string, string]> = [
      ["r.csv", "y,u\n1,2\n3\n", "r.csv, line 3: has 1 field, the header has 2"],
      ["d.csv", "y,u,y\n1,2,3\n", "column 'y' appears twice in the header"],
      ["e.csv", "y,,u\n1,2,3\n", "column 2 of the header has no name"],
      ["q.csv", 'y,u\n1,"2\n3,4\n', "a quoted field is not closed"],
      ["z.csv", "", "z.csv: is empty"],
      ["s.csv", "y;u\n1;2\n", "--y: s.csv has no column 'y'"],
    ];
    const runs = await Promise.all(files.map(([name, content]) => run(["fit", file(name, content), "--y", "y", "--u", "u", "-K", "2"])));
    runs.forEach((r, k) => expectUsageError(r, files[k][2]));
  });
});

describe("CSV input", () => {
  const settings = { separator: ",", na: ["NA", "NaN"] };

  test("quotes, separators and line breaks inside fields, CRLF, a byte-order mark, blank lines: the line of every row", () => {
    const text = '\uFEFFname,"u, the index",y\r\n"a ""quoted"" one",1,2\r\n\r\n"two\r\nlines",3,4\r\nplain,5,6\r\n';
    const t = parseTable(text, "x.csv", settings);
    expect(t.header).toEqual(["name", "u, the index", "y"]);
    expect(t.rows).toEqual([['a "quoted" one', "1", "2"], ["two\r\nlines", "3", "4"], ["plain", "5", "6"]]);
    expect(t.lines).toEqual([2, 4, 6]);
  });

  test("quoted numbers, NA and empty cells through the command line, and a categorical column", async () => {
    const sim = await simulate({ n: 240, seed: 8 });
    const site = sim.data.y.map((_, i) => ["north", "south", "east"][i % 3]);
    const rows = sim.data.y.map((y, i) => `"${y}",${sim.data.u[i]},${sim.data.z.z1[i]},"${site[i]}"`);
    rows[10] = rows[10].replace(/^"[^"]*"/, "NA");
    rows[20] = rows[20].replace(/^"[^"]*"/, "");
    const r = await run(["fit", file("c.csv", "y,u,z1,site\r\n" + rows.join("\r\n") + "\r\n"), "--y", "y", "--u", "u", "--z", "z1,site", "-K", "2", "--bandwidth", "0.3", "--missing", "drop", "--out", "c.json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("n = 238 (2 incomplete rows dropped)");
    expect(r.stdout).toContain(`categorical expert covariate 'site': levels east, north, south; reference level "east"`);
    const keep = sim.data.y.map((_, i) => i).filter((i) => i !== 10 && i !== 20);
    const res = await fit({ y: keep.map((i) => sim.data.y[i]), u: keep.map((i) => sim.data.u[i]), z: { z1: keep.map((i) => sim.data.z.z1[i]), site: keep.map((i) => site[i]) } }, { K: 2, bandwidth: 0.3 });
    expect(JSON.parse(readFileSync(join(dir, "c.json"), "utf8")).logLik).toBe(res.logLik);
    // predict: an unseen level is an error naming the column and the line
    const bad = await run(["predict", "c.json", file("c-new.csv", `y,u,z1,site\n1,0.5,0,north\n1,0.5,0,west\n`)]);
    expectUsageError(bad, `column 'site' (--z): level "west" at line 3 was not seen in the fitted data`);
  });

  test("parsers of list values", () => {
    expect(integerList("--candidates", "1-3,5", 1, 10)).toEqual([1, 2, 3, 5]);
    expect(coefficientList("--constant", "expert:1:z1,sigma:2,gating::x1,gating:x1,expert:all:(Intercept)")).toEqual([
      { part: "expert", component: 1, term: "z1" }, { part: "sigma", component: 2 }, { part: "gating", component: "all", term: "x1" },
      { part: "gating", component: "all", term: "x1" }, { part: "expert", component: "all", term: "(Intercept)" },
    ]);
  });
});

describe("long runs", () => {
  test("progress bar: counts, percentage and time left in one line of the terminal's width", () => {
    const line = renderBar("bootstrap band", 120, 500, 80, 6000);
    expect(line).toBe(`bootstrap band [${"#".repeat(10)}${"-".repeat(30)}] 120/500 24% 19s left`);
    expect(line.length).toBeLessThanOrEqual(79);
    expect(renderBar("x", 500, 500, 80, 65000)).toMatch(/500\/500 100% 1m05s$/);
  });

  test("Ctrl-C stops a bootstrap: exit code 130, workers stopped, no output file", async () => {
    const r = await run(["fit", EXAMPLE, ...WS, "-K", "2", "--bandwidth", "0.25", "--bands", "bootstrap", "--B", "5000", "--workers", "2", "--out", "never.json"], { interruptAfterMs: 2500 });
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toBe("vcmoe fit: cancelled\n");
    expect(existsSync(join(dir, "never.json"))).toBe(false);
  });

  test("the package's bin is the built CLI, with a shebang, executable", () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));
    expect(pkg.bin).toEqual({ vcmoe: "dist/cli.js" });
    expect(readFileSync(CLI, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    expect(statSync(CLI).mode & 0o111).not.toBe(0);
  });
});
