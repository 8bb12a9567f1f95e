// Messages between the demo page and its Web Worker (demo/fitWorker.ts).
import type { ConfidenceBandOptions, ConfidenceBands, FitOptions, VCMoEData, VCMoEFit } from "vcmoe";

export interface BandwidthChoice {
  chosen: number;
  undersmoothed: number;
  candidates: Array<{ bandwidth: number; meanLogLik: number | null }>;
}

/** Bands options that survive structured cloning (no callbacks, signals or pools). */
export type BandRequestOptions = Pick<ConfidenceBandOptions, "method" | "bootstrap" | "level" | "B" | "seed" | "workers" | "draws">;

export type ToWorker =
  | { type: "fit"; id: number; data: VCMoEData; options: FitOptions; crossValidate: boolean }
  | { type: "bands"; id: number; res: VCMoEFit; data: VCMoEData; options: BandRequestOptions };

export type FromWorker =
  | { type: "ready" }
  | { type: "progress"; id: number; stage: string; done: number; total: number }
  | { type: "fitted"; id: number; res: VCMoEFit; df: number | null; selection: BandwidthChoice | null }
  | { type: "bands"; id: number; bands: ConfidenceBands }
  | { type: "error"; id: number; message: string; argument: string | null; name: string };
