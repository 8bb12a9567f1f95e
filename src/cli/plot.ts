// --plot FILE: the coefficient curves with their bands, by the file's extension: .svg (Vega's
// headless renderer), .html (self-contained interactive page) or .vl.json (the Vega-Lite spec).
import { plotSpec, renderHtml, renderSvg, type ConfidenceBands, type VCMoEFit } from "../index.js";
import { CliError } from "./errors.js";
import { writeFileAtomic } from "./output.js";

const FORMATS = [".vl.json", ".svg", ".html"] as const;

/** The plot format of a file name, checked before any fitting starts. */
export function plotFormat(path: string): (typeof FORMATS)[number] {
  const f = FORMATS.find((ext) => path.toLowerCase().endsWith(ext));
  if (!f) throw new CliError(`--plot: '${path}' must end in .svg, .html or .vl.json`);
  return f;
}

export async function writePlot(path: string, res: VCMoEFit, bands: ConfidenceBands | undefined): Promise<void> {
  const format = plotFormat(path);
  const spec = plotSpec(res, bands);
  let content: string;
  try {
    content = format === ".vl.json" ? JSON.stringify(spec, null, 1) + "\n" : format === ".svg" ? await renderSvg(spec) : await renderHtml(spec);
  } catch (e) {
    throw new CliError(`--plot: ${(e as Error).message}`);
  }
  writeFileAtomic(path, content, "--plot");
}
