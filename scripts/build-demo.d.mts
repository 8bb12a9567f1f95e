// Types of ./build-demo.mjs (used by test/demo/demo.test.ts).
import type { Message, Metafile } from "esbuild";
export declare function buildDemo(outdir?: string): Promise<{ outdir: string; warnings: Message[]; errors: Message[]; metafile: Metafile }>;
