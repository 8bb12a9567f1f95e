// Types of ./check-imports.mjs (used by test/architecture.test.ts).
export declare const LAYERS: string[][];
export declare function importsOf(file: string): string[];
export declare function checkImports(): { modules: number; edges: number; problems: string[] };
