// Vega and Vega-Lite by dynamic import: in Node from node_modules, and in an app that
// bundles "vcmoe/plot" from the app's own node_modules (the bundler resolves them). They
// are optional peer dependencies, loaded on the first render only. The main browser file
// swaps this module for ./vegaModules.browser.ts (scripts/build-lib.mjs).
import type { VegaModules } from "./vegaTypes.js";

const VEGA_MISSING = "rendering plots needs the 'vega' and 'vega-lite' packages (optional peer dependencies of vcmoe): npm install vega vega-lite";

export async function importVega(): Promise<VegaModules> {
  try {
    const [vega, vegaLite] = await Promise.all([import("vega"), import("vega-lite")]);
    return { vega: vega as unknown as VegaModules["vega"], vegaLite: vegaLite as unknown as VegaModules["vegaLite"] };
  } catch (e) {
    throw new Error(`${VEGA_MISSING} (${String((e as Error)?.message ?? e)})`);
  }
}
