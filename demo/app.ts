// The demo page: pick a CSV, choose column roles and the model, fit in a Web Worker with
// progress and Cancel, then plots with bands, a summary table and downloads. The plots are
// the library's Vega-Lite specs (plotSpec, dataPlotSpec) drawn by Vega in the page.
import * as vega from "vega";
import { compile } from "vega-lite";
import { dataPlotSpec, plotSpec, type ConfidenceBands, type FamilyName, type VCMoEData, type VCMoEFit, type VegaLiteSpec } from "vcmoe";
import type { BandRequestOptions, BandwidthChoice, FromWorker, ToWorker } from "./messages.js";
import {
  axisLabels, buildData, curvesCsv, curveTable, DemoInputError, isNumeric, modelFacts, parseTable, ROLES, TRANSFORMS,
  type ColumnChoice, type Role, type Table, type Transform,
} from "./model.js";

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
const num = (id: string): number | undefined => {
  const v = $<HTMLInputElement>(id).value.trim();
  return v === "" ? undefined : Number(v);
};

// ------------------------------------------------------------------ examples
interface Example {
  file: string;
  title: string;
  roles: Record<string, [Role, Transform?]>;
  model: { K: number; family: FamilyName; bandwidth?: number; cv?: boolean };
  note: string;
}

const EXAMPLES: Record<string, Example> = {
  ws: {
    file: "data/ws_n1000.csv", title: "simulated (ws scenario, n = 1000)",
    roles: { y: ["y"], u: ["u"], z1: ["z"], x1: ["x"] },
    model: { K: 2, family: "gaussian", bandwidth: 0.25 },
    note: "Simulated by vcmoe's \"ws\" scenario (the reference R package's): two Gaussian experts in z1 whose coefficients vary with u, gating on x1. The column 'component' is the true label (not used in the fit).",
  },
  hsmm: {
    file: "data/hsmm_markers.csv", title: "myoblast single cells (HSMM, Trapnell et al. 2014)",
    roles: { TNNT1: ["y", "log1p"], Pseudotime: ["u"], MYOG: ["z", "log1p"] },
    model: { K: 2, family: "gaussian", cv: true },
    note: "271 differentiating human myoblasts: log1p(TNNT1) on log1p(MYOG) along pseudotime. TNNT1 is not detected in 57% of the cells, so one Gaussian component sits on the exact zeros (σ at its floor, flagged); its standard errors, and so the bands, do not exist. See docs/worked-example.md.",
  },
  seizure: {
    file: "data/seizure.csv", title: "daily seizure counts of one patient (flexmix)",
    roles: { Seizures: ["y"], Day: ["u"], Hours: ["offset", "log"] },
    model: { K: 2, family: "poisson", bandwidth: 0.3 },
    note: "140 days of seizure counts with log(observation hours) as the offset: a Poisson mixture whose log-rates vary along the days.",
  },
};

// ------------------------------------------------------------------ state
const state: {
  table: Table | null; source: string; choices: Record<string, ColumnChoice>;
  data: VCMoEData | null; res: VCMoEFit | null; df: number | null; selection: BandwidthChoice | null;
  bands: ConfidenceBands | null; busy: boolean; views: vega.View[];
  /** Axis titles of the fitted data (the roles may be changed after the fit). */
  labels: { y?: string; u?: string };
} = { labels: {}, table: null, source: "", choices: {}, data: null, res: null, df: null, selection: null, bands: null, busy: false, views: [] };

// ------------------------------------------------------------------ the worker
let worker: Worker;
let nextId = 1;
let pending: { id: number; resolve: (m: FromWorker) => void; reject: (e: Error) => void } | null = null;
let workerReady: Promise<void>;

function startWorker(): void {
  worker = new Worker(new URL("./fitWorker.js", import.meta.url), { type: "module" });
  let ready = false;
  let failedToStart: (e: Error) => void = () => {};
  workerReady = new Promise((resolve, reject) => {
    failedToStart = reject;
    worker.onmessage = (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      if (m.type === "ready") { ready = true; resolve(); return; }
      if (!pending || m.id !== pending.id) return;
      if (m.type === "progress") { showProgress(m.stage, m.done, m.total); return; }
      const p = pending;
      pending = null;
      if (m.type === "error") p.reject(Object.assign(new Error(m.message), { argument: m.argument, name: m.name }));
      else p.resolve(m);
    };
  });
  workerReady.catch(() => {}); // reported by the request that awaits it
  worker.onerror = (e) => {
    // e.g. fitWorker.js not found, or served with a type that is not JavaScript
    if (!ready) failedToStart(new Error(`the fit worker did not start (${e.message || "fitWorker.js could not be loaded"})`));
    const p = pending;
    pending = null;
    p?.reject(new Error(`the worker failed: ${e.message}`));
  };
}

