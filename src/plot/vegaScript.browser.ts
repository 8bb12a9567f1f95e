// Browser twin of ./vegaScript.node.ts (swapped in by scripts/build-lib.mjs): a page cannot
// read Vega's script from node_modules to inline it, so renderHtml runs in Node only and says so.
export async function vegaScript(): Promise<string> {
  throw new Error("renderHtml inlines Vega's script from node_modules and so runs in Node only; in a browser, render the spec with vega-embed or renderSvg");
}
