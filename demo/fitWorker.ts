// The demo's Web Worker: fits, bandwidth choice and bands run here so the page stays
// responsive. Each request carries everything it needs (data, options, the fit for bands),
// so Cancel can simply terminate this worker and start a fresh one. Bootstrap replicates
// run on the library's worker pool (dist/worker.browser.js, copied beside this script).
import { confidenceBands, fit, selectBandwidth } from "vcmoe";
import type { BandwidthChoice, FromWorker, ToWorker } from "./messages.js";

const post = (m: FromWorker): void => (self as unknown as Worker).postMessage(m);

async function handle(req: ToWorker): Promise<void> {
  if (req.type === "fit") {
    const { data, options, crossValidate } = req;
    let bandwidth = options.bandwidth;
    let selection: BandwidthChoice | null = null;
    if (crossValidate) {
      const { bandwidth: _given, ...cvOptions } = options; // the candidates replace it
      const cv = await selectBandwidth(data, {
        ...cvOptions, folds: 5,
        onProgress: (p) => post({ type: "progress", id: req.id, stage: "cross-validating the bandwidth", done: p.done, total: p.total }),
      });
      bandwidth = cv.chosen;
      selection = { chosen: cv.chosen, undersmoothed: cv.undersmoothed, candidates: cv.scores.map((s) => ({ bandwidth: s.bandwidth, meanLogLik: s.meanLogLik })) };
    }
    post({ type: "progress", id: req.id, stage: "fitting", done: 0, total: 0 });
    const res = await fit(data, { ...options, bandwidth });
    // fit() reports the effective df with AIC/BIC/ICL (res.statistics)
    const df = res.statistics?.df ?? null;
    post({ type: "fitted", id: req.id, res, df, selection });
    return;
  }
  const { res, data, options } = req;
  const bands = await confidenceBands(res, data, {
    ...options,
    onProgress: (p) => post({ type: "progress", id: req.id, stage: "bootstrap replicates", done: p.done, total: p.total }),
  });
  post({ type: "bands", id: req.id, bands });
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  handle(e.data).catch((err: unknown) => {
    const e2 = err as { message?: string; argument?: string; name?: string };
    post({ type: "error", id: e.data.id, message: String(e2?.message ?? err), argument: e2?.argument ?? null, name: e2?.name ?? "Error" });
  });
};
post({ type: "ready" });