type Request = ToWorker extends infer T ? (T extends ToWorker ? Omit<T, "id"> : never) : never;

async function ask(req: Request): Promise<FromWorker> {
  await workerReady;
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending = { id, resolve, reject };
    worker.postMessage({ ...req, id } as ToWorker);
  });
}

/** Cancel: stop the worker (and the bootstrap workers it started) and start a fresh one. */
function cancel(): void {
  worker.terminate();
  const p = pending;
  pending = null;
  startWorker();
  p?.reject(Object.assign(new Error("cancelled"), { name: "Cancelled" }));
}

// ------------------------------------------------------------------ status line
let timer: number | undefined;
let started = 0;

function setBusy(on: boolean, text = ""): void {
  state.busy = on;
  $("status").classList.toggle("busy", on);
  $("progress").hidden = !on;
  $("cancel").hidden = !on;
  $("status-text").textContent = text;
  $("status-text").className = "";
  if (on) {
    started = performance.now();
    const p = $<HTMLProgressElement>("progress");
    p.removeAttribute("value");
  }
  window.clearInterval(timer);
  if (on) timer = window.setInterval(() => tick(), 250);
  updateButtons();
}

let stageText = "";
function tick(): void {
  $("status-text").textContent = `${stageText} … ${((performance.now() - started) / 1000).toFixed(1)} s`;
}

function showProgress(stage: string, done: number, total: number): void {
  const p = $<HTMLProgressElement>("progress");
  if (total > 0) { p.max = total; p.value = done; stageText = `${stage}: ${done} of ${total}`; }
  else { p.removeAttribute("value"); stageText = stage; }
  tick();
}

function updateButtons(): void {
  $<HTMLButtonElement>("fit").disabled = state.busy || !state.table;
  $<HTMLButtonElement>("bands").disabled = state.busy || !state.res;
}

function setError(message: string): void {
  const s = $("status-text");
  s.textContent = message;
  s.className = "error";
}

// ------------------------------------------------------------------ data
function loadTable(text: string, source: string, example?: Example): void {
  let table: Table;
  try {
    table = parseTable(text);
  } catch (e) {
    setError(e instanceof Error ? e.message : String(e));
    return;
  }
  state.table = table;
  state.source = source;
  state.choices = {};
  for (const n of table.names) {
    const [role, transform] = example ? example.roles[n] ?? [""] : [guessRole(n, table)];
    state.choices[n] = { role, transform: transform ?? "none" };
  }
  state.res = null; state.bands = null; state.data = null;
  $("results").hidden = true;
  $("data-info").textContent = `${source}: ${table.rows} rows, ${table.names.length} columns`;
  const note = $("example-note");
  note.hidden = !example;
  note.textContent = example?.note ?? "";
  if (example) {
    $<HTMLInputElement>("K").value = String(example.model.K);
    $<HTMLSelectElement>("family").value = example.model.family;
    $<HTMLInputElement>("bandwidth").value = example.model.bandwidth !== undefined ? String(example.model.bandwidth) : "";
    $<HTMLInputElement>("cv").checked = example.model.cv === true;
    $<HTMLInputElement>("bandwidth").disabled = example.model.cv === true;
  }
  renderColumns();
  $("status-text").textContent = "";
  $("status-text").className = "";
  updateButtons();
}

/** Roles for an uploaded file: columns named y and u, z…/x… for covariates; nothing else. */
function guessRole(name: string, table: Table): Role {
  if (!isNumeric(table.cells[name])) return "";
  const n = name.toLowerCase();
  if (n === "y" || n === "u") return n;
  if (/^z\d*$/.test(n)) return "z";
  if (/^x\d*$/.test(n)) return "x";
  return "";
}

