// Types of ./units.mjs (used by test/scale.test.ts).
export type Column = "y" | "z1" | "x1" | "u";
export declare function rescaled<D>(d: D, col: Column, f: number): D;
export declare function unitFactor(c: { part: string; term: string }, col: Column, f: number, gaussian?: boolean): number;
