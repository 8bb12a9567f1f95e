// Fills the generated sections of docs/reliability.md (between <!-- generated:NAME --> markers; the
// hand-written text around them stays) from bench/fuzz-stats.json (npm run test:fuzz) and
// bench/soak.json (npm run soak): inputs tried, outcomes by type, memory over repeated fits, abort latency.
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const read = (f) => (existsSync(new URL(f, import.meta.url)) ? JSON.parse(readFileSync(new URL(f, import.meta.url), "utf8")) : null);
const fuzz = read("./fuzz-stats.json");
const soak = read("./soak.json");
const sections = {};
let lines = [];

if (fuzz) {
  const fns = Object.keys(fuzz.stats);
  const total = fns.reduce((s, f) => s + Object.values(fuzz.stats[f]).reduce((a, b) => a + b, 0), 0);
  lines = [];
  lines.push(
    `${total.toLocaleString("en")} generated inputs (${fuzz.runs} per call, seed ${fuzz.seed}), each run on both backends (WebAssembly and`,
    `the JavaScript fallback) in a worker thread with a ${fuzz.timeLimitMs / 1000} s limit. Inputs mix ordinary data with tiny n, ties and a single`,
    "distinct u, outliers, collinear and constant columns, zero/negative/NaN weights, separated binomial data, all-zero counts,",
    "values of 1e±300, K beyond the data's support, wrong lengths, text cells and wrong option types (test/fuzz/). Every call",
    "either returned finite results (non-finite values only beside a warning) or threw a typed error naming the argument;",
    "none trapped, hung, mutated its input or differed between backends (any of these fails the run).", "",
    "| call | inputs | returned | VCMoEInputError | VCMoEFitError | traps / other errors | hangs | most frequent input errors |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const f of fns) {
    const c = fuzz.stats[f];
    const n = Object.values(c).reduce((a, b) => a + b, 0);
    const ok = Object.entries(c).filter(([k]) => k.startsWith("ok")).reduce((a, [, v]) => a + v, 0);
    const inputErrs = Object.entries(c).filter(([k]) => k.startsWith("VCMoEInputError"));
    const ie = inputErrs.reduce((a, [, v]) => a + v, 0);
    const fe = c.VCMoEFitError ?? 0;
    const hang = c.hang ?? 0;
    const other = n - ok - ie - fe - hang;
    const top = inputErrs.sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k, v]) => `${k.replace("VCMoEInputError ", "")} (${v})`).join(", ");
    lines.push(`| ${f} | ${n} | ${ok} | ${ie} | ${fe} | ${other} | ${hang} | ${top} |`);
  }
  lines.push("", "VCMoEFitError is a fit that cannot be completed on valid-looking input (e.g. every start of the initialisation failed).");
  sections.fuzz = lines;
}

if (soak) {
  const s = soak.samples, first = s[Math.min(2, s.length - 1)], last = s.at(-1);
  const mb = (v) => (v / 1e6).toFixed(1);
  lines = [];
  lines.push(
    `${soak.fits.toLocaleString("en")} consecutive fits in one process (n = 150, K = 2, alternating WebAssembly and JavaScript backends),`,
    `${soak.seconds.toFixed(0)} s, Node ${soak.node}${soak.gcExposed ? ", garbage collection forced before each sample" : ""} (${soak.date.slice(0, 10)}):`, "",
    "| after fits | rss MB | heapUsed MB | external MB | arrayBuffers MB |", "| --- | --- | --- | --- | --- |");
  const pick = [0, 2, Math.floor(s.length / 4), Math.floor(s.length / 2), Math.floor((3 * s.length) / 4), s.length - 1].filter((v, i, a) => v < s.length && a.indexOf(v) === i);
  for (const i of pick) lines.push(`| ${s[i].fits} | ${mb(s[i].rss)} | ${mb(s[i].heapUsed)} | ${mb(s[i].external)} | ${mb(s[i].arrayBuffers)} |`);
  const half = s.slice(Math.floor(s.length / 2));
  const slope = (key) => {
    const xs = half.map((r) => r.fits), ys = half.map((r) => r[key]);
    const mx = xs.reduce((a, b) => a + b) / xs.length, my = ys.reduce((a, b) => a + b) / ys.length;
    return xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  };
  lines.push("", `Growth over the second half of the run (least-squares slope): heapUsed ${(slope("heapUsed") * 1000 / 1e3).toFixed(2)} kB per 1000 fits,`,
    `external ${(slope("external") * 1000 / 1e3).toFixed(2)} kB per 1000 fits, rss ${(slope("rss") * 1000 / 1e6).toFixed(2)} MB per 1000 fits`,
    `(from ${mb(first.heapUsed)} to ${mb(last.heapUsed)} MB heap between fit ${first.fits} and fit ${last.fits}).`);
  sections.soak = lines;
  lines = [];
  lines.push("Each run was aborted as soon as its first replicate finished (10 runs each); latency from `abort()` to the",
    "promise's rejection, and worker threads still alive 200 ms later:", "",
    "| call | median ms | max ms | workers left |", "| --- | --- | --- | --- |");
  const med = (v) => { const a = [...v].sort((x, y) => x - y); return a[Math.floor(a.length / 2)]; };
  for (const [k, label] of [["bandsWorkers", "confidenceBands, bootstrap, 2 workers"], ["bandsInThread", "confidenceBands, bootstrap, in-thread"], ["glrtWorkers", "glrt bootstrap, 2 workers"]]) {
    const v = soak.aborts[k];
    lines.push(`| ${label} | ${med(v.map((x) => x.latency)).toFixed(0)} | ${Math.max(...v.map((x) => x.latency)).toFixed(0)} | ${Math.max(...v.map((x) => x.ports))} |`);
  }
  lines.push("", "A busy worker is killed 50 ms after the pool is told to stop (workerpool's `workerTerminateTimeout`; its",
    "default of 1 s left aborted GLRT workers computing for up to a second, found while writing these tests). A worker that",
    "throws or is killed fails only its task, which the pool reruns alone on a fresh worker, and the run completes with the",
    "failure counted (test/parallel/faults.test.ts).");
  sections.abort = lines;
}

const doc = new URL("../docs/reliability.md", import.meta.url);
let text = readFileSync(doc, "utf8");
for (const [name, body] of Object.entries(sections)) {
  const begin = `<!-- generated:${name} -->`, end = `<!-- /generated:${name} -->`;
  const at = text.indexOf(begin), to = text.indexOf(end);
  if (at < 0 || to < 0) throw new Error(`docs/reliability.md has no generated:${name} section`);
  text = `${text.slice(0, at + begin.length)}\n${body.join("\n")}\n${text.slice(to)}`;
}
writeFileSync(doc, text);
console.log(`docs/reliability.md: sections ${Object.keys(sections).join(", ")} written`);