function renderColumns(): void {
  const t = state.table!;
  const body = $("columns").querySelector("tbody")!;
  body.replaceChildren();
  for (const name of t.names) {
    const tr = document.createElement("tr");
    const numeric = isNumeric(t.cells[name]);
    const sample = t.cells[name].slice(0, 4).join(", ");
    const role = document.createElement("select");
    role.name = `role:${name}`;
    // a text column can only be a covariate: the library codes it as a categorical one (a factor)
    for (const r of ROLES) if (numeric || r === "" || r === "z" || r === "x") role.add(new Option(r === "" ? "—" : r, r));
    role.value = state.choices[name].role;
    role.onchange = () => { state.choices[name].role = role.value as Role; };
    const tf = document.createElement("select");
    tf.name = `transform:${name}`;
    for (const x of TRANSFORMS) tf.add(new Option(x, x));
    tf.value = state.choices[name].transform;
    tf.disabled = !numeric;
    tf.onchange = () => { state.choices[name].transform = tf.value as Transform; };
    const cells = [name, numeric ? sample : `text, categorical (${sample})`];
    for (const c of cells) { const td = document.createElement("td"); td.textContent = c; tr.append(td); }
    for (const s of [role, tf]) { const td = document.createElement("td"); td.append(s); tr.append(td); }
    body.append(tr);
  }
  $("columns").hidden = false;
}

async function loadExample(key: string): Promise<void> {
  const ex = EXAMPLES[key];
  const r = await fetch(ex.file);
  if (!r.ok) { setError(`could not load ${ex.file} (${r.status})`); return; }
  loadTable(await r.text(), ex.title, ex);
}

function readFile(f: File): void {
  f.text().then((t) => loadTable(t, f.name), (e) => setError(`could not read ${f.name}: ${e}`));
}

