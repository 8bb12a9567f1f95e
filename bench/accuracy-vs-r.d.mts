// Types of bench/accuracy-vs-r.mjs for the tests that import it.
import type { VCMoEFit, FitOptions, VCMoEData, TrueCurves, SimulateOptions, SimulatedData } from "../src/index.js";

export type CurveType = "alpha0" | "alpha1" | "sigma" | "gamma0" | "gamma1";
export type PerCurve = Record<CurveType, number>;
export interface Lib {
  fit(data: VCMoEData, options: FitOptions): Promise<VCMoEFit>;
  parseCsvColumns(text: string): Record<string, number[]>;
  wsTruth(u: number): TrueCurves;
  simulate?(options: SimulateOptions): Promise<SimulatedData>;
}
export interface MseResult { mse: PerCurve; perm: number[]; sum: number }
export interface Comparison {
  n: number; rGrid: number[]; r: MseResult; readme: PerCurve; ours: MseResult; localAlign: MseResult;
  oursDefault: MseResult; oursDefaultAtR: MseResult; logLik: number; converged: boolean; ms: number;
}
export const CURVE_TYPES: CurveType[];
export const R_README_MSE: Record<300 | 1000, PerCurve>;
export const dataDir: string;
export function truth(wsTruth: (u: number) => TrueCurves, type: CurveType, c: number, u: number): number;
export function readRFit(file: string): { grid: number[]; est: Record<CurveType, number[][]> };
export function estimatesOfFit(res: VCMoEFit): Record<CurveType, number[][]>;
export function mseAgainstTruth(wsTruth: (u: number) => TrueCurves, grid: number[], est: Record<CurveType, number[][]>): MseResult;
export function compareWithR(lib: Lib, n: 300 | 1000, options?: Partial<FitOptions>): Promise<Comparison>;
export function criteria(cmp: Comparison): { sumOk: boolean; worstRatio: number; ratios: PerCurve; perCurveOk: boolean };
export function markdown(results: Comparison[]): string;
