// --plot: wired once the plot module (src/plot) is merged.
import type { ConfidenceBands, VCMoEFit } from "../index.js";
import type { LoadedData } from "./data.js";
import { CliError } from "./errors.js";

export async function writePlot(_path: string, _res: VCMoEFit, _bands: ConfidenceBands | undefined, _data: LoadedData): Promise<void> {
  throw new CliError("--plot: not available in this build");
}