// ------------------------------------------------------------------ fit and bands
async function runFit(): Promise<void> {
  let data: VCMoEData;
  let labels: { y?: string; u?: string };
  try {
    data = buildData(state.table!, state.choices);
  } catch (e) {
    setError(e instanceof DemoInputError ? e.message : String(e));
    return;
  }
  const family = $<HTMLSelectElement>("family").value as FamilyName;
  labels = axisLabels(state.choices, family);
  const options = {
    K: num("K") ?? 2, family, bandwidth: num("bandwidth"), grid: num("grid") ?? 50, seed: num("seed") ?? 1, missing: "drop" as const,
  };
  const crossValidate = $<HTMLInputElement>("cv").checked;
  stageText = crossValidate ? "cross-validating the bandwidth" : "fitting";
  setBusy(true, stageText);
  try {
    const m = await ask({ type: "fit", data, options, crossValidate });
    if (m.type !== "fitted") return;
    Object.assign(state, { data, res: m.res, df: m.df, selection: m.selection, bands: null, labels });
    if (m.selection) $<HTMLInputElement>("bandwidth").value = String(Number(m.selection.chosen.toPrecision(4)));
    setBusy(false, `fitted in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    await showResults();
  } catch (e) {
    setBusy(false);
    failed(e);
  }
}

async function runBands(): Promise<void> {
  const [method, scheme] = $<HTMLSelectElement>("band-method").value.split(":");
  const options: BandRequestOptions = { method: method as BandRequestOptions["method"], level: num("level") ?? 0.95, seed: num("seed") ?? 1 };
  if (method === "bootstrap") {
    options.bootstrap = scheme as BandRequestOptions["bootstrap"];
    options.B = num("B") ?? 200;
    options.workers = num("workers") ?? defaultWorkers();
  }
  stageText = method === "bootstrap" ? "bootstrap replicates" : "computing bands";
  setBusy(true, stageText);
  try {
    const m = await ask({ type: "bands", res: state.res!, data: state.data!, options });
    if (m.type !== "bands") return;
    state.bands = m.bands;
    const any = m.bands.curves.some((c) => c.lower.some(Number.isFinite));
    setBusy(false, any ? `band computed in ${((performance.now() - started) / 1000).toFixed(1)} s` : "no band: the standard errors do not exist for this fit (see the notes above the tables)");
    await showResults();
  } catch (e) {
    setBusy(false);
    failed(e);
  }
}

function failed(e: unknown): void {
  const err = e as { name?: string; message?: string; argument?: string | null };
  if (err?.name === "Cancelled") { $("status-text").textContent = "cancelled"; return; }
  const message = err?.message ?? String(e);
  // the library's messages mostly begin with the argument they name already
  setError(err?.argument && !message.startsWith(err.argument) ? `${err.argument}: ${message}` : message);
}

const defaultWorkers = (): number => Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1));

// ------------------------------------------------------------------ results
async function draw(containerId: string, spec: VegaLiteSpec, slot: number): Promise<void> {
  state.views[slot]?.finalize();
  const view = new vega.View(vega.parse(compile(spec as never).spec), { renderer: "svg", container: `#${containerId}`, hover: true });
  state.views[slot] = view;
  await view.runAsync();
}

function fillTable(el: HTMLTableElement, head: string[] | null, rows: string[][]): void {
  el.replaceChildren();
  if (head) {
    const tr = el.createTHead().insertRow();
    for (const h of head) { const th = document.createElement("th"); th.textContent = h; tr.append(th); }
  }
  const body = el.createTBody();
  for (const r of rows) {
    const tr = body.insertRow();
    r.forEach((c, k) => {
      const td = document.createElement(k === 0 && !head ? "th" : "td");
      // "estimate [lower, upper]": the band's limits go on a line of their own, so the table fits the page
      const m = /^(\S+) (\[.*\])$/.exec(c);
      if (m) td.append(m[1], " ", Object.assign(document.createElement("span"), { className: "limits", textContent: m[2] }));
      else td.textContent = c;
      tr.append(td);
    });
  }
}

async function showResults(): Promise<void> {
  const res = state.res!;
  const bands = state.bands ?? undefined;
  $("results").hidden = false;
  const warnings = [...res.diagnostics.warnings, ...(bands?.warnings ?? [])];
  if (state.selection) {
    warnings.unshift(`bandwidth ${state.selection.chosen.toPrecision(3)} chosen by 5-fold cross-validation (undersmoothed for bands and tests: ${state.selection.undersmoothed.toPrecision(3)})`);
  }
  $("warnings").replaceChildren(...warnings.map((w) => Object.assign(document.createElement("li"), { textContent: w })));
  fillTable($<HTMLTableElement>("facts"), null, modelFacts(res, state.df));
  const ct = curveTable(res, bands);
  fillTable($<HTMLTableElement>("curve-table"), ct.head, ct.rows);
  const pointwise = $<HTMLInputElement>("pointwise").checked && bands !== undefined;
  const axes = state.labels;
  await draw("curves-plot", plotSpec(res, bands, { pointwise, uLabel: axes.u, width: 230, height: 160 }), 0);
  await draw("data-plot", dataPlotSpec(res, state.data!, { uLabel: axes.u, yLabel: axes.y, width: 640, height: 360 }), 1);
}

function download(name: string, type: string, body: string): void {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([body], { type }));
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

// ------------------------------------------------------------------ wiring
function wire(): void {
  startWorker();
  $<HTMLInputElement>("workers").placeholder = String(defaultWorkers());
  $<HTMLInputElement>("file").onchange = (e) => { const f = (e.target as HTMLInputElement).files?.[0]; if (f) readFile(f); };
  const drop = $("drop");
  drop.ondragover = (e) => { e.preventDefault(); drop.classList.add("over"); };
  drop.ondragleave = () => drop.classList.remove("over");
  drop.ondrop = (e) => { e.preventDefault(); drop.classList.remove("over"); const f = e.dataTransfer?.files[0]; if (f) readFile(f); };
  for (const b of document.querySelectorAll<HTMLButtonElement>("[data-example]")) b.onclick = () => void loadExample(b.dataset.example!);
  $("model-form").onsubmit = (e) => { e.preventDefault(); void runFit(); };
  $("bands-form").onsubmit = (e) => { e.preventDefault(); void runBands(); };
  const cv = $<HTMLInputElement>("cv"), bw = $<HTMLInputElement>("bandwidth");
  cv.onchange = () => { bw.disabled = cv.checked; };
  $("pointwise").onchange = () => { if (state.res) void showResults(); };
  $("cancel").onclick = () => { cancel(); setBusy(false, "cancelled"); };
  $("dl-json").onclick = () => download("vcmoe-result.json", "application/json", JSON.stringify({ result: state.res, bands: state.bands, bandwidthSelection: state.selection }, null, 1));
  $("dl-csv").onclick = () => download("vcmoe-curves.csv", "text/csv", curvesCsv(state.res!, state.bands ?? undefined));
  $("dl-svg").onclick = () => void state.views[0]?.toSVG().then((s) => download("vcmoe-curves.svg", "image/svg+xml", s));
  $("dl-data-svg").onclick = () => void state.views[1]?.toSVG().then((s) => download("vcmoe-data.svg", "image/svg+xml", s));
  updateButtons();
}

wire();
// for the browser test (test/demo/demo.test.ts): the page's state and a promise that the worker is up
(window as unknown as { vcmoeDemo: unknown }).vcmoeDemo = { state, ready: () => workerReady };
